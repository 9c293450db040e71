"""#14: the issued documents' .docx and PDF encrypted at rest (batches; reversible). The recorded ``content_hash``
stays the SHA-256 of the plaintext .docx. The column type does not change, so the field switch is state only."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0013_provisional_service_payment_push")]

    operations = [
        crypto_migrations.file_operation("enforcement", "Document", ["docx", "pdf"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("document", "docx", jianguan.core.fields.EncryptedBinaryField(verbose_name="Word 文件")),
            migrations.AlterField("document", "pdf", jianguan.core.fields.EncryptedBinaryField(verbose_name="PDF 文件")),
        ]),
    ]
