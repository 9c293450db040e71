"""Certification bodies and testing institutions as double-random objects: the licence kinds their approval and
accreditation are recorded as (plans filter on them) and their inspection items in the item list."""

from django.db import migrations

KINDS = [("certification_body", "认证机构批准书", 91), ("testing_cma", "检验检测机构资质认定证书", 92)]
ITEMS = [
    {"code": "SJ-RZ-01", "name": "认证机构从事认证活动的检查",
     "legal_basis": "《中华人民共和国认证认可条例》第五十三条、第五十五条；《认证机构管理办法》",
     "department": "认证认可与检验检测监督管理科", "object_type": "认证机构", "method": "on_site",
     "checklist": ["批准书在有效期内、认证领域与批准范围一致", "认证人员具备相应资质", "认证过程记录完整、可追溯",
                   "获证组织跟踪监督按期实施", "证书信息按规定报送"],
     "frequency": "每年至少一次", "sort": 110},
    {"code": "SJ-JC-01", "name": "检验检测机构资质认定及检验检测活动的检查",
     "legal_basis": "《检验检测机构资质认定管理办法》；《检验检测机构监督管理办法》",
     "department": "认证认可与检验检测监督管理科", "object_type": "检验检测机构", "method": "on_site",
     "checklist": ["资质认定证书在有效期内", "报告在资质认定能力范围内出具", "原始记录与报告一致、可追溯",
                   "授权签字人在授权范围内签发", "标注资质认定标志规范"],
     "frequency": "每年至少一次", "sort": 111},
]


def seed(apps, schema_editor):
    LicenceKind = apps.get_model("registry", "LicenceKind")
    InspectionItem = apps.get_model("inspections", "InspectionItem")
    for code, name, sort in KINDS:
        LicenceKind.objects.get_or_create(code=code, defaults={"name": name, "sector": "quality", "sort": sort})
    for item in ITEMS:
        InspectionItem.objects.get_or_create(code=item["code"], defaults={k: v for k, v in item.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial"), ("registry", "0002_reference_data"),
                    ("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
