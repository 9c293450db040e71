"""#14: the 三小 registration's place encrypted at rest, its keyed hash filled (batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("food", "0005_small_address_text")]

    operations = [
        crypto_migrations.operation("food", "SmallRegistration", ["address"], {"address_hash": "address"}),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("smallregistration", "address", jianguan.core.fields.EncryptedTextField(
                max_length=200, verbose_name="生产经营场所/摊点位置")),
            migrations.AlterField("smallregistration", "address_hash", jianguan.core.fields.BlindIndexField(
                db_index=True, source="address")),
        ]),
    ]
