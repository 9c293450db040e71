"""#14: the reporter's phone and address encrypted at rest, the phone's keyed hash filled (batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_personal_columns_text")]

    operations = [
        crypto_migrations.operation("complaints", "Complaint", ["person_phone", "person_address"],
                                    {"person_phone_hash": "person_phone"}),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("complaint", "person_phone", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=20, verbose_name="联系电话")),
            migrations.AlterField("complaint", "person_address", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=200, verbose_name="通讯地址")),
            migrations.AlterField("complaint", "person_phone_hash", jianguan.core.fields.BlindIndexField(
                source="person_phone")),
        ]),
    ]
