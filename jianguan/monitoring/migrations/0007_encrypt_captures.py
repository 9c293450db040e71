"""#14: the online-shop monitoring captures (a finding's HTML and full-page screenshot under
``MEDIA_ROOT/monitoring/evidence/``) encrypted at rest in the media storage (``core.storage.EncryptedFileSystemStorage``),
as the uploads are. The captures already stored in clear are encrypted in place, each file atomically (a file already
encrypted is skipped, a missing one left alone); reversed, they are written back in clear. The recorded SHA-256 and
sizes stay those of the plaintext. The column does not change, so the field switch is state only."""

from django.db import migrations

import jianguan.core.storage
from jianguan.core.storage import media_operation


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0006_feefinding_lead"),
    ]

    operations = [
        media_operation("monitoring", "OnlineFinding", ["html_file", "screenshot_file"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name="onlinefinding",
                name="html_file",
                field=jianguan.core.storage.EncryptedMediaPathField(blank=True, max_length=300, verbose_name="网页源文件"),
            ),
            migrations.AlterField(
                model_name="onlinefinding",
                name="screenshot_file",
                field=jianguan.core.storage.EncryptedMediaPathField(blank=True, max_length=300, verbose_name="截图文件"),
            ),
        ]),
    ]
