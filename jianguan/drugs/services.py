"""Writes of drug, device and cosmetics supervision: keyword-only, explicit ``actor``, atomic, audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.core import audit, sequences, workdays
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule
from jianguan.core.scope import scope_for
from jianguan.registry.models import Entity, Licence, LicenceKind, LicenceStatus

from .models import (
    USE_UNITS,
    AdverseEvent,
    Campaign,
    CampaignKind,
    EventKind,
    EventStatus,
    FocusCategory,
    FocusProduct,
    ObjectKind,
    Severity,
    SupervisedObject,
)

#: the registry licence kinds that make an entity a supervised object of each kind
LICENCE_KINDS = {
    ObjectKind.PHARMACY: ("drug_retail",),
    ObjectKind.CHAIN_STORE: ("drug_retail",),
    ObjectKind.DEVICE_SHOP: ("device_business", "device_filing"),
}
#: the checklist item (inspection item list) of each campaign, seeded by migration 0002
CAMPAIGN_ITEMS = {CampaignKind.NARCOTIC: "YP-ZX-01", CampaignKind.TCM: "YP-ZX-02",
                  CampaignKind.PRECURSOR: "YP-ZX-03", CampaignKind.ONLINE: "YP-ZX-04"}


def _in_scope(actor, entity: Entity, field: str) -> None:
    if not scope_for(actor).allows_unit(entity.unit_id):
        raise ValidationFailed(f"{entity.name} 不在本单位监管范围内", field=field)


@transaction.atomic
def object_register(*, actor, entity: Entity, kind: str, licence: str = "",
                    practice_licence_no: str = "") -> SupervisedObject:
    """Record ``entity`` as a supervised object. A pharmacy or device shop names (``licence``: its number) its valid
    licence in the registry (药品经营许可证 / 医疗器械经营许可证或备案凭证); a use unit its 医疗机构执业许可证
    registration number."""
    licence_number = licence
    if kind not in ObjectKind.values:
        raise ValidationFailed("类别无效", field="kind")
    _in_scope(actor, entity, "entity")
    licence = None
    if kind in USE_UNITS:
        if not practice_licence_no.strip():
            raise ValidationFailed("医疗机构（使用单位）须填写医疗机构执业许可证登记号", field="practice_licence_no")
    else:
        number = licence_number.strip()
        if not number:
            raise ValidationFailed(f"{ObjectKind(kind).label}须填写许可证（备案凭证）编号", field="licence")
        licence = Licence.objects.filter(entity=entity, kind_id__in=LICENCE_KINDS[kind], number=number).first()
        if licence is None:
            names = "、".join(LicenceKind.objects.filter(code__in=LICENCE_KINDS[kind]).values_list("name", flat=True))
            raise ValidationFailed(f"{entity.name} 在市场主体名录中没有编号为 {number} 的{names}", field="licence")
        if licence.status != LicenceStatus.VALID:
            raise ValidationFailed(f"许可证 {number} 状态为「{licence.get_status_display()}」，不能作为监管对象登记依据",
                                   field="licence")
    if SupervisedObject.objects.filter(entity=entity, kind=kind).exists():
        raise ValidationFailed(f"{entity.name} 已登记为{ObjectKind(kind).label}，不能重复登记", field="entity")
    obj = SupervisedObject.objects.create(entity=entity, kind=kind, licence=licence,
                                          practice_licence_no=practice_licence_no.strip(), unit_id=entity.unit_id)
    audit.record(actor=actor, action="drugs.object.registered", obj=obj, unit=obj.unit_id,
                 changes={"kind": [None, kind], "licence": [None, licence.number if licence else None]})
    return obj


@transaction.atomic
def focus_add(*, actor, category: str, product: str, approval_no: str, holder: Entity, listed_on: dt.date,
              until: dt.date | None = None) -> FocusProduct:
    """Put a high-risk product held by ``holder`` on the focus list from ``listed_on`` (to ``until``)."""
    if category not in FocusCategory.values:
        raise ValidationFailed("重点品种类别无效", field="category")
    _in_scope(actor, holder, "holder")
    if until is not None and until < listed_on:
        raise ValidationFailed("移出日期不能早于列入日期", field="until")
    code = approval_no.strip()
    if FocusProduct.objects.filter(category=category, approval_no=code, holder=holder).exists():
        raise ValidationFailed(f"{holder.name} 的 {code} 已在重点品种名单中", field="approval_no")
    row = FocusProduct.objects.create(category=category, product=product.strip(), approval_no=code, holder=holder,
                                      listed_on=listed_on, until=until, unit_id=holder.unit_id)
    audit.record(actor=actor, action="drugs.focus.listed", obj=row, unit=row.unit_id,
                 changes={"category": [None, category], "approval_no": [None, code]})
    return row


def focus_holders(on: dt.date):
    """USCCs of the holders of a focus product listed on ``on`` (withdrawn register rows left out)."""
    from jianguan.core.registers import live

    qs = FocusProduct.objects.filter(listed_on__lte=on).filter(Q(until__isnull=True) | Q(until__gte=on))
    return live(qs).values_list("holder__uscc", flat=True).distinct()


def is_drug_plan(plan) -> bool:
    """A plan of drug supervision: a campaign's plan, or one filtered on a drug/device/cosmetics licence kind."""
    if Campaign.objects.filter(plan=plan).exists():
        return True
    kinds = plan.filter_licence_kinds or []
    return bool(kinds) and LicenceKind.objects.filter(code__in=kinds, sector="drug").exists()


