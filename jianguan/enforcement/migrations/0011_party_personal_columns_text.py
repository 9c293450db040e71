"""#14: the party's ID number and address (case) and the party's address (lead) become ``text`` (ciphertext)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0010_push_extension_and_overdue")]

    operations = [
        migrations.AlterField("case", "party_id_no", models.TextField(blank=True, verbose_name="证件号码/统一社会信用代码")),
        migrations.AlterField("case", "party_address", models.TextField(blank=True, verbose_name="当事人地址")),
        migrations.AlterField("lead", "party_address", models.TextField(blank=True, verbose_name="当事人地址")),
    ]
