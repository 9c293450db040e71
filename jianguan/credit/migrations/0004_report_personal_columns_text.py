"""#14: the annual report's address and phone become ``text`` (ciphertext)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("credit", "0003_listentry_removal_overdue")]

    operations = [
        migrations.AlterField("annualreport", "address", models.TextField(verbose_name="通信地址")),
        migrations.AlterField("annualreport", "phone", models.TextField(verbose_name="联系电话")),
    ]
