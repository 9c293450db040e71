"""Writes of food safety supervision: keyword-only, explicit ``actor``, atomic, audited. A repeated transition
(a second click) changes nothing and says so."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from jianguan.core import audit, sequences
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule
from jianguan.core.scope import scope_for
from jianguan.registry.models import Entity

from .models import NUMBER_PREFIX, SmallKind, SmallRegistration, SmallStatus


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def validity_end(kind: str, issued_on: dt.date) -> dt.date:
    """The last valid day of a registration issued on ``issued_on``: the day before the same date N years on."""
    years = int(rule("food.small_validity_years", on=issued_on)[kind])
    return add_years(issued_on, years) - dt.timedelta(days=1)


def county_by_code(text: str) -> OrgUnit:
    """The county (district) bureau named by its code or name — the only units that issue 三小 registrations."""
    text = (text or "").strip()
    unit = (OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).filter(code=text).first()
            or OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, name=text).first()
            or OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, short_name=text).first())
    if unit is None:
        raise ValueError(f"登记机关「{text}」不是县（区）市场监管局")
    return unit


@transaction.atomic
def small_register(*, actor, kind: str, name: str, operator: str, address: str, category: str, county: OrgUnit,
                   issued_on: dt.date, entity: Entity | None = None) -> SmallRegistration:
    """Issue a 三小 registration: the county bureau's next number for the kind and year, valid by the kind's rule."""
    if kind not in SmallKind.values:
        raise ValidationFailed("登记类别应为食品小作坊登记证、小经营店登记卡或小摊点登记卡", field="kind")
    for field, value in (("name", name), ("operator", operator), ("address", address), ("category", category)):
        if not (value or "").strip():
            label = SmallRegistration._meta.get_field(field).verbose_name
            raise ValidationFailed(f"{label}不能为空", field=field)
    if county.kind != OrgUnit.Kind.DISTRICT:
        raise ValidationFailed(f"{county.name} 不是县（区）市场监管局，不能颁发三小登记", field="county")
    if not scope_for(actor).allows_unit(county.pk):
        raise ValidationFailed(f"{county.name} 不在本单位监管范围内", field="county")
    if entity is not None and entity.unit_id and not OrgUnit.objects.filter(
            pk=entity.unit_id, path__startswith=county.path).exists():
        raise ValidationFailed(f"{entity.name} 不在{county.name}辖区内", field="entity")
    clash = SmallRegistration.objects.filter(kind=kind, name=name.strip(), address=address.strip(),
                                             status=SmallStatus.VALID).first()
    if clash is not None:
        raise ValidationFailed(f"同一场所已有有效的{clash.get_kind_display()} {clash.number}", field="name")
    serial = sequences.next_value(f"food:small:{kind}:{county.code}:{issued_on.year}")
    number = f"{NUMBER_PREFIX[kind]}{county.code}{issued_on.year}{serial:05d}"
    reg = SmallRegistration.objects.create(
        kind=kind, number=number, name=name.strip(), operator=operator.strip(), address=address.strip(),
        category=category.strip(), entity=entity, county=county, unit=county,
        issued_on=issued_on, valid_until=validity_end(kind, issued_on))
    audit.record(actor=actor, action="food.small.registered", obj=reg, unit=county,
                 changes={"number": [None, number], "valid_until": [None, reg.valid_until.isoformat()]})
    return reg


@transaction.atomic
def small_renew(*, actor, registration: SmallRegistration, expected_until: dt.date, today: dt.date
                ) -> SmallRegistration:
    """Renew (延续) a valid registration within the window before its expiry: the same number, valid for another
    period from the day after the current expiry. ``expected_until`` is the expiry the clerk saw: a second click
    (the expiry has already moved on) is refused without renewing twice."""
    reg = SmallRegistration.objects.select_for_update().get(pk=registration.pk)
    if reg.valid_until != expected_until:
        raise TransitionNotAllowed(f"{reg.number} 已延续至 {reg.valid_until:%Y年%m月%d日}，未重复办理")
    if reg.status != SmallStatus.VALID or reg.valid_until < today:
        raise TransitionNotAllowed(f"{reg.number} 已{'注销' if reg.status == SmallStatus.CANCELLED else '过期'}，"
                                   "不能延续，须重新申请登记")
    window = int(rule("food.small_renewal_window_days", on=today))
    opens = reg.valid_until - dt.timedelta(days=window)
    if today < opens:
        raise TransitionNotAllowed(f"{reg.number} 有效期至 {reg.valid_until:%Y年%m月%d日}，"
                                   f"自 {opens:%Y年%m月%d日} 起方可申请延续")
    before = reg.valid_until
    reg.valid_until = validity_end(reg.kind, before + dt.timedelta(days=1))
    reg.renewals += 1
    reg.save(update_fields=["valid_until", "renewals"])
    audit.record(actor=actor, action="food.small.renewed", obj=reg, unit=reg.unit_id,
                 changes={"valid_until": [before.isoformat(), reg.valid_until.isoformat()]})
    return reg


@transaction.atomic
def small_cancel(*, actor, registration: SmallRegistration, reason: str, on: dt.date) -> SmallRegistration:
    """Cancel (注销) a registration. A second cancellation changes nothing."""
    reg = SmallRegistration.objects.select_for_update().get(pk=registration.pk)
    if reg.status == SmallStatus.CANCELLED:
        return reg
    if not (reason or "").strip():
        raise ValidationFailed("请填写注销原因", field="reason")
    before = reg.status
    reg.status, reg.cancelled_on, reg.cancel_reason = SmallStatus.CANCELLED, on, reason.strip()[:200]
    reg.save(update_fields=["status", "cancelled_on", "cancel_reason"])
    audit.record(actor=actor, action="food.small.cancelled", obj=reg, unit=reg.unit_id,
                 changes={"status": [before, reg.status], "reason": [None, reg.cancel_reason]})
    return reg


@transaction.atomic
def small_expire(*, actor, today: dt.date) -> int:
    """Mark every valid registration past its expiry as expired (the daily job). Set-based, audited per row."""
    due = list(SmallRegistration.objects.select_for_update()
               .filter(status=SmallStatus.VALID, valid_until__lt=today).values_list("pk", "number", "unit_id"))
    if not due:
        return 0
    SmallRegistration.objects.filter(pk__in=[p for p, _, _ in due]).update(status=SmallStatus.EXPIRED)
    for pk, number, unit in due:
        audit.record(actor=actor, action="food.small.expired", object_type="food.smallregistration",
                     object_id=str(pk), object_repr=number, unit=unit,
                     changes={"status": [SmallStatus.VALID, SmallStatus.EXPIRED]})
    return len(due)


# --- catering quantified grading ----------------------------------------------------------------------------------

CATERING_INDUSTRY = "62"  # GB/T 4754-2017 division 62 餐饮业


def window_start(as_of: dt.date) -> dt.date:
    """The first day of the 12 months up to and including ``as_of``."""
    return add_years(as_of, -1) + dt.timedelta(days=1)


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


@transaction.atomic
def grading_record(*, actor, entity: Entity, inspected_on: dt.date, answers: dict[str, bool], note: str = ""):
    """Record a grading inspection: every checklist item answered (else refused, nothing written), the score and
    the dynamic grade; then the caterer's annual grade is recomputed. Refused for a caterer whose food business
    licence is newer than the rule's months, and for an entity that is not a caterer."""
    from jianguan.registry.models import Licence

    from . import grading
    from .models import GradingInspection

    if not scope_for(actor).allows_unit(entity.unit_id):
        raise ValidationFailed(f"{entity.name} 不在本单位监管范围内", field="entity")
    if entity.industry_id != CATERING_INDUSTRY:
        raise ValidationFailed(f"{entity.name} 不是餐饮服务提供者（行业 62 餐饮业），不参加量化分级", field="entity")
    if inspected_on > timezone.localdate():
        raise ValidationFailed("检查日期不能晚于今天", field="inspected_on")
    months = int(rule("food.grading_new_licence_months", on=inspected_on))
    newest = (Licence.objects.filter(entity=entity, kind_id="food_business").order_by("-issued_on")
              .values_list("issued_on", flat=True).first())
    if newest is not None and newest > _months_before(inspected_on, months):
        raise ValidationFailed(f"食品经营许可证于 {newest:%Y年%m月%d日} 取得，不满 {months} 个月，暂不评定动态等级",
                               field="inspected_on")
    checklist = rule("food.grading_checklist", on=inspected_on)
    try:
        value, key_failed, rows = grading.score(checklist, answers)
    except grading.IncompleteChecklist as exc:
        raise ValidationFailed(exc.message, field=exc.field) from None
    grade = grading.dynamic_grade(value, key_failed, rule("food.grading_thresholds", on=inspected_on))
    insp = GradingInspection.objects.create(entity=entity, unit_id=entity.unit_id, inspected_on=inspected_on,
                                            inspector=actor, answers=rows, score=value, grade=grade,
                                            note=(note or "").strip()[:300])
    audit.record(actor=actor, action="food.grading.recorded", obj=insp, unit=entity.unit_id,
                 changes={"score": [None, str(value)], "grade": [None, grade]})
    annual_compute(actor=actor, as_of=max(inspected_on, timezone.localdate()), entity_ids=[entity.pk])
    return insp


