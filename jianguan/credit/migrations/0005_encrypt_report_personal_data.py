"""#14: the annual report's address and phone encrypted at rest (batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("credit", "0004_report_personal_columns_text")]

    operations = [
        crypto_migrations.operation("credit", "AnnualReport", ["address", "phone"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("annualreport", "address", jianguan.core.fields.EncryptedTextField(
                max_length=200, verbose_name="通信地址")),
            migrations.AlterField("annualreport", "phone", jianguan.core.fields.EncryptedTextField(
                max_length=20, verbose_name="联系电话")),
        ]),
    ]
