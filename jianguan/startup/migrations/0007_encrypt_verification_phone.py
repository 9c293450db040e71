"""#14: the SMS verification's phone encrypted at rest, its keyed hash filled (batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("startup", "0006_verification_phone_text")]

    operations = [
        crypto_migrations.operation("startup", "PhoneVerification", ["phone"], {"phone_hash": "phone"}),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("phoneverification", "phone", jianguan.core.fields.EncryptedTextField(
                max_length=20)),
            migrations.AlterField("phoneverification", "phone_hash", jianguan.core.fields.BlindIndexField(
                db_index=True, source="phone")),
        ]),
    ]
