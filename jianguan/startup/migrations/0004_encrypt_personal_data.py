"""#14: applicants' and shareholders' ID numbers and phones encrypted at rest (batches; reversible)."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("startup", "0003_personal_columns_text")]

    operations = [
        crypto_migrations.operation("startup", "Application", ["legal_rep_id_no", "legal_rep_phone"]),
        crypto_migrations.operation("startup", "Shareholder", ["id_no"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("application", "legal_rep_id_no", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=18, verbose_name="法定代表人身份证号码")),
            migrations.AlterField("application", "legal_rep_phone", jianguan.core.fields.EncryptedTextField(
                blank=True, max_length=20, verbose_name="法定代表人手机号码")),
            migrations.AlterField("shareholder", "id_no", jianguan.core.fields.EncryptedTextField(
                max_length=18, verbose_name="证件号码/统一社会信用代码")),
        ]),
    ]
