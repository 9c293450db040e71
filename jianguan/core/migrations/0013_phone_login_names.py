"""#14: a login name that is a mobile number (a person's portal account) becomes the number's keyed hash, so that
``auth_user`` holds no phone in clear; the login looks a typed number up by the same hash (reversible)."""

from django.conf import settings
from django.db import migrations

from jianguan.core import crypto_migrations


def forwards(apps, schema_editor):
    crypto_migrations.hash_phone_logins(apps)


def backwards(apps, schema_editor):
    crypto_migrations.unhash_phone_logins(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0012_encrypt_personal_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
