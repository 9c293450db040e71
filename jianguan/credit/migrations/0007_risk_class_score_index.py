"""An index for the risk page's list at province scale (#23: 2.0-2.5 s for every login at 10,000,000 entities).

风险分类 shows the entities of one class, highest score first (``core.lists.order`` writes ``score DESC NULLS LAST,
entity_id DESC``). After the July listing two million entities were class D, and the page sorted all of them —
spilling 840 MB to disk in three processes — to show 51. ``credit_risk_class_score`` holds the rows in that order
within a class, so the first page is read from the index, the reader's scope filtered as it goes. SQLite's
``CREATE INDEX`` knows no ``NULLS LAST``: there (a city's register) the index is in plain column order. The single-
column index of ``risk_class`` is kept: the per-class counts read it.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        columns = "risk_class, score DESC NULLS LAST, entity_id DESC"
    else:
        columns = "risk_class, score, entity_id"
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS credit_risk_class_score ON credit_entityrisk ({columns})")


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS credit_risk_class_score")


class Migration(migrations.Migration):

    dependencies = [
        ("credit", "0006_list_entry_order_index"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
