"""#14: the legal representative's ID number and the phone encrypted at rest (existing rows in batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_personal_columns_text")]

    operations = [
        crypto_migrations.operation("registry", "Entity", ["legal_rep_id_no", "phone"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("entity", "legal_rep_id_no", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=18, verbose_name="证件号码")),
            migrations.AlterField("entity", "phone", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=20, verbose_name="联系电话")),
        ]),
    ]
