"""#14: the objector's contact encrypted at rest (batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("startup", "0008_objection_contact_text")]

    operations = [
        crypto_migrations.operation("startup", "Objection", ["contact"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("objection", "contact", jianguan.core.fields.EncryptedTextField(
                max_length=60, verbose_name="联系方式")),
        ]),
    ]
