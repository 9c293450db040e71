"""A new SQLite file is created from the final migration state (``jianguan.core.sqlite.fresh``) with exactly the schema
and the reference rows that replaying every migration gives (``jianguan migrate --replay`` on another new file), and
only then. The test databases on SQLite are made the fast way too (``create_test_db`` runs this ``migrate``)."""

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


def _migrate(directory: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    env.update({"JIANGUAN_DEBUG": "1", "JIANGUAN_VAR_DIR": str(directory)})
    return subprocess.Popen([sys.executable, "-m", "jianguan", "migrate", "-v1", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]
    return out


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the fast path is for SQLite only")
def test_a_new_sqlite_file_gets_the_replayed_schema_and_reference_rows_in_wal_mode(tmp_path):
    # The same command twice on new files: once the fast way, once replaying every migration (Django's migrate).
    fast_dir, replay_dir = tmp_path / "fast", tmp_path / "replay"
    fast_dir.mkdir()
    replay_dir.mkdir()
    replaying = _migrate(replay_dir, "--replay")
    assert "新数据库：按迁移的最终状态一次建表" in _finish(_migrate(fast_dir))  # it took the fast path
    assert "新数据库" not in _finish(replaying)  # and --replay did not

    new = sqlite3.connect(fast_dir / "jianguan.sqlite3")
    replayed = sqlite3.connect(replay_dir / "jianguan.sqlite3")
    query = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    expected = replayed.execute(query).fetchall()
    got = new.execute(query).fetchall()
    assert len(got) > 500
    assert [r for r in got if r not in expected] == [] and [r for r in expected if r not in got] == []
    assert got == expected  # column order included: CREATE TABLE texts are equal

    for table in SEEDED:
        assert _rows(new, table) == _rows(replayed, table), table
    assert new.execute("SELECT count(*) FROM registry_industry").fetchone()[0] > 0
    recorded = "SELECT app, name FROM django_migrations ORDER BY app, name"
    assert new.execute(recorded).fetchall() == replayed.execute(recorded).fetchall()  # every migration, no more
    executor = MigrationExecutor(connection)
    assert set(new.execute(recorded).fetchall()) == set(executor.loader.applied_migrations)
    assert new.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    # A second migrate finds nothing to do (ordinary path), and the file is unchanged.
    assert "No migrations to apply" in _finish(_migrate(fast_dir))


def test_the_test_database_itself_was_made_the_fast_way_when_it_is_sqlite():
    """``create_test_db`` migrates with ``run_syncdb``; no app without migrations has a model, so the fast path
    serves it too (a worker's test database in seconds instead of ~40 s of replay)."""
    from django.apps import apps

    executor = MigrationExecutor(connection)
    assert all(not list(apps.get_app_config(label).get_models()) for label in executor.loader.unmigrated_apps)


def test_the_fast_path_is_refused_on_a_database_that_has_tables_and_on_postgresql():
    executor = MigrationExecutor(connection)
    full = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    # The test database has every table (and, on PostgreSQL, is not SQLite): the ordinary migrate runs.
    assert fresh.applicable(connection, executor, full) is False
    if connection.vendor == "sqlite":
        assert fresh.is_empty(connection) is False
