"""#14: the 三小 registration's place becomes ``text`` (ciphertext) and gets its blind-index column (the same-place
check and the register's search look it up)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("food", "0004_disposal")]

    operations = [
        migrations.AlterField("smallregistration", "address", models.TextField(verbose_name="生产经营场所/摊点位置")),
        migrations.AddField("smallregistration", "address_hash", models.CharField(
            blank=True, db_index=True, default="", editable=False, max_length=64)),
    ]
