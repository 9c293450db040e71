"""Demo: food supervision in Pingdingshan — every caterer of the generated register (industry 62, a few thousand)
graded one to three times over the past year on the rule's checklist, their annual grades computed set-based, and
about 1,500 三小 registrations across the counties (a few due for renewal, a few expired). Bulk inserts, one audit
entry per kind of row; idempotent: a second run finds the marker and does nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from jianguan.core import sequences
from jianguan.core.demo import bulk_add, step
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule
from jianguan.registry.models import Entity, EntityStatus

from . import grading, services
from .models import NUMBER_PREFIX, GradingInspection, SmallKind, SmallRegistration, SmallStatus

MARKER = "food.demo.loaded"
SMALLS = 1500
SHOPS = ("烩面馆", "饺子馆", "包子铺", "羊肉汤馆", "小吃店", "凉皮店", "胡辣汤", "烧饼铺", "豆腐坊", "粉条作坊",
         "馍坊", "卤肉店", "水果摊", "早点摊", "烤红薯摊")
STREETS = ("中兴路", "建设路", "矿工路", "开源路", "新华路", "光明路", "体育路", "凌云路", "曙光街", "和平路")
CATEGORIES = {SmallKind.WORKSHOP: ("粉条加工", "豆制品加工", "馒头加工", "卤肉制品加工"),
              SmallKind.SHOP: ("热食类食品制售", "预包装食品销售", "冷食类食品制售"),
              SmallKind.STALL: ("小吃现场制售", "水果销售", "早点现场制售")}


@step(64, "食品安全监管")
def demo_food(*, today: dt.date, stdout) -> dict:
    from jianguan.core.models import AuditEntry

    if AuditEntry.objects.filter(action=MARKER).exists():
        return {"gradings": GradingInspection.objects.count(), "smalls": SmallRegistration.objects.count()}
    rnd = random.Random(18)
    user = get_user_model().objects.filter(username="sp_supervisor").first()
    if user is None:
        return {"gradings": 0, "smalls": 0}
    checklist = rule("food.grading_checklist", on=today)
    thresholds = rule("food.grading_thresholds", on=today)
    caterers = list(Entity.objects.filter(industry_id=services.CATERING_INDUSTRY, status=EntityStatus.ACTIVE)
                    .order_by("id").values_list("id", "unit_id"))
    rows = []
    for entity_id, unit_id in caterers:
        careful = rnd.random()
        for _ in range(rnd.choice((1, 1, 2, 2, 3))):
            answers = {item["code"]: rnd.random() < 0.55 + careful * 0.45 for item in checklist}
            value, key_failed, items = grading.score(checklist, answers)
            rows.append(GradingInspection(
                entity_id=entity_id, unit_id=unit_id, inspected_on=today - dt.timedelta(days=rnd.randrange(1, 360)),
                inspector=user, answers=items, score=value, grade=grading.dynamic_grade(value, key_failed, thresholds),
                note=""))
    bulk_add(rows, action="food.demo.gradings_loaded", batch_size=2000)
    annual = services.annual_compute(actor="demo", as_of=today)

    counties = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code"))
    kinds = [SmallKind.SHOP] * 6 + [SmallKind.STALL] * 3 + [SmallKind.WORKSHOP]
    plan = []
    for n in range(SMALLS):
        kind = rnd.choice(kinds)
        issued = today - dt.timedelta(days=rnd.randrange(10, 1000))
        plan.append((kind, counties[n % len(counties)], issued))
    # numbers: a block per (kind, county, year), reserved in the same counters the service uses
    firsts, used = {}, {}
    for kind, county, issued in plan:
        used[(kind, county.code, issued.year)] = used.get((kind, county.code, issued.year), 0) + 1
    for (kind, code, year), size in used.items():
        firsts[(kind, code, year)] = sequences.reserve_block(f"food:small:{kind}:{code}:{year}", size)
    smalls = []
    for n, (kind, county, issued) in enumerate(plan):
        key = (kind, county.code, issued.year)
        serial = firsts[key]
        firsts[key] += 1
        until = services.validity_end(kind, issued)
        status = SmallStatus.EXPIRED if until < today else SmallStatus.VALID
        if status == SmallStatus.EXPIRED and rnd.random() < 0.7:  # most renew in time
            until = services.validity_end(kind, until + dt.timedelta(days=1))
            status = SmallStatus.VALID
        name = f"{county.short_name.removesuffix('局').removesuffix('区').removesuffix('县')}{rnd.choice(SHOPS)}{n + 1}"
        smalls.append(SmallRegistration(
            kind=kind, number=f"{NUMBER_PREFIX[kind]}{county.code}{issued.year}{serial:05d}", name=name,
            operator=f"{'王李张刘陈杨赵黄周吴'[n % 10]}某", address=f"{rnd.choice(STREETS)}{rnd.randint(1, 300)}号",
            category=rnd.choice(CATEGORIES[kind]), county=county, unit=county, issued_on=issued, valid_until=until,
            status=status))
    bulk_add(smalls, action="food.demo.smalls_loaded", batch_size=2000)
    from jianguan.core import audit

    audit.record(actor="demo", action=MARKER, object_type="food.gradinginspection",
                 object_repr=f"演示数据：餐饮量化分级 {len(rows)} 次、三小登记 {len(smalls)} 户",
                 changes={"gradings": [None, len(rows)], "smalls": [None, len(smalls)]})
    return {"caterers": len(caterers), "gradings": len(rows), "annual": annual["annual_changed"],
            "smalls": len(smalls)}


# --- food sampling with its 核查处置 and recalls; 明厨亮灶 / 示范店 designations --------------------------------------

D = Decimal
#: demo reference data: three food categories with the limits of the national food-safety standards cited
FOOD_CATALOGUE = [
    ("SP-XMF", "小麦粉", ["13", "51", "52"], "GB 2762-2022 / GB 2761-2017", "食品中污染物限量；食品中真菌毒素限量",
     [("铅（以 Pb 计）", "mg/kg", None, D("0.2"), "GB 5009.12"), ("镉（以 Cd 计）", "mg/kg", None, D("0.1"), "GB 5009.15"),
      ("黄曲霉毒素 B₁", "μg/kg", None, D("5.0"), "GB 5009.22"), ("玉米赤霉烯酮", "μg/kg", None, D("60"), "GB 5009.209")],
     "小麦粉（特一粉）"),
    ("SP-JZY", "餐饮煎炸过程用油", ["62"], "GB 2716-2018", "植物油",
     [("酸价（KOH）", "mg/g", None, D("5"), "GB 5009.229"), ("极性组分", "%", None, D("27"), "GB 5009.202")],
     "煎炸过程用油"),
    ("SP-JC", "韭菜", ["51", "52"], "GB 2763-2021", "食品中农药最大残留限量",
     [("腐霉利", "mg/kg", None, D("0.2"), "GB 23200.113"), ("毒死蜱", "mg/kg", None, D("0.02"), "GB 23200.113"),
      ("甲拌磷", "mg/kg", None, D("0.01"), "GB 23200.113")], "韭菜"),
]


def _food_reference():
    from jianguan.sampling.models import ProductCategory, Standard, TestItem

    standards = []
    for code, name, industries, std_code, std_title, items, _ in FOOD_CATALOGUE:
        cat, _ = ProductCategory.objects.update_or_create(code=code, defaults={"name": name, "industries": industries,
                                                                               "sector": "food"})
        std, created = Standard.objects.get_or_create(category=cat, code=std_code, defaults={"title": std_title})
        if created:
            TestItem.objects.bulk_create([TestItem(standard=std, name=n, unit=u, min_value=lo, max_value=hi, method=m,
                                                   sort=i) for i, (n, u, lo, hi, m) in enumerate(items)])
        standards.append(std)
    return standards


def _at(day: dt.date, hour: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


PER_COUNTY = 3


@step(65, "食品抽检、核查处置和召回、明厨亮灶和示范店")
def demo_food_sampling(*, today: dt.date, stdout) -> dict:
    """Three food sampling plans of the year (three samples per county), tested; about one sample in six fails and
    its 核查处置 runs at a different stage (just opened, measures under way, a recall running, closed and public);
    one food complaint leads to a recall; caterers graded A or B apply for 明厨亮灶 and the best for 示范店."""
    from jianguan.sampling import services as sampling
    from jianguan.sampling.models import Plan

    from .models import Designation, Disposal

    year = today.year
    if Plan.objects.filter(code=f"SPCJ-{year}-SP-XMF").exists():
        return {"food_plans": Plan.objects.filter(sector="food", year=year).count(),
                "disposals": Disposal.objects.count(), "designations": Designation.objects.count()}
    actor = get_user_model().objects.filter(username="sp_supervisor").first()
    unit = OrgUnit.objects.filter(code="410400SP").first()
    if actor is None or unit is None:
        return {"food_plans": 0}
    districts = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code").values_list("code", flat=True))
    counts = {"food_plans": 0, "food_samples": 0, "unqualified": 0, "disposals": 0, "recalls": 0}
    bad_samples = []
    for n, (std, entry) in enumerate(zip(_food_reference(), FOOD_CATALOGUE)):
        code, product = entry[0], entry[6]
        plan = sampling.plan_create(actor=actor, sector="food", year=year, code=f"SPCJ-{year}-{code}",
                                    title=f"{year}年{std.category.name}食品安全市级监督抽检", category=std.category,
                                    standard=std, unit=unit, quotas={d: PER_COUNTY for d in districts})
        try:
            sampling.plan_freeze(actor=actor, plan=plan, beacon=f"福利彩票3D {year}年第{60 + 10 * n:03d}期开奖号码")
        except Exception:  # too few producers of the category in some county: the plan stays a draft
            continue
        sampling.plan_draw(actor=actor, plan=plan, randomness=f"{(n * 433 + 211) % 1000:03d}")
        counts["food_plans"] += 1
        items = list(std.items.all())
        for i, sample in enumerate(plan.samples.order_by("id")):
            sampled = today - dt.timedelta(days=200 - 5 * i % 150 + n)
            sampling.sample_record(actor=actor, sample=sample, product_name=product, batch_no=f"{sampled:%Y%m%d}{i:02d}",
                                   produced_on=sampled - dt.timedelta(days=10), quantity="2 kg（备样 1 kg）",
                                   sampled_on=sampled, seal_no=f"SP{plan.pk:02d}{i:03d}", sampler_signed=True,
                                   producer_signed=True, brand_model="", today=today)
            sampling.custody_add(actor=actor, sample=sample, on=sampled, handed_by="市局食品抽样人员",
                                 received_by="平顶山市食品药品检验检测中心", today=today)
            bad = (i + n) % 15 == 2  # about 7 %: the demo's failure rate, above the province's usual 2–3 %
            vals = [{"item": it.pk, "unit": it.unit,
                     "value": str(it.max_value * (D("1.8") if bad and k == i % len(items) else D("0.3")))}
                    for k, it in enumerate(items)]
            tested = sampled + dt.timedelta(days=12)
            sampling.result_record(actor=actor, sample=sample, values=vals, lab="平顶山市食品药品检验检测中心",
                                   report_no=f"SJ{year}-{plan.pk:02d}{i:03d}", tested_on=tested, today=today)
            counts["food_samples"] += 1
            if bad:
                sampling.result_served(actor=actor, sample=sample, served_on=tested + dt.timedelta(days=3), today=today)
                bad_samples.append(sample)
        sampling.plan_publish(actor=actor, plan=plan, on=today - dt.timedelta(days=20))
    counts["unqualified"] = len(bad_samples)
    steps = [s["code"] for s in rule("food.disposal_steps", on=today)]
    for k, sample in enumerate(bad_samples):
        d = services.disposal_open(actor=actor, sample=sample, today=today)
        counts["disposals"] += 1
        opened = d.opened_on
        # one each of: 0 just opened, 1 measures under way, 2 recall running; the others closed and public
        stage = k if k < 4 else 3
        done = steps if stage in (2, 3) else steps[:3] if stage == 1 else []
        for code in done:
            services.disposal_step(actor=actor, disposal=d, code=code, done_on=min(opened + dt.timedelta(days=2), today),
                                   note="企业已按要求办理", today=today)
        if stage == 2:
            announced = max(opened, today - dt.timedelta(days=4))
            services.recall_order(actor=actor, disposal=d, level="2", known_at=_at(announced, 9))
            services.recall_announce(actor=actor, disposal=d, started_at=_at(announced, 15), announced_on=announced,
                                     today=today)
            counts["recalls"] += 1
        if stage == 3:
            services.recall_order(actor=actor, disposal=d, level="3", known_at=_at(opened, 10))
            services.recall_announce(actor=actor, disposal=d, started_at=_at(opened + dt.timedelta(days=1), 9),
                                     announced_on=opened + dt.timedelta(days=1), today=today)
            services.recall_complete(actor=actor, disposal=d, on=min(opened + dt.timedelta(days=20), today),
                                     result="召回 126 kg，经监督无害化处理", today=today)
            services.disposal_lead(actor=actor, disposal=d, today=min(opened + dt.timedelta(days=21), today))
            services.disposal_close(actor=actor, disposal=d, on=min(opened + dt.timedelta(days=30), today),
                                    conclusion="企业已封存、召回并查明原因整改，复查合格；违法行为已移送立案查处",
                                    today=today)
            counts["recalls"] += 1
    counts.update(_complaint_recall(actor, today))
    counts.update(_designations(actor, today))
    stdout.write(f"  食品抽检计划 {counts['food_plans']} 个，样品 {counts['food_samples']} 个，不合格 "
                 f"{counts['unqualified']} 个，核查处置 {counts['disposals']} 件，召回 {counts['recalls']} 起，"
                 f"明厨亮灶和示范店 {counts['designations']} 户")
    return counts


def _complaint_recall(actor, today: dt.date) -> dict:
    """A food complaint about a registered business that led to a first-level recall, not started in time (the
    daily job hands it to enforcement)."""
    from jianguan.complaints.models import Complaint

    c = (Complaint.objects.filter(category__in=services.DISPOSAL_COMPLAINT_CATEGORIES,
                                  entity__industry_id__in=("13", "14", "51", "52", "62"),
                                  received_on__lte=today - dt.timedelta(days=3), food_disposal__isnull=True)
         .order_by("id").first())
    if c is None:
        return {}
    opened = max(c.received_on, today - dt.timedelta(days=10))
    d = services.disposal_open(actor=actor, complaint=c, opened_on=opened, product="散装熟食（卤肉）",
                               batch_no=f"{opened:%Y-%m-%d} 制作", problem="消费者食用后腹泻，疑似致病性微生物污染",
                               today=today)
    services.recall_order(actor=actor, disposal=d, level="1", known_at=_at(opened, 11))
    services.disposal_step(actor=actor, disposal=d, code="seal", done_on=opened, note="现场封存剩余卤肉 8 kg",
                           today=today)
    return {"complaint_disposals": 1}


def _designations(actor, today: dt.date) -> dict:
    """明厨亮灶 for about a third of the caterers graded A or B (most approved; some waiting, a few rejected, some
    approved more than three years ago and expired), 示范店 for a tenth of the A caterers approved for 明厨亮灶.
    Criteria answered as the review would; bulk inserts."""
    from .models import AnnualGrade, Designation, DesignationKind, DesignationStatus

    rnd = random.Random(1865)
    criteria = rule("food.designation_criteria", on=today)
    years = rule("food.designation_validity_years", on=today)
    rows, bright_a = [], []
    graded = list(AnnualGrade.objects.filter(level__in=("A", "B")).order_by("entity_id")
                  .values_list("entity_id", "unit_id", "level"))
    for entity_id, unit_id, level in graded:
        if rnd.random() > 0.33:
            continue
        applied = today - dt.timedelta(days=rnd.randrange(5, 1400))
        roll = rnd.random()
        kind = DesignationKind.BRIGHT_KITCHEN
        if roll < 0.1 and applied > today - dt.timedelta(days=60):
            rows.append(Designation(entity_id=entity_id, unit_id=unit_id, kind=kind, applied_on=applied))
            continue
        reviewed = applied + dt.timedelta(days=rnd.randrange(3, 20))
        reviewed = min(reviewed, today)
        met = {c["code"]: not (roll > 0.92 and c["code"] == "online") for c in criteria[kind]}
        answered = [{**c, "met": met[c["code"]]} for c in criteria[kind]]
        unmet = [c["label"] for c in answered if not c["met"]]
        until = services.add_years(reviewed, int(years[kind])) - dt.timedelta(days=1)
        status = (DesignationStatus.REJECTED if unmet else
                  DesignationStatus.EXPIRED if until < today else DesignationStatus.APPROVED)
        rows.append(Designation(entity_id=entity_id, unit_id=unit_id, kind=kind, applied_on=applied, status=status,
                                criteria=answered, reviewed_by=actor, reviewed_on=reviewed,
                                review_note=("不符合：" + "；".join(unmet)) if unmet else "",
                                valid_until=None if unmet else until))
        if status == DesignationStatus.APPROVED and level == "A":
            bright_a.append((entity_id, unit_id, reviewed))
    for entity_id, unit_id, since in bright_a[::10]:
        kind = DesignationKind.DEMO_SHOP
        reviewed = min(since + dt.timedelta(days=30), today)
        rows.append(Designation(entity_id=entity_id, unit_id=unit_id, kind=kind, applied_on=reviewed - dt.timedelta(days=7),
                                status=DesignationStatus.APPROVED,
                                criteria=[{**c, "met": True} for c in criteria[kind]], reviewed_by=actor,
                                reviewed_on=reviewed,
                                valid_until=services.add_years(reviewed, int(years[kind])) - dt.timedelta(days=1)))
    bulk_add(rows, action="food.demo.designations_loaded", batch_size=2000)
    return {"designations": len(rows)}