def focus_raise(plan, on: dt.date) -> dict[str, str]:
    """The stratum raiser registered with inspections: in a drug plan, focus-list holders are drawn at least in the
    class of rule ``drugs.focus_risk_class``."""
    if not is_drug_plan(plan):
        return {}
    risk_class = str(rule("drugs.focus_risk_class", on=on))
    return {code: risk_class for code in focus_holders(on)}


@transaction.atomic
def campaign_create(*, actor, kind: str, year: int, unit: OrgUnit, title: str = "",
                    on: dt.date | None = None) -> Campaign:
    """A campaign: a double-random plan of ``unit`` tagged with the campaign, drawing pharmacies and drug/device
    licence holders, inspected on the campaign's checklist item. Idempotent per (kind, year, unit)."""
    from jianguan.inspections import services as inspections
    from jianguan.inspections.models import InspectionItem

    if kind not in CampaignKind.values:
        raise ValidationFailed("专项类别无效", field="kind")
    if not scope_for(actor).allows_unit(unit.pk):
        raise ValidationFailed(f"{unit.name} 不在本单位范围内", field="unit")
    existing = Campaign.objects.filter(kind=kind, year=year, unit=unit).first()
    if existing is not None:
        return existing
    item = InspectionItem.objects.filter(code=CAMPAIGN_ITEMS[kind]).first()
    if item is None:
        raise ValidationFailed(f"抽查事项清单中没有专项检查事项 {CAMPAIGN_ITEMS[kind]}", field="kind")
    label = CampaignKind(kind).label
    plan = inspections.plan_create(actor=actor, unit=unit, year=year, title=title.strip() or f"{year}年{label}",
                                   items=[item], filter_licence_kinds=["drug_retail", "drug_wholesale",
                                                                       "device_business"],
                                   description=f"药品专项：{label}", on=on)
    campaign = Campaign.objects.create(kind=kind, year=year, plan=plan, unit=unit,
                                       created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor=actor, action="drugs.campaign.created", obj=campaign, unit=unit,
                 changes={"kind": [None, kind], "plan": [None, plan.code]})
    return campaign


def district_of(unit: OrgUnit) -> OrgUnit:
    """The district bureau (县区局) a unit belongs to: a station's parent; the city for city-level units."""
    while unit.kind == OrgUnit.Kind.STATION and unit.parent_id:
        unit = unit.parent
    return unit


def review_due(kind: str, severity: str, received_on: dt.date) -> tuple[dt.date, bool]:
    days = int(rule("drugs.review_workdays", on=received_on)[kind][severity])
    return workdays.add_workdays_provisional(received_on, days)


def reported_late(kind: str, severity: str, aware_on: dt.date, received_on: dt.date) -> bool:
    days = int(rule("drugs.report_period_days", on=aware_on)[kind][severity])
    last, _provisional = workdays.period_end_provisional(aware_on, days)
    return received_on > last


