"""Planner settings for one statement, where the planner's estimate is known to be wrong (#23).

PostgreSQL estimates a condition on a name fragment, or ``unit_id = ANY(…) AND unit_id = 16``, as if its parts were
independent, and at a province's size a wrong estimate is the difference between a page in 10 ms and one in a
second (docs/scale.md). Where the application knows better — it has measured the fragment's density, or it reads
rows along an index that gives their order — it prices the wrong plan out of reach for that one statement::

    with planner.without("sort"):          # read along the index, whatever the estimate
        rows = list(qs[:50])

The settings are set with ``set_config(…, true)`` for the transaction the block opens, or inside a savepoint of a
caller's transaction and put back at the end of the block: they never outlive it (a failed statement rolls the
savepoint back, which undoes them too). Outside a transaction that is one statement more than the block's own.
Elsewhere than on PostgreSQL the block runs as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

METHODS = frozenset({"seqscan", "indexscan", "bitmapscan", "sort", "hashjoin", "mergejoin", "nestloop"})


@contextmanager
def without(*methods: str, using: str = "default") -> Iterator[None]:
    """Run the block with the planner's ``enable_<method>`` off for each of ``methods`` (on PostgreSQL)."""
    unknown = set(methods) - METHODS
    if unknown:
        raise ValueError(f"unknown planner methods: {sorted(unknown)}")
    connection = connections[using]
    if connection.vendor != "postgresql" or not methods:
        yield
        return
    names = [f"enable_{m}" for m in methods]
    inner = connection.in_atomic_block  # a caller's transaction: its savepoint's release would keep the settings
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"set_config('{n}', 'off', true)" for n in names))
        yield
        if inner:  # else the transaction opened here ends with the block, and the settings with it
            cursor.execute("SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)", [names])
