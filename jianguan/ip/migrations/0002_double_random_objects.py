"""Trademark agencies as double-random objects: the licence kind their filing is recorded as (plans filter on it)
and the inspection item of the item list (抽查事项清单)."""

from django.db import migrations

ITEM = {
    "code": "SJ-ZC-01",
    "name": "商标代理机构从事商标代理业务的检查",
    "legal_basis": "《中华人民共和国商标法》第六十八条；《商标代理监督管理规定》（市场监管总局令第63号）第三十条",
    "department": "知识产权科",
    "object_type": "商标代理机构",
    "method": "on_site",
    "checklist": ["备案信息与登记信息一致", "代理委托合同和业务档案完整", "不存在恶意申请、囤积商标的代理行为",
                  "收费标准公示", "从业人员信息备案"],
    "frequency": "每年至少一次",
    "sort": 100,
}


def seed(apps, schema_editor):
    LicenceKind = apps.get_model("registry", "LicenceKind")
    InspectionItem = apps.get_model("inspections", "InspectionItem")
    LicenceKind.objects.get_or_create(code="trademark_agency",
                                      defaults={"name": "商标代理机构备案", "sector": "ip", "sort": 90})
    InspectionItem.objects.get_or_create(code=ITEM["code"], defaults={k: v for k, v in ITEM.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [("ip", "0001_initial"), ("registry", "0002_reference_data"),
                    ("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
