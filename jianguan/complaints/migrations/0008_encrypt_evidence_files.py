"""#14: the complaint evidence (photos, receipts, a reporter's documents) encrypted at rest in the media storage
(``core.storage.EncryptedFileSystemStorage``). The field switch changes no column; the files already stored in clear
are encrypted in place (a file already encrypted is skipped, a missing one left alone); reversed, they are written
back in clear."""

import jianguan.complaints.models
from django.db import migrations, models

import jianguan.core.storage
from jianguan.core.storage import media_operation


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0007_encrypt_entity_address'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evidence',
            name='file',
            field=models.FileField(max_length=200, storage=jianguan.core.storage.encrypted_media, upload_to=jianguan.complaints.models.evidence_path),
        ),
        media_operation("complaints", "Evidence", ["file"]),
    ]
