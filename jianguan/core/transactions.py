"""Transactions that only read.

``transaction.atomic`` on SQLite begins IMMEDIATE (settings: ``transaction_mode``), which takes the database's one
write lock for the whole block: right for writes, wrong for a block that reads several tables and wants them
consistent (an export, a report), which would hold off every writer for as long as it reads. ``read_only()`` gives
such a block a consistent snapshot without the write lock, and makes a write inside it fail loudly.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def read_only(using: str | None = None):
    """A read-only transaction: on SQLite ``BEGIN DEFERRED`` with ``PRAGMA query_only`` (a snapshot from the first
    read; writers are not blocked; a write raises); on PostgreSQL ``SET TRANSACTION READ ONLY``. Inside a
    transaction already open it adds nothing: the outer transaction decides."""
    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        connection.read_only_depth = getattr(connection, "read_only_depth", 0) + 1
    try:
        with transaction.atomic(using=alias):
            if sqlite:
                connection.connection.execute("PRAGMA query_only = ON")
            else:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION READ ONLY")
            yield
    finally:
        if sqlite:
            connection.read_only_depth -= 1
            if connection.connection is not None:  # straight to sqlite3: the block may have ended in an error
                connection.connection.execute("PRAGMA query_only = OFF")
