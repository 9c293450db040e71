# The expiring-permits index carries the entity, so a scoped count joins from the index alone (#23).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0011_entity_drop_redundant_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='licence',
            name='licence_status_until',
        ),
        migrations.AddIndex(
            model_name='licence',
            index=models.Index(fields=['status', 'valid_until', 'entity'], name='licence_status_until_entity'),
        ),
    ]
