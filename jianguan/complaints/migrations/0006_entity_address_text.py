"""#14: the complained-about business's address becomes ``text`` (ciphertext): when the business is not registered
it is often a person's place."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_encrypt_personal_data")]

    operations = [
        migrations.AlterField("complaint", "entity_address", models.TextField(
            blank=True, verbose_name="被投诉（举报）人地址")),
    ]
