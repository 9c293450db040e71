"""#14: the reporter's phone and address become ``text`` (ciphertext), the phone gets its blind-index column and the
duplicate probe's index moves to it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_provisional_deadlines")]

    operations = [
        migrations.RemoveIndex("complaint", "cpl_dup"),
        migrations.AlterField("complaint", "person_phone", models.TextField(blank=True, verbose_name="联系电话")),
        migrations.AlterField("complaint", "person_address", models.TextField(blank=True, verbose_name="通讯地址")),
        migrations.AddField("complaint", "person_phone_hash", models.CharField(
            blank=True, default="", editable=False, max_length=64)),
        migrations.AddIndex("complaint", models.Index(fields=["content_hash", "person_phone_hash"],
                                                      name="cpl_dup_hash")),
    ]
