"""#14: the inspection attachments encrypted at rest in the media storage
(``core.storage.EncryptedFileSystemStorage``). The field switch changes no column; the files already stored in clear
are encrypted in place (a file already encrypted is skipped, a missing one left alone); reversed, they are written
back in clear."""

from django.db import migrations, models

import jianguan.core.storage
import jianguan.inspections.models
from jianguan.core.storage import media_operation


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0003_plan_complete_by_provisional_due'),
    ]

    operations = [
        migrations.AlterField(
            model_name='attachment',
            name='file',
            field=models.FileField(storage=jianguan.core.storage.encrypted_media, upload_to=jianguan.inspections.models._attachment_path),
        ),
        media_operation("inspections", "Attachment", ["file"]),
    ]
