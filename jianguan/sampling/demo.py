"""Demo: a year of product quality supervision sampling in Pingdingshan — eight product categories (hazardous
chemicals, building materials, 农资, products for students, children and the elderly, refined oil, masks and
protective clothing), each with a standard and its test items (demo reference data: the limits are those of the
standards' common grade), a plan with one sample per county, drawn with the verifiable draw, sampled, tested, the
unqualified ones followed up at every stage, and six of the eight plans published. Runs through the services (the
draw, the computed conclusions and the clocks are the real ones). Idempotent: a second run finds the plans.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core.demo import step
from jianguan.core.models import OrgUnit

from . import services
from .models import Plan, ProductCategory, Standard, TestItem

D = Decimal
# code, name, industries, standard code, standard title, items (name, unit, min, max, method), product names
CATALOGUE = [
    ("WHP", "危险化学品", ["26", "51", "52"], "GB 338-2011", "工业用甲醇",
     [("甲醇含量", "%", D("99.85"), None, "GB 338-2011 4.4"), ("水分", "%", None, D("0.10"), "GB/T 6283"),
      ("密度（20 ℃）", "g/cm³", D("0.791"), D("0.793"), "GB/T 4472")], "工业用甲醇"),
    ("JC", "建筑材料", ["30", "47", "48", "50", "51"], "GB 175-2023", "通用硅酸盐水泥",
     [("28 天抗压强度", "MPa", D("42.5"), None, "GB/T 17671"), ("氧化镁", "%", None, D("5.0"), "GB/T 176"),
      ("初凝时间", "min", D("45"), None, "GB/T 1346")], "普通硅酸盐水泥 P·O 42.5"),
    ("NZ", "农资", ["01", "05", "26", "51", "52"], "GB/T 15063-2020", "复合肥料",
     [("总养分", "%", D("40.0"), None, "GB/T 8573"), ("水分", "%", None, D("2.0"), "GB/T 8577"),
      ("氯离子", "%", None, D("3.0"), "GB/T 15063 附录B")], "复合肥料 15-15-15"),
    ("XS", "学生用品", ["24", "41", "51", "52"], "GB 21027-2020", "学生用品的安全通用要求",
     [("可迁移元素铅", "mg/kg", None, D("90"), "GB 6675.4"), ("邻苯二甲酸酯总量", "%", None, D("0.1"), "GB/T 22048")],
     "学生文具套装"),
    ("ET", "儿童用品", ["24", "41", "51", "52"], "GB 6675.1-2014", "玩具安全 第1部分：基本规范",
     [("可迁移元素铅", "mg/kg", None, D("90"), "GB 6675.4"), ("增塑剂总量", "%", None, D("0.1"), "GB/T 22048")],
     "塑胶玩具"),
    ("LN", "老年用品", ["38", "51", "52"], "GB 4706.8-2008", "家用和类似用途电器的安全 电热毯",
     [("泄漏电流", "mA", None, D("0.75"), "GB 4706.1 第13章"), ("绝缘电阻", "MΩ", D("2"), None, "GB 4706.1")],
     "电热毯"),
    ("CPY", "成品油", ["25", "51", "52"], "GB 17930-2016", "车用汽油",
     [("硫含量", "mg/kg", None, D("10"), "SH/T 0689"), ("苯含量（体积分数）", "%", None, D("0.8"), "SH/T 0713"),
      ("研究法辛烷值", "—", D("92"), None, "GB/T 5487")], "92号车用汽油（VIB）"),
    ("KZ", "口罩和防护服", ["17", "18", "27", "51", "52"], "GB 2626-2019", "呼吸防护 自吸过滤式防颗粒物呼吸器",
     [("过滤效率", "%", D("95"), None, "GB 2626 6.3"), ("吸气阻力", "Pa", None, D("210"), "GB 2626 6.5")],
     "KN95 防护口罩"),
]


def _good(item: TestItem, i: int) -> str:
    low, high = item.min_value, item.max_value
    if low is not None and high is not None:
        return str((low + high) / 2)
    if high is not None:
        return str(high * D("0.6"))
    return str(low * D("1.02") if low else D("1"))


def _bad(item: TestItem) -> str:
    return str(item.max_value * D("1.5")) if item.max_value is not None else str(item.min_value * D("0.9"))


def reference_data() -> list[Standard]:
    standards = []
    for code, name, industries, std_code, std_title, items, _product in CATALOGUE:
        cat, _ = ProductCategory.objects.update_or_create(code=code, defaults={"name": name, "industries": industries,
                                                                               "sector": "product"})
        std, created = Standard.objects.get_or_create(category=cat, code=std_code, defaults={"title": std_title})
        if created:
            TestItem.objects.bulk_create([TestItem(standard=std, name=n, unit=u, min_value=lo, max_value=hi, method=m,
                                                   sort=i) for i, (n, u, lo, hi, m) in enumerate(items)])
        standards.append(std)
    return standards


@step(57, "产品质量监督抽查")
def demo_sampling(*, today: dt.date, stdout) -> dict:
    year = today.year
    if Plan.objects.filter(code=f"ZLCC-{year}-WHP").exists():
        return {"plans": Plan.objects.filter(year=year).count()}
    actor = get_user_model().objects.filter(username="zl_supervisor").first()
    unit = OrgUnit.objects.filter(code="410400ZL").first()
    if actor is None or unit is None:
        return {"plans": 0}
    districts = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code").values_list("code", flat=True))
    counts = {"plans": 0, "samples": 0, "unqualified": 0}
    with transaction.atomic():
        standards = reference_data()
        for n, (std, entry) in enumerate(zip(standards, CATALOGUE)):
            code, product = entry[0], entry[6]
            start = dt.date(year, 1, 1) + dt.timedelta(days=20 * n)
            plan = services.plan_create(actor=actor, sector="product", year=year, code=f"ZLCC-{year}-{code}",
                                        title=f"{year}年{std.category.name}产品质量市级监督抽查", category=std.category,
                                        standard=std, unit=unit, quotas={d: 1 for d in districts})
            try:
                services.plan_freeze(actor=actor, plan=plan, beacon=f"福利彩票3D {year}年第{30 + 10 * n:03d}期开奖号码")
            except Exception:  # a category with too few producers in some county: leave the plan in draft
                continue
            services.plan_draw(actor=actor, plan=plan, randomness=f"{(n * 371 + 529) % 1000:03d}")
            counts["plans"] += 1
            items = list(std.items.all())
            in_progress = n >= 6  # the last two plans are still being tested
            for i, sample in enumerate(plan.samples.order_by("id")):
                sampled = min(start + dt.timedelta(days=i), today - dt.timedelta(days=60))
                services.sample_record(actor=actor, sample=sample, product_name=product, batch_no=f"{sampled:%Y%m%d}{i:02d}",
                                       produced_on=sampled - dt.timedelta(days=30), quantity="2 件（备样 1 件）",
                                       sampled_on=sampled, seal_no=f"FY{plan.pk:02d}{i:03d}", sampler_signed=True,
                                       producer_signed=True, brand_model="", today=today)
                services.custody_add(actor=actor, sample=sample, on=sampled, handed_by="市局抽样人员",
                                     received_by="平顶山市产品质量检验检测中心", today=today)
                counts["samples"] += 1
                if in_progress and i % 2:
                    continue
                bad = (i + n) % 7 == 3
                values = [{"item": it.pk, "unit": it.unit,
                           "value": _bad(it) if bad and k == 0 else _good(it, i)} for k, it in enumerate(items)]
                tested = sampled + dt.timedelta(days=15)
                services.result_record(actor=actor, sample=sample, values=values, lab="平顶山市产品质量检验检测中心",
                                       report_no=f"PZJ{year}-{plan.pk:02d}{i:03d}", tested_on=tested, today=today)
                if not bad:
                    continue
                counts["unqualified"] += 1
                served = tested + dt.timedelta(days=5)
                services.result_served(actor=actor, sample=sample, served_on=served, today=today)
                stage = (i + n) % 3
                if stage == 0:
                    services.objection_file(actor=actor, sample=sample, on=served + dt.timedelta(days=6), today=today)
                    services.retest_record(actor=actor, sample=sample, values=values, lab="河南省产品质量监督检验院",
                                           report_no=f"FJ{year}-{plan.pk:02d}{i:03d}",
                                           tested_on=served + dt.timedelta(days=20), today=today)
                if stage in (0, 1):
                    services.rectification_done(actor=actor, sample=sample, on=served + dt.timedelta(days=25), today=today)
                    services.lead_open(actor=actor, sample=sample, today=served + dt.timedelta(days=26))
                    services.sample_close(actor=actor, sample=sample, today=served + dt.timedelta(days=30))
            if not in_progress:
                services.plan_publish(actor=actor, plan=plan, on=min(start + dt.timedelta(days=90), today))
    stdout.write(f"  监督抽查计划 {counts['plans']} 个，样品 {counts['samples']} 个，不合格 {counts['unqualified']} 个")
    return counts
