"""#14: staff and public accounts' phones encrypted at rest, the public account's keyed hash filled (batches;
reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0011_personal_columns_text")]

    operations = [
        crypto_migrations.operation("core", "StaffProfile", ["phone"]),
        crypto_migrations.operation("core", "PublicProfile", ["phone"], {"phone_hash": "phone"}),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("staffprofile", "phone", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=20, verbose_name="联系电话")),
            migrations.AlterField("publicprofile", "phone", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=20, verbose_name="手机号码")),
            migrations.AlterField("publicprofile", "phone_hash", jianguan.core.fields.BlindIndexField(
                db_index=True, source="phone")),
        ]),
    ]
