"""Demo: drug supervision in Pingdingshan — every pharmacy and device shop holding a valid licence as a supervised
object, hospitals and clinics (health-sector entities) as use units, focus lists of blood products, implants and
children's cosmetics, the four campaigns of the year as tagged plans, and a year of adverse-event reports routed to
the districts (some reviewed, some waiting, a few late). Set-based; idempotent (a second run finds the campaigns)."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import Q

from jianguan.core import sequences
from jianguan.core.demo import bulk_add, step
from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity, EntityStatus, Licence, LicenceStatus

from . import services
from .models import (
    AdverseEvent,
    Campaign,
    CampaignKind,
    EventStatus,
    FocusCategory,
    FocusProduct,
    ObjectKind,
    SupervisedObject,
)

FOCUS = {
    FocusCategory.BLOOD: [("人血白蛋白", "国药准字S2006{:04d}"), ("静注人免疫球蛋白（pH4）", "国药准字S1999{:04d}")],
    FocusCategory.IMPLANT: [("髋关节假体", "国械注准2021313{:04d}"), ("冠状动脉药物洗脱支架", "国械注准2020313{:04d}")],
    FocusCategory.CHILD_COSMETIC: [("儿童润肤霜", "豫G妆网备字2024{:06d}"), ("婴儿洗发沐浴露", "豫G妆网备字2023{:06d}")],
}
EVENTS = [("drug", "注射用头孢曲松钠", "用药后出现全身皮疹伴瘙痒，停药并抗过敏治疗后缓解"),
          ("drug", "左氧氟沙星氯化钠注射液", "静脉滴注中出现胸闷、心悸，立即停药吸氧后好转"),
          ("drug", "阿莫西林胶囊", "口服后出现腹泻、恶心，停药后自行缓解"),
          ("device", "一次性使用输液器", "输液过程中接头处渗漏，已更换同批次其他产品并封存"),
          ("device", "电子血压计", "测量值与水银血压计偏差超过允许误差"),
          ("cosmetic", "儿童润肤霜", "使用后面部出现红斑、丘疹，停用后一周消退")]


@step(63, "药品医疗器械化妆品")
def demo_drugs(*, today: dt.date, stdout) -> dict:
    if Campaign.objects.exists():
        return {"objects": SupervisedObject.objects.count()}
    user = get_user_model().objects.filter(username="yp_supervisor").first()
    city = OrgUnit.objects.filter(kind=OrgUnit.Kind.CITY).first()
    if user is None or city is None:
        return {"objects": 0}
    rnd = random.Random(1818)
    licences = list(Licence.objects.filter(kind_id__in=("drug_retail", "device_business"), status=LicenceStatus.VALID,
                                           entity__status=EntityStatus.ACTIVE)
                    .order_by("id").values_list("id", "entity_id", "entity__unit_id", "kind_id"))
    objects, seen = [], set()
    for lid, eid, unit_id, kind in licences:
        obj_kind = ObjectKind.PHARMACY if kind == "drug_retail" else ObjectKind.DEVICE_SHOP
        if (eid, obj_kind) in seen:
            continue
        seen.add((eid, obj_kind))
        objects.append(SupervisedObject(entity_id=eid, kind=obj_kind, licence_id=lid, unit_id=unit_id))
    health = list(Entity.objects.filter(Q(industry_id="84") | Q(industry__parent_id="84"), status=EntityStatus.ACTIVE)
                  .order_by("id").values_list("id", "unit_id")[:150])
    for n, (eid, unit_id) in enumerate(health, start=1):
        kind = ObjectKind.HOSPITAL if n % 4 == 0 else ObjectKind.CLINIC
        objects.append(SupervisedObject(entity_id=eid, kind=kind, practice_licence_no=f"PDY{410400 + n % 11}{n:06d}",
                                        unit_id=unit_id))
    bulk_add(objects, action="drugs.demo.objects_loaded", actor=user)
    pharmacies = [o for o in objects if o.kind == ObjectKind.PHARMACY]
    hospitals = [o for o in objects if o.kind in (ObjectKind.HOSPITAL, ObjectKind.CLINIC)]
    focus = []
    for n, o in enumerate(rnd.sample(hospitals, min(len(hospitals), 40)), start=1):
        category = FocusCategory.BLOOD if n % 2 else FocusCategory.IMPLANT
        product, code = rnd.choice(FOCUS[category])
        focus.append(FocusProduct(category=category, product=product, approval_no=code.format(n), holder_id=o.entity_id,
                                  listed_on=dt.date(today.year, 1, 1), unit_id=o.unit_id))
    for n, o in enumerate(rnd.sample(pharmacies, min(len(pharmacies), max(len(pharmacies) // 12, 10))), start=1):
        product, code = rnd.choice(FOCUS[FocusCategory.CHILD_COSMETIC])
        focus.append(FocusProduct(category=FocusCategory.CHILD_COSMETIC, product=product, approval_no=code.format(n),
                                  holder_id=o.entity_id, listed_on=dt.date(today.year, 3, 1), unit_id=o.unit_id))
    bulk_add(focus, action="drugs.demo.focus_loaded", actor=user)
    for kind in CampaignKind.values:
        services.campaign_create(actor=user, kind=kind, year=today.year, unit=city, on=today)
    reporters = hospitals + pharmacies[:200]
    units = {u.pk: u for u in OrgUnit.objects.all()}
    events = []
    for _ in range(180):
        o = rnd.choice(reporters)
        kind, product, text = rnd.choice(EVENTS)
        severity = rnd.choices(["general", "serious", "death"], weights=[80, 18, 2])[0]
        received = today - dt.timedelta(days=rnd.randint(0, 330))
        aware = received - dt.timedelta(days=rnd.choice([1, 3, 5, 10, 20, 40]))
        due, provisional = services.review_due(kind, severity, received)
        done = received < today - dt.timedelta(days=25) or rnd.random() < 0.3
        assessed = min(due + dt.timedelta(days=rnd.choice([-5, -2, 0, 0, 3])), today) if done else None
        assessed = max(assessed, received) if assessed else None
        serial = sequences.next_value(f"drugs:event:{received.year}")
        events.append(AdverseEvent(
            number=f"YPBL{received.year}{serial:06d}", kind=kind, severity=severity, product=product,
            reporter_id=o.entity_id, aware_on=aware, received_on=received, description=text,
            late_report=services.reported_late(kind, severity, aware, received), review_due=due,
            calendar_pending=provisional, status=EventStatus.ASSESSED if done else EventStatus.ROUTED,
            assessed_on=assessed, assessment="关联性评价：可能有关；已按规定上报" if done else "",
            assessed_by=user if done else None, unit=_district(units, o.unit_id)))
    bulk_add(events, action="drugs.demo.events_loaded", actor=user)
    stdout.write(f"  药品监管对象 {len(objects)} 家，重点品种 {len(focus)} 条，专项 4 项，不良反应/事件报告 {len(events)} 份")
    return {"objects": len(objects), "focus": len(focus), "events": len(events)}


def _district(units: dict, unit_id: int) -> OrgUnit:
    """``services.district_of`` on the units already read (no query per report)."""
    unit = units[unit_id]
    while unit.kind == OrgUnit.Kind.STATION and unit.parent_id:
        unit = units[unit.parent_id]
    return unit


@step(64, "药品专项检查结果公示")
def demo_drug_campaign_results(*, today: dt.date, stdout) -> dict:
    """The year's 中药饮片 campaign carried through: a small draw (a few per risk class, the focus-list holders in
    their raised class), each task concluded by its team — mostly no problem, some corrected on the spot, one to
    follow up — and the results published, so the portal's /drugs/ pages show a campaign's results and the latest
    inspection of the pharmacies drawn. Idempotent: a campaign whose plan is no longer a draft is left alone."""
    from jianguan.inspections import queries
    from jianguan.inspections import services as inspections
    from jianguan.inspections.demo import DEMO_BEACON, DEMO_RANDOMNESS
    from jianguan.inspections.models import AssignmentMode, InspectionPlan, ResultCategory, TaskStatus

    campaign = (Campaign.objects.filter(kind=CampaignKind.TCM, year=today.year, plan__status=InspectionPlan.Status.DRAFT)
                .select_related("plan").first())
    head = get_user_model().objects.filter(username="yp_supervisor").first()
    if campaign is None or head is None:
        return {}
    plan = campaign.plan
    sizes = queries.build_pool(plan, today, with_inspectors=False).sizes
    wanted = {"A": 2, "B": 5, "C": 2, "D": 1}
    plan = inspections.plan_update(actor=head, plan=plan, assignment=AssignmentMode.POOLED,
                                   quota_overrides={k: min(v, sizes.get(k, 0)) for k, v in wanted.items()})
    plan = inspections.plan_publish(actor=head, plan=plan)
    batch = inspections.batch_create(actor=head, plan=plan, beacon=DEMO_BEACON, draw_date=today)
    batch = inspections.batch_freeze(actor=head, batch=batch, on=today)
    batch = inspections.batch_draw(actor=head, batch=batch, randomness=DEMO_RANDOMNESS, on=today)
    batch = inspections.batch_publish(actor=head, batch=batch)
    outcomes = {2: (ResultCategory.CORRECTED, "中药饮片未按规定存放、标签不全，已当场责令改正"),
                5: (ResultCategory.CORRECTED, "购进记录不完整，已责令补齐"),
                7: (ResultCategory.FOLLOW_UP, "销售的中药饮片无合法来源票据，涉嫌从非法渠道购进，移交立案调查")}
    done = []
    tasks = batch.tasks.exclude(status=TaskStatus.VOID).prefetch_related("members__inspector").order_by("position")
    for n, task in enumerate(tasks, start=1):
        members = [m.inspector for m in task.members.all()]
        if not members:
            continue
        category, notes = outcomes.get(n, (ResultCategory.NO_PROBLEM, ""))
        inspections.result_record(actor=members[0], task=task, inspected_on=today, on=today, notes=notes,
                                  results=[{"item": item.pk, "category": category, "notes": notes}
                                           for item in plan.items.all()])
        for member in members[1:]:
            inspections.result_confirm(actor=member, task=task, on=today)
        done.append(task)
    published = inspections.results_publish(actor=head, tasks=done)
    stdout.write(f"  {plan.title}（{plan.code}）：抽取 {batch.tasks.count()} 户，公示检查结果 {published} 户")
    return {"plan": plan.code, "published": published}
