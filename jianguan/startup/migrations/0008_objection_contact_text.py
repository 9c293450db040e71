"""#14: the objector's contact on a simplified deregistration becomes ``text`` (ciphertext)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("startup", "0007_encrypt_verification_phone")]

    operations = [
        migrations.AlterField("objection", "contact", models.TextField(verbose_name="联系方式")),
    ]
