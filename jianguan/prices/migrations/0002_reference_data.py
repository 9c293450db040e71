"""Reference data: the listed goods of price monitoring with their pricing units, and the sampling categories of
epidemic supplies (masks, protective clothing) with their standards and test items for the shared sampling flow."""

from decimal import Decimal

from django.db import migrations

GOODS = [
    ("LS01", "大米", "staple", "粳米 一级", "元/500克"),
    ("LS02", "面粉", "staple", "特一粉", "元/500克"),
    ("LS03", "食用植物油", "staple", "花生油 5升桶装", "元/桶"),
    ("LS04", "猪肉", "staple", "精瘦肉", "元/500克"),
    ("LS05", "鸡蛋", "staple", "鲜鸡蛋", "元/500克"),
    ("LS06", "大白菜", "staple", "", "元/500克"),
    ("LS07", "土豆", "staple", "", "元/500克"),
    ("FY01", "医用外科口罩", "mask", "YY 0469 单只独立包装", "元/只"),
    ("FY02", "KN95口罩", "mask", "GB 2626 KN95", "元/只"),
    ("FY03", "医用一次性防护服", "mask", "GB 19082", "元/套"),
    ("FY04", "84消毒液", "medicine", "500毫升", "元/瓶"),
    ("FY05", "医用酒精", "medicine", "75% 500毫升", "元/瓶"),
    ("YP01", "布洛芬缓释胶囊", "medicine", "0.3克×20粒", "元/盒"),
    ("YP02", "连花清瘟胶囊", "medicine", "0.35克×24粒", "元/盒"),
    ("YP03", "对乙酰氨基酚片", "medicine", "0.5克×20片", "元/盒"),
]
# (category code, name, producer/seller industries (GB/T 4754 divisions), standard, title, items)
# items: (name, unit, min, max)
CATEGORIES = [
    ("FY-KZ-WK", "医用外科口罩", ["17", "27", "35", "51", "52"], "YY 0469-2011", "医用外科口罩",
     [("细菌过滤效率", "%", "95", None), ("颗粒过滤效率", "%", "30", None), ("压力差", "Pa", None, "49")]),
    ("FY-KZ-KN95", "自吸过滤式防颗粒物呼吸器（KN95口罩）", ["17", "27", "35", "51", "52"], "GB 2626-2019",
     "呼吸防护 自吸过滤式防颗粒物呼吸器", [("过滤效率", "%", "95", None)]),
    ("FY-FHF", "医用一次性防护服", ["17", "18", "27", "35", "51", "52"], "GB 19082-2009",
     "医用一次性防护服技术要求", [("过滤效率（非油性颗粒）", "%", "70", None), ("抗渗水性（静水压）", "kPa", "1.67", None)]),
]


def seed(apps, schema_editor):
    Goods = apps.get_model("prices", "Goods")
    for sort, (code, name, category, spec, unit) in enumerate(GOODS, start=1):
        Goods.objects.get_or_create(code=code, defaults={"name": name, "category": category, "spec": spec,
                                                         "price_unit": unit, "sort": sort})
    ProductCategory = apps.get_model("sampling", "ProductCategory")
    Standard = apps.get_model("sampling", "Standard")
    TestItem = apps.get_model("sampling", "TestItem")
    for code, name, industries, std_code, title, items in CATEGORIES:
        category, _ = ProductCategory.objects.get_or_create(code=code, defaults={
            "sector": "epidemic", "name": name, "industries": industries})
        standard, created = Standard.objects.get_or_create(category=category, code=std_code, defaults={"title": title})
        if created:
            for sort, (item, unit, lo, hi) in enumerate(items, start=1):
                TestItem.objects.create(standard=standard, name=item, unit=unit, sort=sort, required=True,
                                        min_value=Decimal(lo) if lo else None, max_value=Decimal(hi) if hi else None)


class Migration(migrations.Migration):
    dependencies = [("prices", "0001_initial"), ("sampling", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
