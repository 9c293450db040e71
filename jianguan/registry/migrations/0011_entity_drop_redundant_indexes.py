"""Drop the entity table's indexes that no query uses (#23, measured at 10,000,000 entities in docs/scale.md).

- The single-column indexes on ``division`` and ``unit``: ``entity_div_industry`` (division, industry) and
  ``entity_unit_status`` / ``entity_unit_name`` (unit, …) lead with the same column and serve every filter on it.
- On PostgreSQL, the ``varchar_pattern_ops`` copies Django adds beside a text column's index (``…_like``) for
  ``LIKE 'prefix%'``: no query of the register searches the code, the name or the industry by prefix (the name
  search is ``LIKE '%…%'`` through the trigram and grams indexes; the code is matched whole through the unique
  index). At 10,000,000 entities the four pattern indexes and the two key indexes are 1.5 GB, and every seeded,
  imported or registered row wrote them.
"""

import django.db.models.deletion
from django.db import migrations, models

#: (index, column) of the pattern copies kept by Django for ``uscc`` (unique), ``name`` (db_index) and
#: ``industry_id`` (a text foreign key); ``division_id``'s goes with its index in the AlterField below.
PATTERN_INDEXES = [
    ("registry_entity_uscc_ae17bdc9_like", "uscc"),
    ("registry_entity_name_6f9f5c16_like", "name"),
    ("registry_entity_industry_id_a161316f_like", "industry_id"),
]


def drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in PATTERN_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in PATTERN_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_entity" ("{column}" varchar_pattern_ops)')


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0013_phone_login_names'),
        ('registry', '0010_entity_unit_name'),
    ]

    operations = [
        migrations.AlterField(
            model_name='entity',
            name='division',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='core.division',
                                    verbose_name='行政区划'),
        ),
        migrations.AlterField(
            model_name='entity',
            name='unit',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='entities', to='core.orgunit', verbose_name='监管单位'),
        ),
        migrations.RunPython(drop_pattern_indexes, create_pattern_indexes, elidable=False),
    ]
