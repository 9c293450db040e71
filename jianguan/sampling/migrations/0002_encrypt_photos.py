"""#14: the sampling photos encrypted at rest in the media storage (``core.storage.EncryptedFileSystemStorage``). The
field switch changes no column; the files already stored in clear are encrypted in place (a file already encrypted
is skipped, a missing one left alone); reversed, they are written back in clear."""

from django.db import migrations, models

import jianguan.core.storage
from jianguan.core.storage import media_operation


class Migration(migrations.Migration):

    dependencies = [
        ('sampling', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='sample',
            name='photo',
            field=models.FileField(blank=True, storage=jianguan.core.storage.encrypted_media, upload_to='sampling/%Y/', verbose_name='现场照片'),
        ),
        media_operation("sampling", "Sample", ["photo"]),
    ]
