"""#14: the 责令改正通知书's .docx and PDF encrypted at rest (batches; reversible), like the enforcement documents:
the user of a device may be a sole trader, whose name and address the notice carries. The column type does not
change, so the field switch is state only."""

from django.db import migrations

import jianguan.core.fields
from jianguan.core import crypto_migrations


class Migration(migrations.Migration):
    dependencies = [("equipment", "0003_accident_penalty")]

    operations = [
        crypto_migrations.file_operation("equipment", "RectificationOrder", ["docx", "pdf"]),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField("rectificationorder", "docx",
                                  jianguan.core.fields.EncryptedBinaryField(verbose_name="Word 文件")),
            migrations.AlterField("rectificationorder", "pdf",
                                  jianguan.core.fields.EncryptedBinaryField(verbose_name="PDF 文件")),
        ]),
    ]
