import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0008_publication_push_and_withdraw'),
        ('monitoring', '0005_rounds'),
    ]

    operations = [
        migrations.AddField(
            model_name='feefinding',
            name='lead',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enforcement.lead', verbose_name='移交的线索'),
        ),
    ]
