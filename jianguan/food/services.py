"""Writes of food safety supervision: keyword-only, explicit ``actor``, atomic, audited. A repeated transition
(a second click) changes nothing and says so."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.core import audit, crypto, sequences
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
    # the place is encrypted (#14): the same place is found by its keyed hash
    clash = SmallRegistration.objects.filter(kind=kind, name=name.strip(), address_hash=crypto.blind_index(address),
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


# --- 不合格食品核查处置 and 食品召回 ---------------------------------------------------------------------------------

DISPOSAL_COMPLAINT_CATEGORIES = ("food", "catering")
#: what an unsafe food is suspected of breaching — the lead's legal basis (also the food sampling sector's)
FOOD_LEAD_BASIS = ("涉嫌违反《中华人民共和国食品安全法》第三十四条（禁止生产经营的食品），"
                   "依第一百二十四条、第一百二十五条视查明的情形处理。")


def _person(actor) -> bool:
    return getattr(actor, "is_authenticated", False)


def _in_scope(actor, unit_id: int, what: str) -> None:
    if _person(actor) and not scope_for(actor).allows_unit(unit_id):
        raise ValidationFailed(f"{what} 不在本单位监管范围内", field="source")


def _lock_disposal(disposal):
    from .models import Disposal

    return Disposal.objects.select_for_update().select_related("entity").get(pk=disposal.pk)


def _aware(value):
    """A date-time as entered: one without a zone is local time (API callers often send none)."""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _day_between(value, low: dt.date, high: dt.date, field: str, label: str) -> None:
    if not isinstance(value, dt.date) or value < low or value > high:
        raise ValidationFailed(f"{label}须在 {low:%Y-%m-%d} 与 {high:%Y-%m-%d} 之间", field=field)


@transaction.atomic
def disposal_open(*, actor, sample=None, complaint=None, opened_on: dt.date | None = None, product: str = "",
                  batch_no: str = "", problem: str = "", today: dt.date | None = None):
    """Start the 核查处置 of an unsafe food: from an unqualified food sample whose result was served (opened on the
    day of service, product, batch and failed items taken from the sample) or from a food complaint or report about
    a registered business (the food, batch and problem given). Its deadline: rule ``food.disposal_days`` counted
    from that day. One per source: a second call returns the first."""
    from jianguan.core import workdays
    from jianguan.sampling.models import Sample

    from .models import Disposal, DisposalSource

    today = today or timezone.localdate()
    if (sample is None) == (complaint is None):
        raise ValidationFailed("请指定一个不合格样品或一件食品投诉举报", field="source")
    if sample is not None:
        sample = Sample.objects.select_for_update().select_related("plan", "entity").get(pk=sample.pk)
        existing = Disposal.objects.filter(sample=sample).first()
        if existing is not None:
            return existing
        _in_scope(actor, sample.unit_id, f"样品 {sample.number}")
        if sample.plan.sector != "food":
            raise ValidationFailed(f"样品 {sample.number} 不是食品安全监督抽检样品", field="source")
        if sample.status not in (Sample.Status.UNQUALIFIED, Sample.Status.CLOSED) or not sample.served_on:
            raise ValidationFailed(f"样品 {sample.number} 不是已送达不合格检验结论的样品", field="source")
        failed = "、".join(r.item.name for r in sample.results.select_related("item")
                          if not r.conforms and not r.retest)
        entity, unit_id, opened_on = sample.entity, sample.unit_id, sample.served_on
        product = sample.product_name or sample.plan.category.name
        batch_no = sample.batch_no or (f"{sample.produced_on:%Y-%m-%d}" if sample.produced_on else "")
        problem = f"不合格项目：{failed or '见检验报告'}（检验报告 {sample.report_no}）"
        source = DisposalSource.SAMPLE
    else:
        from jianguan.complaints.models import Complaint

        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        existing = Disposal.objects.filter(complaint=complaint).first()
        if existing is not None:
            return existing
        _in_scope(actor, complaint.unit_id, f"投诉举报 {complaint.number}")
        if complaint.category not in DISPOSAL_COMPLAINT_CATEGORIES:
            raise ValidationFailed(f"投诉举报 {complaint.number} 不是食品或餐饮类", field="source")
        if complaint.entity_id is None:
            raise ValidationFailed(f"投诉举报 {complaint.number} 未关联市场主体，请先核实被投诉（举报）人", field="source")
        for field, value in (("product", product), ("problem", problem)):
            if not (value or "").strip():
                label = Disposal._meta.get_field(field).verbose_name
                raise ValidationFailed(f"{label}不能为空", field=field)
        _day_between(opened_on, complaint.received_on, today, "opened_on", "启动日期")
        entity, unit_id, source = complaint.entity, complaint.unit_id, DisposalSource.COMPLAINT
    days = int(rule("food.disposal_days", on=opened_on))
    due, provisional = workdays.period_end_provisional(opened_on, days)
    steps = [{"code": s["code"], "label": s["label"], "required": bool(s.get("required")), "done_on": None,
              "note": ""} for s in rule("food.disposal_steps", on=opened_on)]
    unit = OrgUnit.objects.get(pk=unit_id)
    serial = sequences.next_value(f"food:disposal:{unit.code}:{opened_on.year}")
    d = Disposal.objects.create(
        number=f"食核{unit.code}{opened_on.year}{serial:04d}", source=source, sample=sample, complaint=complaint,
        entity=entity, unit=unit, product=product.strip()[:100], batch_no=(batch_no or "").strip()[:60],
        problem=problem.strip()[:300], opened_on=opened_on, due_on=due, calendar_pending=provisional, steps=steps)
    audit.record(actor=actor, action="food.disposal.opened", obj=d, unit=unit,
                 changes={"source": [None, d.get_source_display()], "due_on": [None, due.isoformat()]})
    return d


@transaction.atomic
def disposal_step(*, actor, disposal, code: str, done_on: dt.date, note: str = "", today: dt.date | None = None):
    """Record one risk-control measure as done on ``done_on``. A measure already recorded is kept as it was."""
    from .models import DisposalStatus

    today = today or timezone.localdate()
    d = _lock_disposal(disposal)
    steps = [dict(s) for s in d.steps]
    step = next((s for s in steps if s["code"] == code), None)
    if step is None:
        raise ValidationFailed(f"没有「{code}」这项处置措施", field="code")
    if step["done_on"]:
        return d
    if d.status != DisposalStatus.OPEN:
        raise TransitionNotAllowed(f"{d.number} 已办结，不能再登记处置措施")
    _day_between(done_on, d.opened_on, today, "done_on", f"「{step['label']}」的完成日期")
    step["done_on"], step["note"] = done_on.isoformat(), (note or "").strip()[:200]
    d.steps = steps
    d.save(update_fields=["steps"])
    audit.record(actor=actor, action="food.disposal.step", obj=d, unit=d.unit_id,
                 changes={step["label"]: [None, step["done_on"]]})
    return d


@transaction.atomic
def recall_order(*, actor, disposal, level: str, known_at: dt.datetime):
    """The producer must recall: the level (by how serious the risk is) sets the hours within which it must start,
    counted from when it knew of the risk (rule ``food.recall_start_hours``). Ordering the same level again changes
    nothing; another level is refused."""
    from .models import DisposalStatus, RecallLevel

    d = _lock_disposal(disposal)
    known_at = _aware(known_at)
    if level not in RecallLevel.values:
        raise ValidationFailed("召回级别应为一级、二级或三级", field="level")
    if d.recall_level:
        if d.recall_level == level:
            return d
        raise TransitionNotAllowed(f"{d.number} 已按{d.get_recall_level_display()}处理，不能改为其他级别")
    if d.status != DisposalStatus.OPEN:
        raise TransitionNotAllowed(f"{d.number} 已办结")
    if not isinstance(known_at, dt.datetime) or known_at > timezone.now():
        raise ValidationFailed("知悉食品安全风险的时间不能晚于现在", field="known_at")
    hours = int(rule("food.recall_start_hours", on=timezone.localtime(known_at).date())[level])
    d.recall_level, d.recall_known_at = level, known_at
    d.recall_start_due = known_at + dt.timedelta(hours=hours)
    d.save(update_fields=["recall_level", "recall_known_at", "recall_start_due"])
    audit.record(actor=actor, action="food.disposal.recall_ordered", obj=d, unit=d.unit_id,
                 changes={"recall_level": [None, d.get_recall_level_display()],
                          "recall_start_due": [None, d.recall_start_due.isoformat()]})
    return d


@transaction.atomic
def recall_announce(*, actor, disposal, started_at: dt.datetime, announced_on: dt.date, today: dt.date | None = None):
    """The recall started and its announcement was published: the working days to complete it (rule
    ``food.recall_complete_workdays``) run from the announcement. Provisional (暂定) when the period reaches a year
    whose holidays are not entered; the daily job recomputes it. A second call changes nothing."""
    from jianguan.core import workdays

    today = today or timezone.localdate()
    d = _lock_disposal(disposal)
    started_at = _aware(started_at)
    if not d.recall_level:
        raise TransitionNotAllowed(f"{d.number} 未确定召回级别")
    if d.recall_announced_on:
        return d
    if not isinstance(started_at, dt.datetime) or started_at < d.recall_known_at or started_at > timezone.now():
        raise ValidationFailed("启动召回时间须在知悉风险之后、现在之前", field="started_at")
    _day_between(announced_on, timezone.localtime(started_at).date(), today, "announced_on", "召回公告发布日期")
    n = int(rule("food.recall_complete_workdays", on=announced_on)[d.recall_level])
    d.recall_complete_due, provisional = workdays.add_workdays_provisional(announced_on, n)
    d.recall_started_at, d.recall_announced_on = started_at, announced_on
    d.calendar_pending = d.calendar_pending or provisional
    d.save(update_fields=["recall_started_at", "recall_announced_on", "recall_complete_due", "calendar_pending"])
    audit.record(actor=actor, action="food.disposal.recall_started", obj=d, unit=d.unit_id,
                 changes={"recall_started_at": [None, started_at.isoformat()],
                          "recall_complete_due": [None, d.recall_complete_due.isoformat()]})
    return d


@transaction.atomic
def recall_complete(*, actor, disposal, on: dt.date, result: str, today: dt.date | None = None):
    today = today or timezone.localdate()
    d = _lock_disposal(disposal)
    if d.recall_completed_on:
        return d
    if not d.recall_announced_on:
        raise TransitionNotAllowed(f"{d.number} 尚未发布召回公告")
    _day_between(on, d.recall_announced_on, today, "on", "完成召回日期")
    if not (result or "").strip():
        raise ValidationFailed("请填写召回数量和处置情况", field="result")
    d.recall_completed_on, d.recall_result = on, result.strip()[:300]
    d.save(update_fields=["recall_completed_on", "recall_result"])
    audit.record(actor=actor, action="food.disposal.recall_completed", obj=d, unit=d.unit_id,
                 changes={"recall_completed_on": [None, on.isoformat()], "recall_result": [None, d.recall_result]})
    return d


def recall_late(d, now: dt.datetime) -> str:
    """Why the recall is late (for the lead), or ''."""
    if d.recall_level and not d.recall_started_at and d.recall_start_due and d.recall_start_due < now:
        return (f"责令{d.get_recall_level_display()}，应于 {timezone.localtime(d.recall_start_due):%Y-%m-%d %H:%M} 前"
                "启动召回，逾期未启动")
    if d.recall_complete_due and not d.recall_completed_on and d.recall_complete_due < timezone.localtime(now).date():
        return f"召回公告于 {d.recall_announced_on:%Y-%m-%d} 发布，应于 {d.recall_complete_due:%Y-%m-%d} 前完成召回，逾期未完成"
    return ""


@transaction.atomic
def disposal_lead(*, actor, disposal, today: dt.date | None = None) -> int:
    """Hand the matter to enforcement as a lead (one per disposal). From a failed sample it is the sample's own lead
    (the sampling flow's, so the two never make two leads)."""
    from jianguan.enforcement.services import lead_create
    from jianguan.sampling import services as sampling

    today = today or timezone.localdate()
    d = _lock_disposal(disposal)
    if d.lead_id:
        return d.lead_id
    late = recall_late(d, timezone.now())
    if d.sample_id:
        lead_id = d.sample.lead_id or sampling.lead_open(actor=actor, sample=d.sample, today=today)
    else:
        description = (f"食品投诉举报 {d.complaint.number}：{d.entity.name} 的「{d.product}」（批号 {d.batch_no or '—'}），"
                       f"{d.problem}。{FOOD_LEAD_BASIS}")
        if late:
            description += (f"{late}：《食品召回管理办法》第十三条、第十七条；责令召回后仍拒不召回的，"
                            "《食品安全法》第一百二十四条第一款第（九）项，须查明。")
        lead_id = lead_create(actor=actor, source_kind=d.complaint.kind, entity=d.entity, unit=d.unit,
                              description=description, discovered_on=today, source_type="food.disposal",
                              source_id=str(d.pk)).pk
    d.lead_id = lead_id
    d.save(update_fields=["lead_id"])
    audit.record(actor=actor, action="food.disposal.lead", obj=d, unit=d.unit_id,
                 changes={"lead": [None, lead_id], "recall": [None, late or None]})
    return lead_id


@transaction.atomic
def disposal_close(*, actor, disposal, on: dt.date, conclusion: str, today: dt.date | None = None):
    """Close the 核查处置: every required measure done, an ordered recall completed, a conclusion written. Closed
    ones are published on the portal (食品安全抽样检验管理办法: the results of 核查处置 are made public). A second
    call changes nothing."""
    from .models import DisposalStatus

    today = today or timezone.localdate()
    d = _lock_disposal(disposal)
    if d.status == DisposalStatus.CLOSED:
        return d
    missing = [s["label"] for s in d.steps if s["required"] and not s["done_on"]]
    if missing:
        raise TransitionNotAllowed("尚未完成的处置措施：" + "；".join(missing))
    if d.recall_level and not d.recall_completed_on:
        raise TransitionNotAllowed(f"{d.get_recall_level_display()}尚未完成，不能办结")
    if not (conclusion or "").strip():
        raise ValidationFailed("请填写核查处置结论", field="conclusion")
    _day_between(on, d.opened_on, today, "on", "办结日期")
    d.status, d.closed_on, d.conclusion = DisposalStatus.CLOSED, on, conclusion.strip()[:500]
    d.save(update_fields=["status", "closed_on", "conclusion"])
    audit.record(actor=actor, action="food.disposal.closed", obj=d, unit=d.unit_id,
                 changes={"status": [DisposalStatus.OPEN, DisposalStatus.CLOSED], "closed_on": [None, on.isoformat()]})
    return d


def disposals_follow_up(*, today: dt.date) -> dict[str, int]:
    """The daily job: (1) every served unqualified food sample without a 核查处置 gets one (the bureau must start
    it on receiving the result); (2) a recall not started or not completed in time is handed to enforcement once;
    (3) deadlines computed provisionally are recomputed once the year's holidays are entered."""
    from jianguan.core import workdays
    from jianguan.sampling.models import Sample

    from .models import Disposal, DisposalStatus

    opened = 0
    pending = (Sample.objects.filter(plan__sector="food", status=Sample.Status.UNQUALIFIED, served_on__isnull=False,
                                     food_disposal__isnull=True).order_by("id"))
    for sample in pending:
        disposal_open(actor="sweep", sample=sample, today=today)
        opened += 1
    now = timezone.now()
    leads = 0
    late = (Disposal.objects.filter(status=DisposalStatus.OPEN, lead_id__isnull=True)
            .filter(Q(recall_started_at__isnull=True, recall_start_due__lt=now)
                    | Q(recall_completed_on__isnull=True, recall_complete_due__lt=today))
            .select_related("entity", "complaint", "sample"))
    for d in late:
        disposal_lead(actor="sweep", disposal=d, today=today)
        leads += 1
    recomputed = 0
    for d in Disposal.objects.filter(calendar_pending=True, status=DisposalStatus.OPEN):
        due, p1 = workdays.period_end_provisional(d.opened_on, int(rule("food.disposal_days", on=d.opened_on)))
        complete, p2 = d.recall_complete_due, False
        if d.recall_announced_on:
            n = int(rule("food.recall_complete_workdays", on=d.recall_announced_on)[d.recall_level])
            complete, p2 = workdays.add_workdays_provisional(d.recall_announced_on, n)
        if (due, complete, p1 or p2) != (d.due_on, d.recall_complete_due, True):
            Disposal.objects.filter(pk=d.pk).update(due_on=due, recall_complete_due=complete,
                                                    calendar_pending=p1 or p2)
            audit.record(actor="sweep", action="food.disposal.recomputed", obj=d, unit=d.unit_id,
                         changes={"due_on": [d.due_on.isoformat(), due.isoformat()]})
            recomputed += 1
    return {"disposals_opened": opened, "recall_leads": leads, "disposals_recomputed": recomputed}
