"""Recording an audit entry takes no lock in the writer's transaction: the entry is chained after the commit (on
PostgreSQL), one process at a time, so writers never queue behind each other for the audit chain (issue #7)."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from jianguan.core import audit
from jianguan.core.models import AuditEntry


def _record(actor, i):
    return audit.record(actor=actor, action="test.thing.changed", object_type="test", object_id=str(i))


@pytest.mark.django_db
def test_record_takes_no_lock_and_no_savepoint(org, sysadmin):
    _record(sysadmin, 1)
    with CaptureQueriesContext(connection) as ctx:
        _record(sysadmin, 2)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sql if "advisory" in s or "SAVEPOINT" in s]
    if connection.vendor == "postgresql":
        assert len(sql) == 1 and sql[0].startswith('INSERT INTO "core_auditentry"')  # chained after the commit
    else:
        assert len(sql) == 2 and sql[1].startswith('INSERT INTO "core_auditentry"')  # SQLite: chained at once
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_verify_chains_what_is_pending_first(org, sysadmin):
    for i in range(3):
        _record(sysadmin, i)
    report = audit.verify_chain()
    assert report.ok and report.checked == 3 and report.pending == 0
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_an_entry_is_chained_when_its_transaction_commits(org, sysadmin):
    with transaction.atomic():
        entry = _record(sysadmin, 1)
        second = _record(sysadmin, 2)
        if connection.vendor == "postgresql":
            assert entry.seq is None and entry.hash is None
            assert [hook[1] for hook in connection.run_on_commit] == [audit.seal]  # one seal for the transaction
    entry.refresh_from_db()
    second.refresh_from_db()
    assert (entry.seq, second.seq) == (1, 2) and second.prev_hash == entry.hash and len(entry.hash) == 64
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(sysadmin, 3)
        raise RuntimeError("the write fails")
    assert AuditEntry.objects.count() == 2 and audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_entries_left_unchained_by_a_dead_process_are_chained_by_the_next_writer(org, sysadmin):
    if connection.vendor != "postgresql":
        pytest.skip("entries are chained after the commit on PostgreSQL only")
    with transaction.atomic():
        left = _record(sysadmin, 1)
        connection.run_on_commit.clear()  # the process dies between its commit and its seal
    left.refresh_from_db()
    assert left.seq is None
    with transaction.atomic():
        _record(sysadmin, 2)
    left.refresh_from_db()
    assert left.seq is not None
    assert list(AuditEntry.objects.order_by("seq").values_list("object_id", flat=True)) == ["1", "2"]


@pytest.mark.django_db(transaction=True)
def test_writers_do_not_wait_for_each_other_and_the_chain_verifies(org, sysadmin):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are exercised on PostgreSQL (SQLite runs one writer at a time)")
    held, done, errors = threading.Event(), threading.Event(), []

    def holder():
        # Records and keeps its transaction open: a chain lock taken in record() would stall every other writer.
        try:
            with transaction.atomic():
                _record(sysadmin, "held")
                held.set()
                done.wait(60)
        finally:
            connection.close()

    def writer(n):
        try:
            held.wait(30)
            for i in range(10):
                with transaction.atomic():
                    _record(sysadmin, f"{n}-{i}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=holder)] + [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads[1:]:
        t.join(10)
    finished_while_held = not any(t.is_alive() for t in threads[1:])
    done.set()
    for t in threads:
        t.join(60)
    assert not errors
    assert finished_while_held, "record() waited for another writer's transaction"
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()  # every writer's entry chained, none left behind
    report = audit.verify_chain()
    assert report.ok and report.checked == 41 and report.pending == 0, report


@pytest.mark.django_db(transaction=True)
def test_the_daily_sweep_chains_entries_left_unchained(org, sysadmin):
    if connection.vendor != "postgresql":
        pytest.skip("entries are chained after the commit on PostgreSQL only")
    with transaction.atomic():
        left = _record(sysadmin, 1)
        connection.run_on_commit.clear()  # the process dies between its commit and its seal
    call_command("sweep", "--only", "audit-seal", stdout=StringIO())
    left.refresh_from_db()
    assert left.seq is not None and audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_backlog_larger_than_one_batch_is_chained_in_order(org, sysadmin, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("entries are chained after the commit on PostgreSQL only")
    monkeypatch.setattr(audit, "SEAL_BATCH", 2)
    with transaction.atomic():
        for i in range(5):
            _record(sysadmin, i)
        connection.run_on_commit.clear()  # left for the next seal
    assert audit.seal() == 5
    assert list(AuditEntry.objects.order_by("seq").values_list("object_id", flat=True)) == ["0", "1", "2", "3", "4"]
    assert audit.verify_chain().ok
