"""The checklist items of the drug campaigns in the inspection-item list (抽查事项清单): a campaign's plan draws on
its item, and inspectors record results against its checklist."""

from django.db import migrations

DEPT = "药品医疗器械化妆品监督管理科"
OBJECTS = "药品零售企业、医疗器械经营企业、使用单位"
ITEMS = [
    {"code": "YP-ZX-01", "name": "麻醉药品和精神药品专项检查",
     "legal_basis": "《中华人民共和国药品管理法》；《麻醉药品和精神药品管理条例》",
     "checklist": ["专人负责、专柜加锁保管，专用账册记录", "购进、销售、使用的处方和记录完整可追溯",
                   "第二类精神药品凭处方限量销售，不向未成年人销售", "过期、损坏品种按规定登记、销毁",
                   "发现丢失、被盗、被抢按规定报告"]},
    {"code": "YP-ZX-02", "name": "中药饮片专项检查",
     "legal_basis": "《中华人民共和国药品管理法》；《药品经营质量管理规范》",
     "checklist": ["从具有资质的企业购进，索取合法票据", "饮片标签注明品名、规格、产地、生产企业、批号",
                   "无染色增重、掺杂使假、霉变虫蛀", "储存条件符合要求，斗谱清晰、一斗一品", "处方调配复核签字"]},
    {"code": "YP-ZX-03", "name": "药品类易制毒化学品专项检查",
     "legal_basis": "《易制毒化学品管理条例》；《药品类易制毒化学品管理办法》",
     "checklist": ["含麻黄碱类复方制剂专柜陈列、不开架销售", "核查购买者身份证件并登记", "单次销售不超过规定数量",
                   "购销记录保存期限符合规定", "发现异常购买及时报告"]},
    {"code": "YP-ZX-04", "name": "药品网络销售专项检查",
     "legal_basis": "《中华人民共和国药品管理法》；《药品网络销售监督管理办法》（国家市场监督管理总局令第58号）",
     "checklist": ["网站首页显著位置展示药品经营许可证等信息", "处方药凭处方销售，实行处方审核",
                   "不通过网络销售疫苗、血液制品、麻醉药品、精神药品等禁止品种", "销售记录保存期限符合规定",
                   "配送符合药品储存运输要求"]},
]


def seed(apps, schema_editor):
    InspectionItem = apps.get_model("inspections", "InspectionItem")
    for sort, item in enumerate(ITEMS, start=130):
        InspectionItem.objects.get_or_create(code=item["code"], defaults={
            **{k: v for k, v in item.items() if k != "code"}, "department": DEPT, "object_type": OBJECTS,
            "method": "on_site", "frequency": "按专项工作方案", "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("drugs", "0001_initial"), ("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
