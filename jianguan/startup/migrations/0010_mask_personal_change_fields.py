"""#14: a change application's ``change_fields`` (JSON kept in clear) held the old and new legal representative's ID
number and phone; they are masked there now, as new submissions write them (the approval reads the values from the
application's encrypted columns). Backwards, the new values come back from those columns; the old ones stay masked
(they are the entity's earlier values, kept in its history)."""

from django.db import migrations

PERSONAL = {"legal_rep_id_no": "legal_rep_id_no", "phone": "legal_rep_phone"}


def _rows(Application):
    return Application._base_manager.filter(kind="change").exclude(change_fields={}).only(
        "pk", "change_fields", *PERSONAL.values()).order_by("pk").iterator(chunk_size=2000)


def forwards(apps, schema_editor):
    from jianguan.registry.masking import redact_changes

    Application = apps.get_model("startup", "Application")
    for app in _rows(Application):
        masked = redact_changes(app.change_fields or {})
        if masked != app.change_fields:
            Application._base_manager.filter(pk=app.pk).update(change_fields=masked)


def backwards(apps, schema_editor):
    Application = apps.get_model("startup", "Application")
    for app in _rows(Application):
        fields = dict(app.change_fields or {})
        for entity_field, app_field in PERSONAL.items():
            if entity_field in fields:
                fields[entity_field] = [fields[entity_field][0], getattr(app, app_field)]
        if fields != app.change_fields:
            Application._base_manager.filter(pk=app.pk).update(change_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("startup", "0009_encrypt_objection_contact")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
