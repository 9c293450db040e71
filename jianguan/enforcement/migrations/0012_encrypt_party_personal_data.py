"""#14: the party's ID number and address encrypted at rest on cases and leads (batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0011_party_personal_columns_text")]

    operations = [
        crypto_migrations.operation("enforcement", "Case", ["party_id_no", "party_address"]),
        crypto_migrations.operation("enforcement", "Lead", ["party_address"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("case", "party_id_no", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=30, verbose_name="证件号码/统一社会信用代码")),
            migrations.AlterField("case", "party_address", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=200, verbose_name="当事人地址")),
            migrations.AlterField("lead", "party_address", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=200, verbose_name="当事人地址")),
        ]),
    ]
