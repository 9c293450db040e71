"""#14: the applicant's and shareholders' ID numbers and phone become ``text`` (their ciphertext is longer)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("startup", "0002_name_rules")]

    operations = [
        migrations.AlterField("application", "legal_rep_id_no", models.TextField(
            blank=True, verbose_name="法定代表人身份证号码")),
        migrations.AlterField("application", "legal_rep_phone", models.TextField(
            blank=True, verbose_name="法定代表人手机号码")),
        migrations.AlterField("shareholder", "id_no", models.TextField(verbose_name="证件号码/统一社会信用代码")),
    ]
