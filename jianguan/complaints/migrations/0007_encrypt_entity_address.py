"""#14: the complained-about business's address encrypted at rest (batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_entity_address_text")]

    operations = [
        crypto_migrations.operation("complaints", "Complaint", ["entity_address"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("complaint", "entity_address", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=200, verbose_name="被投诉（举报）人地址")),
        ]),
    ]
