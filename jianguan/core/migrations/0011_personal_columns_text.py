"""#14: staff phones and public accounts' phones become ``text`` (ciphertext); the public account's phone gets its
blind-index column (the sign-up's "is this number registered?" looks it up)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0010_notifications")]

    operations = [
        migrations.AlterField("staffprofile", "phone", models.TextField(blank=True, verbose_name="联系电话")),
        migrations.AlterField("publicprofile", "phone", models.TextField(blank=True, verbose_name="手机号码")),
        migrations.AddField("publicprofile", "phone_hash", models.CharField(
            blank=True, db_index=True, default="", editable=False, max_length=64)),
    ]
