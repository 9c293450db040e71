"""Joins two independent branches of the registry's migrations that reached main side by side: the licence status
``withdrawn`` (#20) and the encryption of the entity's personal columns (#14). No operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_licence_withdrawn_status"),
        ("registry", "0006_encrypt_personal_data"),
    ]

    operations = []
