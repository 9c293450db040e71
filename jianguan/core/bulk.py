"""``bulk_create`` without Django's per-value compiler: the primary keys reserved up front, then one prepared INSERT
run for every row (``executemany``) on SQLite, ``COPY … FROM STDIN`` on PostgreSQL.

``Model.objects.bulk_create`` builds one multi-row INSERT per batch: for every value of every row it runs the
compiler's ``field_as_sql``/``prepare_value``/``pre_save`` and then joins thousands of placeholders (and, with
``DEBUG`` on, quotes every parameter once more for the query log; psycopg then quotes every value into the text of
the statement). That was most of the CPU of ``jianguan demo``'s largest steps (issue 16) and, on PostgreSQL, a third
of the July listing at province scale (issue 23, ``docs/scale.md``). ``create(objs)`` writes the same rows with the
same values — each value still goes through its field's ``pre_save`` and ``get_db_prep_save``, except the values of
Django's own plain fields for which those are known to return the value unchanged or its text
(``str``/``int``/``bool``/``None``, a ``date``, an aware ``datetime``, a finite ``Decimal``) — and sets each object's
``pk`` as ``bulk_create`` does. No signals, like ``bulk_create``. Fewer than ``SMALL`` rows and any model this does not
cover (inherited tables, a non-integer key, database defaults, generated columns) get ``bulk_create`` itself.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable

from django.db import connection, connections, models, transaction
from django.db.models.fields import Field

CHUNK = 5000
#: Fewer rows go to ``bulk_create`` itself: its one INSERT … RETURNING beats reserving the keys first (three small
#: statements) when the per-value cost is small anyway.
SMALL = 100

# Django's fields whose get_db_prep_save returns a str/int/bool/None value unchanged (and None for None).
_PLAIN = (
    models.CharField, models.TextField, models.SlugField, models.EmailField, models.URLField,
    models.IntegerField, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
    models.PositiveSmallIntegerField, models.PositiveBigIntegerField, models.BooleanField,
    models.AutoField, models.BigAutoField, models.SmallAutoField,
)
_PLAIN_TYPES = (str, int, bool, type(None))


def _covered(model: type[models.Model]) -> bool:
    opts = model._meta
    return (
        connection.vendor in ("sqlite", "postgresql")
        and not opts.parents
        and isinstance(opts.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
        and not any(f.generated or f.has_db_default() for f in opts.concrete_fields)
    )


def _plain(field: Field) -> bool:
    if field.is_relation:
        target = field.target_field
        return type(target) in _PLAIN and type(field) in (models.ForeignKey, models.OneToOneField)
    return type(field) in _PLAIN


def reserve_ids(table: str, count: int) -> range | list[int]:
    """``count`` fresh keys of ``table``, never handed out again. SQLite (an AUTOINCREMENT table): its high-water mark
    in ``sqlite_sequence`` moved past them — the caller's transaction must be open, as SQLite then has one writer.
    PostgreSQL: taken from the key's sequence (consecutive unless another writer draws from it at the same time)."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [f'"{table}"', count])
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids() must run inside a transaction")
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        cursor.execute(f'SELECT MAX(id) FROM "{table}"')
        start = max(row[0] if row else 0, cursor.fetchone()[0] or 0) + 1
        if row:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start + count - 1, table])
        else:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start + count - 1])
    return range(start, start + count)


