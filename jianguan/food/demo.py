"""Demo: food supervision in Pingdingshan — every caterer of the generated register (industry 62, a few thousand)
graded one to three times over the past year on the rule's checklist, their annual grades computed set-based, and
about 1,500 三小 registrations across the counties (a few due for renewal, a few expired). Bulk inserts, one audit
entry per kind of row; idempotent: a second run finds the marker and does nothing."""

from __future__ import annotations

import datetime as dt
import random

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
