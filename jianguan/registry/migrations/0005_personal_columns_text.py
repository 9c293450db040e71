"""#14: the personal columns become ``text`` (their ciphertext is longer than the plaintext's limit)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_name_grams")]

    operations = [
        migrations.AlterField("entity", "legal_rep_id_no", models.TextField(blank=True, verbose_name="证件号码")),
        migrations.AlterField("entity", "phone", models.TextField(blank=True, verbose_name="联系电话")),
    ]
