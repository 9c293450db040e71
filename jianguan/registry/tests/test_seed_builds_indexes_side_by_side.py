"""A large seed outside a transaction commits its load, then builds the indexes and foreign keys it dropped in several
sessions at once (PostgreSQL builds a GIN index in one process). Their statements are committed with the load, so a
build that stops is finished by the next run or by ``jianguan seed --finish-indexes``. PostgreSQL only: SQLite drops
nothing. These tests commit, hence ``transactional_db``."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from jianguan.registry import seeding
from jianguan.registry.models import Entity, PendingIndex

TODAY = dt.date(2026, 11, 20)
TABLES = ["registry_entity", "registry_entitychange", "registry_licence"]


def definitions() -> set:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [TABLES])
        found = set(cursor.fetchall())
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid::regclass::text = ANY(%s)", [TABLES])
        return found | set(cursor.fetchall())


@pytest.fixture
def big(transactional_db, org, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL drops and rebuilds indexes for a large load")
    monkeypatch.setattr(seeding, "REBUILD_INDEXES_FROM", 50)
    before = definitions()
    yield before
    seeding.finish_pending_indexes()  # never leave the schema short for the tests that follow


def test_the_indexes_are_built_after_the_load_commits_in_several_sessions(big, monkeypatch):
    sessions = set()  # the database session of each build (Django gives every thread its own connection)

    class Pool(seeding.ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            def run(*a, **k):
                if threading.current_thread().name.startswith("seed-index"):
                    with seeding.connection.cursor() as cursor:
                        cursor.execute("SELECT pg_backend_pid()")
                        sessions.add(cursor.fetchone()[0])
                return fn(*a, **k)

            return super().submit(run, *args, **kwargs)

    monkeypatch.setattr(seeding, "ThreadPoolExecutor", Pool)
    result = seeding.seed_entities(60, seed=6, today=TODAY)
    assert result.entities == 60 and result.index_seconds > 0
    assert definitions() == big  # every index and constraint back, defined as it was
    assert not PendingIndex.objects.exists()
    assert Entity.objects.count() >= 60
    assert len(sessions) >= 2
    assert seeding.finish_pending_indexes() == 0  # nothing left to do


def test_a_build_that_stopped_is_finished_by_the_command(big, monkeypatch):
    monkeypatch.setattr(seeding, "finish_pending_indexes", lambda sessions=None: 0)  # as if the process died there
    seeding.seed_entities(60, seed=7, today=TODAY)
    left = set(PendingIndex.objects.values_list("name", flat=True))
    assert {"entity_name_trgm", "entity_address_trgm", "entity_name_grams"} <= left  # committed with the load
    assert definitions() != big  # the schema is short of them until they are built
    monkeypatch.undo()
    out = io.StringIO()
    call_command("seed", "--finish-indexes", stdout=out)
    assert f"已补建 {len(left)} 个索引和外键" in out.getvalue()
    assert definitions() == big and not PendingIndex.objects.exists()
    out = io.StringIO()
    call_command("seed", "--finish-indexes", stdout=out)
    assert "没有待补建的索引和外键" in out.getvalue()


def test_a_seed_finishes_what_a_stopped_one_left_before_it_drops_anything(big, monkeypatch):
    real = seeding.finish_pending_indexes
    calls = iter([0, 0])  # the first run: nothing before, stopped after the load
    monkeypatch.setattr(seeding, "finish_pending_indexes", lambda sessions=None: next(calls))
    seeding.seed_entities(60, seed=8, today=TODAY)
    assert PendingIndex.objects.exists()
    monkeypatch.setattr(seeding, "finish_pending_indexes", real)
    seeding.seed_entities(60, seed=9, today=TODAY)
    assert definitions() == big and not PendingIndex.objects.exists()
