"""#14: the SMS verification's phone becomes ``text`` (ciphertext) and gets its blind-index column, which the rate
limit and the code check look up instead."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("startup", "0005_commitment_permits")]

    operations = [
        migrations.AlterField("phoneverification", "phone", models.TextField()),
        migrations.AddField("phoneverification", "phone_hash", models.CharField(
            blank=True, db_index=True, default="", editable=False, max_length=64)),
    ]
