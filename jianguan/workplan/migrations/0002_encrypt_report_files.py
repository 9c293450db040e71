"""#14: the progress reports' supporting files encrypted at rest in the media storage
(``core.storage.EncryptedFileSystemStorage``). The field switch changes no column; the files already stored in clear
are encrypted in place (a file already encrypted is skipped, a missing one left alone); reversed, they are written
back in clear."""

from django.db import migrations, models

import jianguan.core.storage
from jianguan.core.storage import media_operation


class Migration(migrations.Migration):

    dependencies = [
        ('workplan', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reportfile',
            name='file',
            field=models.FileField(storage=jianguan.core.storage.encrypted_media, upload_to='workplan/%Y/%m/'),
        ),
        media_operation("workplan", "ReportFile", ["file"]),
    ]
