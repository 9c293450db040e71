"""A new SQLite file is created from the final migration state (``jianguan.core.sqlite.fresh``) with exactly the schema
and the reference rows that replaying every migration gives — the test database itself was made by Django's ordinary
replay (``create_test_db`` migrates with ``run_syncdb``, which keeps the fast path out) — and only then."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jianguan.core.sqlite import fresh

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
#: Tables the data migrations fill (reference data), compared row for row.
SEEDED = ("registry_industry", "registry_licencekind", "startup_namerule", "enforcement_campaign",
          "inspections_inspectionitem")


def _rows(cur, table):
    """Every row as SQL literals (``quote()`` gives text, so no type converter of either side changes a value)."""
    cur = cur.cursor()
    cur.execute(f'PRAGMA table_info("{table}")')
    columns = ", ".join(f'quote("{c[1]}")' for c in cur.fetchall())
    cur.execute(f'SELECT {columns} FROM "{table}"')
    return sorted(map(repr, cur.fetchall()))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the fast path is for SQLite only")
def test_a_new_sqlite_file_gets_the_replayed_schema_and_reference_rows_in_wal_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    env.update({"JIANGUAN_DEBUG": "1", "JIANGUAN_VAR_DIR": str(tmp_path)})
    done = subprocess.run([sys.executable, "-m", "jianguan", "migrate", "-v1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "新数据库：按迁移的最终状态一次建表" in done.stdout  # it took the fast path

    new = sqlite3.connect(tmp_path / "jianguan.sqlite3")
    # The test database is read through its own connection (a backup of it waited for the test's transaction).
    connection.ensure_connection()
    replayed = connection.connection
    query = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    with connection.cursor() as cur:
        cur.execute(query)
        expected = [tuple(r) for r in cur.fetchall()]
    got = new.execute(query).fetchall()
    assert len(got) > 500
    assert [r for r in got if r not in expected] == [] and [r for r in expected if r not in got] == []
    assert got == expected  # column order included: CREATE TABLE texts are equal

    for table in SEEDED:
        assert _rows(new, table) == _rows(replayed, table), table
    assert new.execute("SELECT count(*) FROM registry_industry").fetchone()[0] > 0
    recorded = set(new.execute("SELECT app, name FROM django_migrations").fetchall())
    executor = MigrationExecutor(connection)
    assert recorded == set(executor.loader.applied_migrations)  # every migration recorded, no more
    assert new.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    # A second migrate finds nothing to do (ordinary path), and the file is unchanged.
    again = subprocess.run([sys.executable, "-m", "jianguan", "migrate", "-v1"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "No migrations to apply" in again.stdout, again.stdout + again.stderr


def test_the_fast_path_is_refused_on_a_database_that_has_tables_and_on_postgresql():
    executor = MigrationExecutor(connection)
    full = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    # The test database has every table (and, on PostgreSQL, is not SQLite): the ordinary migrate runs.
    assert fresh.applicable(connection, executor, full) is False
    if connection.vendor == "sqlite":
        assert fresh.is_empty(connection) is False
