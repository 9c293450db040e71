"""The SQLite backend as served: pragmas on every new connection, WAL set on the file by migrate and persisting,
persistent connections, IMMEDIATE for writes and no write lock for read-only blocks (jianguan/core/sqlite)."""

from __future__ import annotations

import sqlite3

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import OperationalError

from jianguan.core.sqlite.base import PRAGMAS
from jianguan.core.transactions import read_only

pytestmark = pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "jianguan.core.sqlite",
                                reason="the SQLite backend (the run is on another database)")

ALIAS = "sqlite_file_probe"


@pytest.fixture
def file_db(tmp_path, django_db_blocker):
    """A second database alias on a real file with the project's SQLite settings (the tests' default is in memory,
    which has neither WAL nor file locks)."""
    path = tmp_path / "probe.sqlite3"
    conf = dict(connections.settings[DEFAULT_DB_ALIAS], NAME=str(path), TEST={"NAME": str(path)})
    connections.settings[ALIAS] = conf
    try:
        with django_db_blocker.unblock():
            yield connections[ALIAS], path
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def _other(path, timeout=0.0) -> sqlite3.Connection:
    """Another process's view of the file: a plain sqlite3 connection that does not wait for locks."""
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


def test_settings_use_the_tuned_backend_with_persistent_connections_and_immediate_writes():
    conf = settings.DATABASES["default"]
    assert conf["CONN_MAX_AGE"] > 0
    assert conf["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "init_command" not in conf["OPTIONS"]  # journal_mode is not set per connection any more


def test_every_new_connection_gets_the_per_connection_pragmas(file_db):
    conn, _ = file_db
    expected = {"synchronous": 1, "cache_size": -32000, "mmap_size": 256 * 1024 * 1024, "temp_store": 2,
                "busy_timeout": 20_000}
    assert {name for name, _ in PRAGMAS} <= set(expected)
    for _ in range(2):  # a connection closed and opened again gets them again
        with conn.cursor() as cur:
            got = {}
            for name in expected:
                cur.execute(f"PRAGMA {name}")
                got[name] = cur.fetchone()[0]
        assert got == expected
        conn.close()
    # …and they are per connection: another connection to the same file has SQLite's defaults
    other = _other(conn.settings_dict["NAME"])
    assert other.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert other.execute("PRAGMA temp_store").fetchone()[0] == 0
    other.close()


def test_migrate_leaves_the_file_in_wal_mode_and_it_persists(file_db):
    from django.core.management.sql import emit_pre_migrate_signal

    conn, path = file_db
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (x)")  # the file exists, in SQLite's default rollback-journal mode
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "delete"
    emit_pre_migrate_signal(verbosity=0, interactive=False, db=ALIAS)  # what `migrate` sends before migrating
    conn.close()
    # a fresh connection that sets nothing finds WAL: it is stored in the file, not set per connection
    plain = sqlite3.connect(path)
    assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    plain.close()
    # and new connections of the backend do not set it again (nothing but PRAGMAS runs at connect)
    with conn.cursor() as cur:
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "wal"


def test_a_read_only_block_takes_no_write_lock_and_writers_go_on(file_db):
    from django.core.management.sql import emit_pre_migrate_signal

    conn, path = file_db
    emit_pre_migrate_signal(verbosity=0, interactive=False, db=ALIAS)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (x)")
        cur.execute("INSERT INTO t VALUES (1)")
    writer = _other(path)
    with read_only(using=ALIAS):
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM t")
            assert cur.fetchone()[0] == 1
        # another connection writes and commits at once, with no wait allowed, while the block is open
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO t VALUES (2)")
        writer.execute("COMMIT")
        with conn.cursor() as cur:  # the block keeps its snapshot
            cur.execute("SELECT count(*) FROM t")
            assert cur.fetchone()[0] == 1
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM t")
        assert cur.fetchone()[0] == 2
    writer.close()


def test_an_atomic_block_takes_the_write_lock_at_begin(file_db):
    from django.core.management.sql import emit_pre_migrate_signal

    conn, path = file_db
    emit_pre_migrate_signal(verbosity=0, interactive=False, db=ALIAS)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (x)")
    writer = _other(path)
    with transaction.atomic(using=ALIAS):
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM t")  # only a read so far, and yet the lock is held
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            writer.execute("BEGIN IMMEDIATE")
    writer.execute("BEGIN IMMEDIATE")  # released at the end of the block
    writer.execute("ROLLBACK")
    writer.close()


def test_a_write_inside_a_read_only_block_fails_and_the_connection_writes_again_afterwards(file_db):
    conn, _ = file_db
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (x)")
    with pytest.raises(OperationalError, match="readonly"):
        with read_only(using=ALIAS):
            with conn.cursor() as cur:
                cur.execute("INSERT INTO t VALUES (1)")
    with transaction.atomic(using=ALIAS), conn.cursor() as cur:
        cur.execute("INSERT INTO t VALUES (2)")
        cur.execute("SELECT count(*) FROM t")
        assert cur.fetchone()[0] == 1


def test_read_only_inside_a_write_transaction_leaves_it_writable(file_db):
    conn, _ = file_db
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (x)")
    with transaction.atomic(using=ALIAS):
        with read_only(using=ALIAS), conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM t")
        with conn.cursor() as cur:
            cur.execute("INSERT INTO t VALUES (1)")
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM t")
        assert cur.fetchone()[0] == 1
