"""Fast bulk writes for the importer and the seeder: ids reserved up front, rows streamed in.

PostgreSQL: ``COPY … FROM STDIN`` through psycopg's ``cursor.copy()``; SQLite: one ``executemany`` INSERT.
Both skip model instances entirely — at a million rows the per-object cost of ``bulk_create`` (building a model,
running ``pre_save``, adapting each value through the field) is most of the time. Callers therefore hand in
values that are already what the column stores (ids for foreign keys, aware datetimes, ``Decimal``…) and do their
own validation first. Must run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import json
from collections.abc import Iterable, Sequence

from django.db import connection, models, transaction

from jianguan.core import bulk as core_bulk

COPY_CHUNK = 20_000


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``, never handed out again (rows may then be inserted with them)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"allocate_ids: unsupported database {connection.vendor}")
    return list(core_bulk.reserve_ids(model._meta.db_table, count))


def _sqlite_value(value):
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *,
           fill_defaults: bool = False) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``, attribute names such as ``unit_id``) into ``model``'s
    table. Returns the number of rows written. JSON values may be given as ``dict`` or as JSON text.

    ``fill_defaults``: every other column (but the key, database defaults and generated columns) gets its field's
    default, evaluated once for the call — ``created_at = timezone.now`` is then the same instant for every row."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("insert() must run inside a transaction")
    opts = model._meta
    if fill_defaults:
        named = set(fields)
        others = [f for f in opts.concrete_fields
                  if f.attname not in named and not f.primary_key and not f.has_db_default() and not f.generated]
        defaults = tuple(f.get_default() for f in others)
        fields = [*fields, *(f.attname for f in others)]
        rows = (tuple(row) + defaults for row in rows)
    by_attname = {f.attname: f for f in opts.concrete_fields}
    model_fields = [by_attname[name] for name in fields]
    columns = [f.column for f in model_fields]
    json_positions = [i for i, f in enumerate(model_fields) if isinstance(f, models.JSONField)]
    count = 0
    if connection.vendor == "postgresql":
        column_list = ", ".join(f'"{c}"' for c in columns)
        sql = f'COPY "{opts.db_table}" ({column_list}) FROM STDIN'
        # The rows are taken in chunks *before* each COPY starts: a generator that itself queries the database
        # (reserving a sequence block, looking up an id) would otherwise wait forever on the connection the COPY
        # holds. One COPY per chunk costs next to nothing next to the rows themselves.
        iterator = iter(rows)
        while chunk := list(itertools.islice(iterator, COPY_CHUNK)):
            with connection.cursor() as cursor, cursor.db.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                write = copy.write_row
                for row in chunk:
                    if json_positions:
                        row = list(row)
                        for i in json_positions:
                            if not isinstance(row[i], str):
                                row[i] = json.dumps(row[i], ensure_ascii=False)
                    write(row)
            count += len(chunk)
        return count
    placeholders = ", ".join(["%s"] * len(columns))
    column_list = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{opts.db_table}" ({column_list}) VALUES ({placeholders})'
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(_sqlite_value(v) for v in row))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
