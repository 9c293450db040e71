"""The database wrapper of ``jianguan.core.sqlite`` (see the package docstring)."""

from __future__ import annotations

from django.db.backends.sqlite3 import base

#: Per-connection pragmas, in the order they are set on every new connection. Each is a property of the connection
#: (not of the file) and costs a few microseconds; persistent connections pay them once per process.
PRAGMAS: tuple[tuple[str, str], ...] = (
    # WAL makes NORMAL durable against application crashes; only a power loss can drop the last commits.
    ("synchronous", "NORMAL"),
    # 32 MB of page cache per connection instead of 2 MB: the hot indexes of a county's register stay in memory.
    ("cache_size", "-32000"),
    # Reads through the page cache of the OS instead of copying each page into SQLite's own.
    ("mmap_size", str(256 * 1024 * 1024)),
    # Sorts and temporary indexes of large reports in memory, not in temporary files.
    ("temp_store", "MEMORY"),
)


class DatabaseWrapper(base.DatabaseWrapper):
    #: >0 while ``jianguan.core.transactions.read_only`` is active on this connection.
    read_only_depth = 0

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        for name, value in PRAGMAS:
            conn.execute(f"PRAGMA {name} = {value}")
        return conn

    def _start_transaction_under_autocommit(self):
        if self.read_only_depth:
            # A read transaction: SQLite takes a snapshot at the first read and never the write lock.
            self.cursor().execute("BEGIN DEFERRED")
        else:
            super()._start_transaction_under_autocommit()


def ensure_wal(connection) -> bool:
    """Switch the database file of ``connection`` to write-ahead logging unless it already is (the mode is stored in
    the file and persists). Returns True if it changed. In-memory databases (the tests') have no WAL: no-op."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0].lower() == "wal":
            return False
        cursor.execute("PRAGMA journal_mode = WAL")
        return cursor.fetchone()[0].lower() == "wal"


def wal_before_migrate(sender, using="default", **kwargs) -> None:
    """``pre_migrate`` receiver: ``migrate`` (which creates the file) leaves it in WAL mode."""
    from django.db import connections

    ensure_wal(connections[using])
