"""Two indexes for the abnormal list at province scale (#23: 1.5-3.3 s with two million active entries).

- ``credit_list_status_listed``: the lists' default order within a status, exactly as ``core.lists.order`` writes it
  (``listed_on DESC NULLS LAST, proposed_on DESC NULLS LAST, id DESC``), so the first page is read from the index
  instead of sorting every active entry. SQLite's ``CREATE INDEX`` knows no ``NULLS LAST``: there (a city's
  register) the index is in plain column order. Created here rather than in the model's ``Meta`` for that reason.
- ``credit_list_removal_due``: the removal clocks of the home card (due within days, or overdue) read the few
  entries that have a removal date, not every active entry.
"""

from django.db import migrations, models


def create_order_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        columns = "status, listed_on DESC NULLS LAST, proposed_on DESC NULLS LAST, id DESC"
    else:
        columns = "status, listed_on, proposed_on, id"
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS credit_list_status_listed ON credit_listentry ({columns})")


def drop_order_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS credit_list_status_listed")


class Migration(migrations.Migration):

    dependencies = [
        ('credit', '0005_encrypt_report_personal_data'),
    ]

    operations = [
        migrations.RunPython(create_order_index, drop_order_index),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(condition=models.Q(('removal_due_on__isnull', False)), fields=['removal_due_on'],
                               name='credit_list_removal_due'),
        ),
    ]
