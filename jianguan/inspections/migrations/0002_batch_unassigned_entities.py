from django.db import migrations, models


def backfill(apps, schema_editor):
    """Batches drawn before this field existed get their snapshot from today's registry."""
    DrawBatch = apps.get_model("inspections", "DrawBatch")
    Entity = apps.get_model("registry", "Entity")
    for batch in DrawBatch.objects.exclude(unassigned=[]).iterator():
        codes = list(batch.unassigned or [])
        found = {
            uscc: {"uscc": uscc, "name": name, "unit": unit or ""}
            for uscc, name, unit in Entity.objects.filter(uscc__in=codes).values_list("uscc", "name", "unit__name")
        }
        batch.unassigned_entities = [found.get(c, {"uscc": c, "name": "", "unit": ""}) for c in codes]
        batch.save(update_fields=["unassigned_entities"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="drawbatch",
            name="unassigned_entities",
            field=models.JSONField(blank=True, default=list, verbose_name="未分配对象（抽取时的名称与单位）"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