def annual_compute(*, actor, as_of: dt.date, entity_ids: list[int] | None = None) -> dict[str, int]:
    """Annual grades over the 12 months up to ``as_of``, set-based: one aggregate query over the inspections,
    one read of the current grades, then only the grades that changed are written (bulk upsert) and only the
    caterers without an inspection in the window lose theirs. ``entity_ids`` limits it to some caterers."""
    from django.db.models import Avg, Count, Max, Q

    from jianguan.portal import records

    from . import grading
    from .models import AnnualGrade, Grade, GradingInspection

    thresholds = rule("food.annual_thresholds", on=as_of)
    with transaction.atomic():
        qs = GradingInspection.objects.filter(inspected_on__gte=window_start(as_of), inspected_on__lte=as_of)
        current = AnnualGrade.objects.all()
        if entity_ids is not None:
            qs, current = qs.filter(entity_id__in=entity_ids), current.filter(entity_id__in=entity_ids)
        rows = (qs.order_by().values("entity_id")
                .annotate(unit=Max("unit_id"), avg=Avg("score"), n=Count("id"),
                          fair=Count("id", filter=Q(grade=Grade.FAIR)))
                .values_list("entity_id", "unit", "avg", "n", "fair"))
        have = {e: (lvl, avg, n, fair) for e, lvl, avg, n, fair in
                current.values_list("entity_id", "level", "average", "inspections", "fair_count")}
        changed, seen = [], set()
        for entity_id, unit_id, avg, n, fair in rows.iterator(chunk_size=5000):
            seen.add(entity_id)
            average = Decimal(str(avg)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            level = grading.annual_level(average, fair, thresholds)
            if have.get(entity_id) != (level, average, n, fair):
                changed.append(AnnualGrade(entity_id=entity_id, unit_id=unit_id, as_of=as_of, level=level,
                                           average=average, inspections=n, fair_count=fair))
        gone = [e for e in have if e not in seen]
        if changed:
            AnnualGrade.objects.bulk_create(changed, batch_size=2000, update_conflicts=True, unique_fields=["entity"],
                                            update_fields=["unit", "as_of", "level", "average", "inspections",
                                                           "fair_count"])
        if gone:
            AnnualGrade.objects.filter(entity_id__in=gone).delete()
        touched = [g.entity_id for g in changed] + gone
        if touched:
            records.invalidate(touched)
            audit.record(actor=actor, action="food.annual.computed", object_type="food.annualgrade",
                         object_repr=f"年度等级（截至 {as_of:%Y-%m-%d}）：更新 {len(changed)} 户，撤销 {len(gone)} 户",
                         changes={"as_of": [None, as_of.isoformat()], "changed": [None, len(changed)],
                                  "removed": [None, len(gone)]})
    return {"annual_changed": len(changed), "annual_removed": len(gone)}


# --- 明厨亮灶 / 示范店 ------------------------------------------------------------------------------------------------


@transaction.atomic
def designation_apply(*, actor, entity: Entity, kind: str, applied_on: dt.date):
    """Record a caterer's application; one open application or valid designation of a kind at a time."""
    from .models import Designation, DesignationKind, DesignationStatus

    if kind not in DesignationKind.values:
        raise ValidationFailed("认定类别应为明厨亮灶或示范店", field="kind")
    if not scope_for(actor).allows_unit(entity.unit_id):
        raise ValidationFailed(f"{entity.name} 不在本单位监管范围内", field="entity")
    if entity.industry_id != CATERING_INDUSTRY:
        raise ValidationFailed(f"{entity.name} 不是餐饮服务提供者", field="entity")
    open_ = Designation.objects.filter(entity=entity, kind=kind, status__in=(DesignationStatus.APPLIED,
                                                                               DesignationStatus.APPROVED)).first()
    if open_ is not None:
        raise ValidationFailed(f"{entity.name} 已有{open_.get_kind_display()}（{open_.get_status_display()}）",
                               field="kind")
    d = Designation.objects.create(entity=entity, unit_id=entity.unit_id, kind=kind, applied_on=applied_on)
    audit.record(actor=actor, action="food.designation.applied", obj=d, unit=entity.unit_id,
                 changes={"kind": [None, kind]})
    return d


@transaction.atomic
def designation_review(*, actor, designation, met: dict[str, bool], on: dt.date, note: str = ""):
    """Review against the kind's criteria (every one answered): all met → approved until the validity's end;
    otherwise rejected, naming the unmet criteria. A designation already reviewed is not reviewed again."""
    from .models import Designation, DesignationStatus

    d = Designation.objects.select_for_update().get(pk=designation.pk)
    if d.status != DesignationStatus.APPLIED:
        raise TransitionNotAllowed(f"该申报已{d.get_status_display()}，不再重复评审")
    criteria = rule("food.designation_criteria", on=on)[d.kind]
    rows = []
    for n, c in enumerate(criteria, 1):
        if not isinstance(met.get(c["code"]), bool):
            raise ValidationFailed(f"评审标准第 {n} 项「{c['label']}」未填写是否符合", field=f"c_{c['code']}")
        rows.append({**c, "met": met[c["code"]]})
    unmet = [r["label"] for r in rows if not r["met"]]
    d.criteria, d.reviewed_by, d.reviewed_on = rows, actor, on
    d.review_note = (note or ("不符合：" + "；".join(unmet) if unmet else ""))[:300]
    if unmet:
        d.status = DesignationStatus.REJECTED
    else:
        d.status = DesignationStatus.APPROVED
        years = int(rule("food.designation_validity_years", on=on)[d.kind])
        d.valid_until = add_years(on, years) - dt.timedelta(days=1)
    d.save()
    audit.record(actor=actor, action=f"food.designation.{d.status}", obj=d, unit=d.unit_id,
                 changes={"status": [DesignationStatus.APPLIED, d.status],
                          "valid_until": [None, d.valid_until.isoformat() if d.valid_until else None]})
    return d


@transaction.atomic
def designation_expire(*, actor, today: dt.date) -> int:
    from .models import Designation, DesignationStatus

    due = list(Designation.objects.select_for_update()
               .filter(status=DesignationStatus.APPROVED, valid_until__lt=today).values_list("pk", "unit_id"))
    if due:
        Designation.objects.filter(pk__in=[p for p, _ in due]).update(status=DesignationStatus.EXPIRED)
        for pk, unit in due:
            audit.record(actor=actor, action="food.designation.expired", object_type="food.designation",
                         object_id=str(pk), unit=unit,
                         changes={"status": [DesignationStatus.APPROVED, DesignationStatus.EXPIRED]})
    return len(due)
