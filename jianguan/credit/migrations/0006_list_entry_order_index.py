# The lists' default order within a status, for a backward index scan of the first page (#23).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credit', '0005_encrypt_report_personal_data'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['status', 'listed_on', 'proposed_on', 'id'], name='credit_list_status_listed'),
        ),
    ]