def create(objs: Iterable[models.Model], *, batch_size: int = 1000) -> list[models.Model]:
    """``type(objs[0]).objects.bulk_create(objs, batch_size=batch_size)``, set-based without the per-value compiler.
    Returns the objects, their ``pk`` set. Runs inside the caller's transaction (one is opened if none)."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    if len(objs) < SMALL or not _covered(model):
        return model.objects.bulk_create(objs, batch_size=batch_size)
    opts = model._meta
    conn = connections[connection.alias]  # the wrapper itself: the proxy looks it up on every attribute
    fields = [f for f in opts.concrete_fields if f is not opts.pk]
    spec = [(f, f.attname, _has_pre_save(f), _kind(f)) for f in fields]
    # (cache name, attname, target attname) of the foreign keys: an object assigned to one is checked as
    # bulk_create checks it (saved, and its key the one stored) — by Django's own method when it is not plainly so
    relations = [(f.cache_name, f.attname, f.target_field.attname) for f in fields if f.is_relation]
    columns = ", ".join(f'"{f.column}"' for f in [opts.pk, *fields])
    if conn.vendor == "postgresql":
        write = _copy_writer(f'COPY "{opts.db_table}" ({columns}) FROM STDIN')
    else:
        write = _insert_writer(f'INSERT INTO "{opts.db_table}" ({columns}) VALUES ({", ".join(["%s"] * (len(fields) + 1))})')
    with transaction.atomic(savepoint=False):
        missing = [obj for obj in objs if obj.pk is None]
        for obj, pk in zip(missing, reserve_ids(opts.db_table, len(missing)) if missing else (), strict=True):
            obj.pk = pk
        rows = []
        with conn.cursor() as cursor:
            for obj in objs:
                cache = obj._state.fields_cache
                if cache and (opts.private_fields or not _related_plain(obj, cache, relations)):
                    obj._prepare_related_fields_for_save(operation_name="bulk_create")
                row = [obj.pk]
                for field, attname, has_pre_save, kind in spec:
                    value = field.pre_save(obj, True) if has_pre_save else getattr(obj, attname)
                    # the commonest case inline: a call per value is a third of the loop
                    row.append(value if kind == PLAIN and type(value) in _PLAIN_TYPES
                               else _db_value(field, kind, value, conn))
                rows.append(row)
                obj._state.adding = False
                obj._state.db = conn.alias
                if len(rows) >= CHUNK:
                    write(cursor, rows)
                    rows = []
            if rows:
                write(cursor, rows)
    return objs


def _insert_writer(sql: str):
    def write(cursor, rows):
        cursor.executemany(sql, rows)
    return write


def _copy_writer(sql: str):
    # The rows are complete before the COPY starts: nothing may query the connection while it holds a COPY. Errors
    # come out as Django's (IntegrityError …), as from bulk_create: the COPY bypasses the cursor wrapper that maps them.
    def write(cursor, rows):
        with cursor.db.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    return write


def _has_pre_save(field: Field) -> bool:
    """Whether ``field.pre_save`` may return something other than the attribute (Django's date fields only do with
    ``auto_now``/``auto_now_add``)."""
    if type(field) in (models.DateField, models.DateTimeField):
        return field.auto_now or field.auto_now_add
    return type(field).pre_save is not Field.pre_save


_MISSING = object()


def _related_plain(obj, cache: dict, relations) -> bool:
    """Whether every related object cached on ``obj`` is saved and its key is the one ``obj`` holds."""
    for cache_name, attname, target in relations:
        rel = cache.get(cache_name, _MISSING)
        if rel is _MISSING or rel is None:
            continue
        key = getattr(rel, target)
        if key is None or key != getattr(obj, attname):
            return False
    return True


PLAIN, DATE, DATETIME, DECIMAL, OTHER = range(5)


def _kind(field: Field) -> int:
    if _plain(field):
        return PLAIN
    return {models.DateField: DATE, models.DateTimeField: DATETIME, models.DecimalField: DECIMAL}.get(
        type(field), OTHER)


def _db_value(field: Field, kind: int, value, conn):
    """``field.get_db_prep_save(value, conn)`` — returned directly where that would return it unchanged."""
    t = type(value)
    if kind == PLAIN and t in _PLAIN_TYPES:
        return value
    if kind == DATE and t is dt.date:
        return value.isoformat()
    if kind == DATETIME and t is dt.datetime and value.tzinfo is not None:
        return conn.ops.adapt_datetimefield_value(value)  # aware: get_prep_value passes it on unchanged
    if kind == DECIMAL and t is decimal.Decimal and value.is_finite():
        return value
    if hasattr(value, "resolve_expression"):
        raise TypeError(f"core.bulk: an expression for {field}; use bulk_create/bulk_update")
    return field.get_db_prep_save(value, connection=conn)


def update(objs: Iterable[models.Model], fields: Iterable[str], *, batch_size: int = 1000) -> int:
    """``type(objs[0]).objects.bulk_update(objs, fields, batch_size=batch_size)`` on SQLite as one prepared
    ``UPDATE … SET … WHERE id = ?`` run for every object (``executemany``): ``bulk_update`` builds a ``CASE WHEN``
    expression per column over each batch, resolving and compiling one ``When`` per row and column. Same values
    (each through its field's ``get_db_prep_save``; ``pre_save`` is not run, as in ``bulk_update``). Returns the
    number of objects."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    fields = [model._meta.get_field(name) for name in fields]
    if not _covered(model) or any(not f.concrete or f.primary_key for f in fields):
        return model.objects.bulk_update(objs, [f.name for f in fields], batch_size=batch_size)
    opts = model._meta
    assignments = ", ".join(f'"{f.column}" = %s' for f in fields)
    sql = f'UPDATE "{opts.db_table}" SET {assignments} WHERE "{opts.pk.column}" = %s'
    conn = connections[connection.alias]
    spec = [(f, f.attname, _kind(f)) for f in fields]
    rows = []
    for obj in objs:
        if obj.pk is None:
            raise ValueError("All bulk_update() objects must have a primary key set.")
        rows.append([*(_db_value(field, kind, getattr(obj, attname), conn) for field, attname, kind in spec), obj.pk])
    with transaction.atomic(savepoint=False), conn.cursor() as cursor:
        for i in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[i:i + CHUNK])
    return len(objs)


def key_ranges(ids: Iterable[int], field: str = "pk", most_runs: int = 16) -> models.Q:
    """``<field>__in=ids`` — as a few ranges when the keys run consecutively (rows written set-based under reserved
    keys, a chunk of a register seeded or loaded with COPY: one range for 5,000 rows instead of 5,000 parameters to
    make, send and parse). More than ``most_runs`` runs: the plain ``IN`` list."""
    ordered = sorted(set(ids))
    runs: list[list[int]] = []
    for key in ordered:
        if runs and key == runs[-1][1] + 1:
            runs[-1][1] = key
        else:
            runs.append([key, key])
            if len(runs) > most_runs:
                return models.Q(**{f"{field}__in": ordered})
    if not runs:
        return models.Q(**{f"{field}__in": []})
    q = models.Q()
    for low, high in runs:
        q |= models.Q(**{f"{field}__gte": low, f"{field}__lte": high})  # a foreign key has no __range
    return q
