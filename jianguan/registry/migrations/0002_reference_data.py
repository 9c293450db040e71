"""Reference data every database needs: GB/T 4754-2017 sections and divisions, and the licence kinds.

Both live as CSV in ``registry/data/`` so a bureau (or a later migration) can correct them without touching code.
Loading is idempotent (update_or_create), so re-running it, or a later migration calling ``load`` again after the
CSV changed, updates the rows in place. Reversing is a no-op: entities and licences point at these rows.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def read(name):
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load(apps, schema_editor):
    Industry = apps.get_model("registry", "Industry")
    LicenceKind = apps.get_model("registry", "LicenceKind")
    for row in read("industries.csv"):  # sections precede their divisions in the file
        Industry.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "parent_id": row["parent"] or None})
    for row in read("licence_kinds.csv"):
        LicenceKind.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "sector": row["sector"],
                "number_format": row["number_format"],
                "high_risk": row["high_risk"] == "1",
                "validity_years": int(row["validity_years"]) if row["validity_years"] else None,
                "sort": int(row["sort"]),
            },
        )


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