@transaction.atomic
def event_receive(*, actor, kind: str, severity: str, product: str, reporter: Entity, aware_on: dt.date,
                  received_on: dt.date, description: str, approval_no: str = "") -> AdverseEvent:
    """Receive an adverse-event report and route it to the district bureau of the reporting unit, with the review
    clock (rule ``drugs.review_workdays``) and whether it came later than the reporting period allows."""
    if kind not in EventKind.values:
        raise ValidationFailed("类别应为 药品不良反应、医疗器械不良事件 或 化妆品不良反应", field="kind")
    if severity not in Severity.values:
        raise ValidationFailed("严重程度应为 一般、严重 或 死亡", field="severity")
    if received_on < aware_on:
        raise ValidationFailed("接收日期不能早于获知日期", field="received_on")
    if received_on > timezone.localdate():
        raise ValidationFailed("接收日期不能晚于今天", field="received_on")
    if not description.strip():
        raise ValidationFailed("请填写事件经过", field="description")
    _in_scope(actor, reporter, "reporter")
    due, provisional = review_due(kind, severity, received_on)
    district = district_of(reporter.unit)
    serial = sequences.next_value(f"drugs:event:{received_on.year}")
    event = AdverseEvent.objects.create(
        number=f"YPBL{received_on.year}{serial:06d}", kind=kind, severity=severity, product=product.strip(),
        approval_no=approval_no.strip(), reporter=reporter, aware_on=aware_on, received_on=received_on,
        description=description.strip(), late_report=reported_late(kind, severity, aware_on, received_on),
        review_due=due, calendar_pending=provisional, unit=district)
    audit.record(actor=actor, action="drugs.event.routed", obj=event, unit=district,
                 changes={"kind": [None, kind], "severity": [None, severity], "unit": [None, district.code],
                          "review_due": [None, due.isoformat()], "late_report": [None, event.late_report]})
    return event


@transaction.atomic
def event_assess(*, actor, event: AdverseEvent, assessment: str, on: dt.date | None = None) -> AdverseEvent:
    """The district's review and assessment (审核评价). A second submission changes nothing."""
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    if not scope_for(actor).allows_unit(event.unit_id):
        raise ValidationFailed("该报告不在本单位办理范围内", field="event")
    if event.status == EventStatus.ASSESSED:
        return event
    if not assessment.strip():
        raise ValidationFailed("请填写审核评价意见", field="assessment")
    on = on or timezone.localdate()
    if on < event.received_on:
        raise TransitionNotAllowed("审核评价日期不能早于接收日期")
    event.status, event.assessment, event.assessed_on = EventStatus.ASSESSED, assessment.strip(), on
    event.assessed_by = actor if getattr(actor, "is_authenticated", False) else None
    event.save(update_fields=["status", "assessment", "assessed_on", "assessed_by"])
    audit.record(actor=actor, action="drugs.event.assessed", obj=event, unit=event.unit_id,
                 changes={"status": [EventStatus.ROUTED, EventStatus.ASSESSED],
                          "late": [None, on > event.review_due]})
    return event


def recompute_provisional(*, today: dt.date) -> int:
    """Recompute review deadlines computed as 暂定 once the year's holidays are entered (the sweep job)."""
    changed = 0
    for event in AdverseEvent.objects.filter(calendar_pending=True, status=EventStatus.ROUTED):
        due, provisional = review_due(event.kind, event.severity, event.received_on)
        if (due, provisional) != (event.review_due, event.calendar_pending):
            event.review_due, event.calendar_pending = due, provisional
            event.save(update_fields=["review_due", "calendar_pending"])
            changed += 1
    return changed


@transaction.atomic
def recheck_late_reports(*, actor="sweep") -> int:
    """Re-judge whether each report waiting for review came later than the reporting period, under the rule
    ``drugs.report_period_days`` as it now stands (a bureau's correction, or the platform's: cosmetic serious
    reactions were once given 7 days instead of 15). Reviewed reports keep the judgement they were reviewed with.
    Each change is audited. Returns how many changed."""
    changed = 0
    rows = AdverseEvent.objects.filter(status=EventStatus.ROUTED).only(
        "pk", "kind", "severity", "aware_on", "received_on", "late_report", "unit_id", "number", "product")
    for event in rows.iterator():
        late = reported_late(event.kind, event.severity, event.aware_on, event.received_on)
        if late != event.late_report:
            AdverseEvent.objects.filter(pk=event.pk).update(late_report=late)
            audit.record(actor=actor, action="drugs.event.late_rechecked", obj=event, unit=event.unit_id,
                         changes={"late_report": [event.late_report, late]})
            changed += 1
    return changed
