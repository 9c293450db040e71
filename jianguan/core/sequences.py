"""Named counters, in two kinds.

``next_value("doc:410402:罚:2026")`` → 1, 2, 3, … is **gap-free**: the counter row stays locked until the caller's
transaction ends, so two concurrent callers get different values, and a rolled-back transaction gives its value back
(the next caller gets it) instead of leaving a hole in an official numbering. The price is that every caller of the
same key waits for the previous one to commit: use it for documents whose numbering must have no holes.

``next_unique("complaints:2026")`` is **unique and increasing, but may have gaps**: on PostgreSQL it is a database
sequence (``nextval`` takes no lock that outlives the statement and is not undone by a rollback), elsewhere it falls
back to ``next_value`` (SQLite already runs one writer at a time). Use it where throughput matters more than holes,
e.g. public complaint numbers.
"""

from __future__ import annotations

import re

from django.db import DatabaseError, connection, transaction

from .models import Sequence

_TABLE = Sequence._meta.db_table
# "key" and "value" are quoted: both are SQL keywords.
_BUMP = f'UPDATE {_TABLE} SET "value" = "value" + 1 WHERE "key" = %s RETURNING "value"'
_CREATE = f'INSERT INTO {_TABLE} ("key", "value") VALUES (%s, %s) ON CONFLICT ("key") DO NOTHING'
_READ = f'SELECT "value" FROM {_TABLE} WHERE "key" = %s'
_UNIQUE_KEY = re.compile(r"^[a-z0-9]+(:[a-z0-9]+)*$")


def next_value(key: str, start: int = 1) -> int:
    """The next gap-free value of ``key``; its row stays locked until the caller's transaction ends."""
    with transaction.atomic(savepoint=False), connection.cursor() as cur:
        # One statement in the usual case: the UPDATE both locks the row and returns the new value.
        cur.execute(_BUMP, [key])
        row = cur.fetchone()
        if row is None:
            cur.execute(_CREATE, [key, start - 1])
            cur.execute(_BUMP, [key])
            row = cur.fetchone()
        return row[0]


def reserve_block(key: str, size: int, start: int = 1) -> int:
    """Reserve ``size`` consecutive values; returns the first. For bulk loaders."""
    with transaction.atomic():
        Sequence.objects.get_or_create(key=key, defaults={"value": start - 1})
        row = Sequence.objects.select_for_update().get(key=key)
        first = row.value + 1
        row.value += size
        row.save(update_fields=["value"])
        return first


def sequence_name(key: str) -> str:
    """The PostgreSQL sequence behind ``next_unique(key)``: ``complaints:2026`` → ``jg_seq_complaints_2026``."""
    if not _UNIQUE_KEY.match(key):
        raise ValueError(f"sequence key {key!r}: lower-case letters and digits, parts separated by ':'")
    return "jg_seq_" + key.replace(":", "_")


def next_unique(key: str) -> int:
    """The next value of ``key``: unique and increasing, not gap-free (a rolled-back caller leaves a hole).

    On PostgreSQL one ``nextval`` (no lock is held afterwards, so concurrent writers do not wait for each other).
    The sequence is created on first use, starting after the value the gap-free counter of the same key reached,
    so a key that used to be counted by ``next_value`` continues without reusing a number.
    """
    if connection.vendor != "postgresql":
        return next_value(key)
    name = sequence_name(key)
    with connection.cursor() as cur:
        # to_regclass gives NULL for a missing sequence and nextval(NULL) is NULL: no error aborts the transaction.
        cur.execute("SELECT nextval(to_regclass(%s))", [name])
        value = cur.fetchone()[0]
        if value is not None:
            return value
        cur.execute(_READ, [key])
        row = cur.fetchone()
        try:
            with transaction.atomic():
                cur.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {int(row[0] if row else 0) + 1}")
        except DatabaseError:
            pass  # another process created it at the same moment
        cur.execute("SELECT nextval(%s)", [name])
        return cur.fetchone()[0]
