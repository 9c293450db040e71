from django.db import migrations

CAMPAIGNS = [
    ("huhang", "知识产权保护“护航”专项行动"),
    ("leiting", "“雷霆”专项执法行动"),
    ("dajia", "打击侵权假冒伪劣专项行动"),
    ("minsheng", "民生领域案件查办“铁拳”行动"),
    ("sheqi", "涉企违规收费专项整治"),
]


def seed(apps, schema_editor):
    Campaign = apps.get_model("enforcement", "Campaign")
    for code, name in CAMPAIGNS:
        Campaign.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0002_cases_clocks_penalties")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
