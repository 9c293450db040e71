"""Gap-free counters give a rolled-back value back; unique counters never repeat a value and never block."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from jianguan.core import sequences
from jianguan.core.models import Sequence


@pytest.mark.django_db
def test_gap_free_values_count_up_from_start_and_a_rollback_gives_its_value_back():
    assert [sequences.next_value("doc:test", start=5) for _ in range(3)] == [5, 6, 7]
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sequences.next_value("doc:test") == 8
        raise RuntimeError("the document is not issued")
    assert sequences.next_value("doc:test") == 8


@pytest.mark.django_db
def test_unique_values_increase_and_continue_after_the_old_gap_free_counter():
    Sequence.objects.create(key="complaints:2031", value=41)  # numbered by next_value before
    values = [sequences.next_unique("complaints:2031") for _ in range(3)]
    assert values == [42, 43, 44]


def test_a_unique_key_must_make_a_plain_sequence_name():
    assert sequences.sequence_name("complaints:2026") == "jg_seq_complaints_2026"
    for bad in ("Complaints:2026", "a;drop", "a__b", ":a", "投诉:2026"):
        with pytest.raises(ValueError):
            sequences.sequence_name(bad)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_distinct_unique_values_without_waiting_for_each_other():
    if connection.vendor != "postgresql":
        pytest.skip("a database sequence exists on PostgreSQL only (make test runs both)")
    sequences.next_unique("test:concurrent")  # created once, outside the race
    held, results, errors = threading.Event(), [], []

    def holder():
        # Takes a value and keeps its transaction open: a row lock here would stall the others.
        try:
            with transaction.atomic():
                results.append(sequences.next_unique("test:concurrent"))
                held.set()
                done.wait(60)
        finally:
            connection.close()

    def taker():
        try:
            held.wait(30)
            with transaction.atomic():
                for _ in range(10):
                    results.append(sequences.next_unique("test:concurrent"))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    done = threading.Event()
    threads = [threading.Thread(target=holder)] + [threading.Thread(target=taker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads[1:]:
        t.join(10)
    finished_while_held = not any(t.is_alive() for t in threads[1:])
    done.set()
    for t in threads:
        t.join(60)
    assert not errors
    assert finished_while_held, "next_unique waited for another open transaction"
    assert len(results) == 41 and len(set(results)) == 41
