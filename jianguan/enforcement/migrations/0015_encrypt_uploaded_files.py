"""#14: the case evidence attachments and the service proof scans encrypted at rest in the media storage
(``core.storage.EncryptedFileSystemStorage``). The field switch changes no column; the files already stored in clear
are encrypted in place (a file already encrypted is skipped, a missing one left alone); reversed, they are written
back in clear."""

from django.db import migrations, models

import jianguan.core.storage
from jianguan.core.storage import media_operation


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0014_encrypt_issued_documents'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evidence',
            name='file',
            field=models.FileField(blank=True, storage=jianguan.core.storage.encrypted_media, upload_to='enforcement/evidence/%Y/', verbose_name='附件'),
        ),
        migrations.AlterField(
            model_name='service',
            name='proof_file',
            field=models.FileField(blank=True, storage=jianguan.core.storage.encrypted_media, upload_to='enforcement/service/%Y/', verbose_name='凭证扫描件'),
        ),
        media_operation("enforcement", "Evidence", ["file"]),
        media_operation("enforcement", "Service", ["proof_file"]),
    ]
