"""Name- and address-fragment search on PostgreSQL: pg_trgm GIN indexes.

The workbench searches names with ``name__contains`` (``LIKE '%…%'``; case folding is pointless for Chinese). A
B-tree cannot serve a pattern with a leading wildcard; a trigram GIN index can, for fragments of three or more
characters (see docs/benchmarks.md, "Registry", for the measured effect and for two-character fragments).

SQLite has no such index type; there the plain B-tree index on ``name`` from 0001 stays the only one. The indexes
are created with raw SQL behind a vendor check rather than declared in ``Entity.Meta`` because a GinIndex with
an operator class in the model would make SQLite migrations fail.

pg_trgm is a trusted extension (PostgreSQL ≥ 13): the database owner may create it without being a superuser.
Trigrams of Chinese text exist only when the database's LC_CTYPE classifies CJK characters as letters (any
UTF-8 locale such as C.UTF-8 or zh_CN.UTF-8 does; plain "C" does not) — checked below, with a warning.
"""

import sys

from django.db import migrations

INDEXES = {
    "entity_name_trgm": "name",
    "entity_address_trgm": "address",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON registry_entity USING gin ({column} gin_trgm_ops)")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT array_length(show_trgm('市场监管'), 1)")
        (count,) = cursor.fetchone()
    if not count:
        sys.stderr.write(
            "WARNING: this database's LC_CTYPE does not treat Chinese characters as letters, so pg_trgm makes no "
            "trigrams of Chinese names and name search cannot use its index. Create the database with a UTF-8 "
            "locale (e.g. LC_CTYPE 'C.UTF-8' or 'zh_CN.UTF-8').\n")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
