"""Name search for fragments of any length on PostgreSQL: a GIN index over each name's characters and character
pairs (unigrams and bigrams).

The trigram index of 0003 cannot serve a fragment of one or two characters (it has no trigram to look up), and
most Chinese searches are exactly that: a surname and a given name, a trade name's two characters. Nor does the
planner know how rare a fragment is from a ``LIKE '%…%'``: it takes a fixed guess and, with ``ORDER BY id
LIMIT``, walks the primary key over the whole table for a rare fragment (≈ 150–500 ms at 1,000,000 entities).
An array of grams has element statistics (``most_common_elems``), so ``grams(name) @> ARRAY[fragment]`` is
both served by this index and estimated well: a rare fragment is a bitmap of its few matches, a common one still
walks the primary key and stops at the first page. ``registry.selectors.name_contains`` builds the filter (for
fragments of one or two characters; longer ones keep the trigram index). The statistics come from ANALYZE,
run here after the index is built; without them the planner guesses and common fragments get slow plans.

``jianguan_name_grams`` is IMMUTABLE (it depends on its argument only), as an index expression must be.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION jianguan_name_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
    SELECT substr(t, i, 1) AS g FROM generate_series(1, char_length(t)) AS i
    UNION ALL
    SELECT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i) AS grams
$$
"""
INDEX = "CREATE INDEX IF NOT EXISTS entity_name_grams ON registry_entity USING gin (jianguan_name_grams(name))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(INDEX)
    # Statistics for the new expression index — only over rows: ANALYZE of an empty table records "empty"
    # (reltuples 0), and PostgreSQL then plans every later query on it for one row, nested loops included.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM registry_entity)")
        if cursor.fetchone()[0]:
            cursor.execute("ANALYZE registry_entity")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS entity_name_grams")
    schema_editor.execute("DROP FUNCTION IF EXISTS jianguan_name_grams(text)")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0003_trigram_search"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
