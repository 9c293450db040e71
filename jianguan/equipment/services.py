"""Every write of the equipment register: keyword-only, an explicit ``actor``, atomic, audited.

Devices: ``device_register``, ``device_change_status``; inspections: ``inspection_record`` (recomputes the
device's schedule); the schedule of many devices at once: ``recompute_schedules`` (set-based, the daily job);
overdue devices: ``overdue_act`` (a lead to enforcement, one per device and due date); operator certificates,
hazards (found → rectified → verified), accidents and campaigns.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, Max, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from jianguan.core import audit
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.rules import rule
from jianguan.registry.models import Entity, EntityStatus

from . import categories, credit_hooks, schedule
from .models import (
    QUALIFYING,
    STATUS_TRANSITIONS,
    Accident,
    Campaign,
    CampaignCheck,
    Conclusion,
    Device,
    DeviceStatus,
    Hazard,
    Inspection,
    OperatorCertificate,
    OverdueAction,
    RectificationOrder,
    StatusChange,
)
from .rules import schedule_rules

CODE_RE = re.compile(r"^[0-9A-Za-z\-]{4,40}$")
DEVICE_FIELDS = ("code", "category", "name", "registration_no", "registered_on", "entity", "unit", "location",
                 "manufacturer", "installer", "maintainer", "commissioned_on", "params", "status")


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _refuse(problems: list[dict], prefix: str = "设备信息有误") -> None:
    if problems:
        raise ValidationFailed(f"{prefix}：" + "；".join(p["message"] for p in problems), details=problems)


# --- devices ------------------------------------------------------------------------------------------------------


def check_device(data: dict, *, today: dt.date, existing_codes: set[str] | None = None,
                 exclude_pk: int | None = None) -> tuple[dict, list[dict]]:
    """Validate a device's fields (shared by the form, the API and the import). Returns (clean data, problems)."""
    problems: list[dict] = []
    clean = dict(data)
    code = str(data.get("code") or "").strip().upper()
    clean["code"] = code
    if not code:
        problems.append({"field": "code", "message": "设备代码不能为空"})
    elif not CODE_RE.match(code):
        problems.append({"field": "code", "message": f"设备代码「{code}」只能由 4–40 位数字、字母或连字符组成"})
    elif existing_codes is not None:
        if code in existing_codes:
            problems.append({"field": "code", "message": f"设备代码 {code} 已登记，不能重复登记"})
    elif Device.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        problems.append({"field": "code", "message": f"设备代码 {code} 已登记，不能重复登记"})
    category = str(data.get("category") or "").strip().upper()
    clean["category"] = category
    reason = categories.check_category(category)
    if reason:
        problems.append({"field": "category", "message": reason})
    else:
        params, param_problems = categories.clean_params(category, data.get("params") or {})
        clean["params"] = params
        problems += param_problems
    commissioned = data.get("commissioned_on")
    if not isinstance(commissioned, dt.date):
        problems.append({"field": "commissioned_on", "message": "投入使用日期不能为空"})
    elif commissioned > today:
        problems.append({"field": "commissioned_on", "message": f"投入使用日期 {commissioned} 晚于今天，不可能"})
    registered = data.get("registered_on")
    if isinstance(registered, dt.date) and registered > today:
        problems.append({"field": "registered_on", "message": f"使用登记日期 {registered} 晚于今天，不可能"})
    if not str(data.get("location") or "").strip():
        problems.append({"field": "location", "message": "设备使用地点不能为空"})
    entity = data.get("entity")
    if entity is None:
        problems.append({"field": "entity", "message": "须指定使用单位（已登记的市场主体）"})
    elif entity.status != EntityStatus.ACTIVE:
        problems.append({"field": "entity", "message": f"使用单位「{entity.name}」不是存续状态，不能登记设备"})
    for name in ("name", "registration_no", "location", "manufacturer", "installer", "maintainer"):
        clean[name] = str(data.get(name) or "").strip()
    return clean, problems


def _history(device: Device, *, after: str, on: dt.date, reason: str, actor, before: str = "") -> StatusChange:
    return StatusChange.objects.create(device=device, before=before, after=after, on=on, reason=reason,
                                       actor=_user(actor))


@transaction.atomic
def device_register(*, actor, today: dt.date | None = None, **data) -> Device:
    """Register a device in use (使用登记). Refuses unknown categories, duplicate codes, impossible dates and
    missing parameters of its category, each with a message naming the field."""
    today = _today(today)
    clean, problems = check_device(data, today=today)
    _refuse(problems)
    entity: Entity = clean["entity"]
    device = Device.objects.create(
        code=clean["code"], category=clean["category"], name=clean["name"], registration_no=clean["registration_no"],
        registered_on=clean.get("registered_on"), entity=entity, unit=clean.get("unit") or entity.unit,
        location=clean["location"], manufacturer=clean["manufacturer"], installer=clean["installer"],
        maintainer=clean["maintainer"], commissioned_on=clean["commissioned_on"], params=clean["params"],
        status=DeviceStatus.IN_USE, status_changed_on=clean["commissioned_on"])
    _history(device, after=DeviceStatus.IN_USE, on=clean["commissioned_on"], reason="使用登记", actor=actor)
    _apply_schedule(device, today)
    audit.record(actor=actor, action="equipment.device.registered", obj=device, unit=device.unit,
                 changes={k: [None, v] for k, v in audit.snapshot(device, DEVICE_FIELDS).items()})
    return device


def _lock(device: Device) -> Device:
    return Device.objects.select_for_update().select_related("entity", "unit").get(pk=device.pk)


@transaction.atomic
def device_change_status(*, actor, device: Device, status: str, on: dt.date, reason: str,
                         today: dt.date | None = None) -> Device:
    """停用 / 重新启用 / 报废 / 移装. A repeated request for the status the device already has changes nothing."""
    today = _today(today)
    device = _lock(device)
    if status not in DeviceStatus.values:
        raise ValidationFailed(f"设备状态「{status}」无效", field="status")
    if status == device.status:
        return device
    if status not in STATUS_TRANSITIONS[DeviceStatus(device.status)]:
        raise TransitionNotAllowed(
            f"设备 {device.code} 当前为「{device.get_status_display()}」，不能变更为「{DeviceStatus(status).label}」")
    problems = []
    if on > today:
        problems.append({"field": "on", "message": f"变更日期 {on} 晚于今天"})
    if on < device.commissioned_on:
        problems.append({"field": "on", "message": f"变更日期 {on} 早于投入使用日期 {device.commissioned_on}"})
    if not (reason or "").strip():
        problems.append({"field": "reason", "message": "请填写状态变更原因"})
    _refuse(problems, "状态变更有误")
    before = device.status
    device.status = status
    device.status_changed_on = on
    device.save(update_fields=["status", "status_changed_on", "updated_at"])
    _history(device, before=before, after=status, on=on, reason=reason.strip(), actor=actor)
    _apply_schedule(device, today)
    if status != DeviceStatus.IN_USE:
        _orders_corrected(device, on=on, actor=actor, how=f"设备{DeviceStatus(status).label}：{reason.strip()}")
    audit.record(actor=actor, action="equipment.device.status_changed", obj=device, unit=device.unit,
                 changes={"status": [before, status], "on": [None, on], "reason": [None, reason.strip()]})
    return device


# --- inspections and the schedule -------------------------------------------------------------------------------


@transaction.atomic
def inspection_record(*, actor, device: Device, kind: str, inspected_on: dt.date, body: str, conclusion: str,
                      report_no: str = "", note: str = "", today: dt.date | None = None) -> Inspection:
    """Record an inspection report and recompute the device's schedule. The same report entered twice (same
    device, kind, date and report number) returns the first record."""
    today = _today(today)
    device = _lock(device)
    problems = []
    if kind not in schedule.kinds_for(device.category):
        allowed = "、".join(schedule.KIND_LABELS[k] for k in schedule.kinds_for(device.category))
        problems.append({"field": "kind", "message": f"{device.category_label}的检验种类应为：{allowed}"})
    if not isinstance(inspected_on, dt.date):
        problems.append({"field": "inspected_on", "message": "检验日期不能为空"})
    else:
        if inspected_on < device.commissioned_on and kind != schedule.SUPERVISION:
            problems.append({"field": "inspected_on", "message":
                             f"检验日期 {inspected_on} 早于投入使用日期 {device.commissioned_on}，不可能"})
        if inspected_on > today:
            problems.append({"field": "inspected_on", "message": f"检验日期 {inspected_on} 晚于今天，不可能"})
    if conclusion not in Conclusion.values:
        problems.append({"field": "conclusion", "message": "检验结论应为：合格、复检合格或不合格"})
    if not (body or "").strip():
        problems.append({"field": "body", "message": "请填写检验机构"})
    _refuse(problems, "检验记录有误")
    report_no = (report_no or "").strip()
    existing = Inspection.objects.filter(device=device, kind=kind, inspected_on=inspected_on,
                                         report_no=report_no).first()
    if existing is not None:
        return existing
    record = Inspection.objects.create(device=device, kind=kind, inspected_on=inspected_on, body=body.strip(),
                                       report_no=report_no, conclusion=conclusion, note=(note or "").strip(),
                                       recorded_by=_user(actor))
    sched = _apply_schedule(device, today)
    record.next_due = sched.next_due
    record.save(update_fields=["next_due"])
    _orders_corrected(device, on=inspected_on, actor=actor,
                      how=f"{inspected_on} {schedule.KIND_LABELS.get(kind, kind)}：{Conclusion(conclusion).label}"
                          f"（{record.body}{' ' + report_no if report_no else ''}）")
    audit.record(actor=actor, action="equipment.inspection.recorded", obj=record, unit=device.unit, changes={
        "device": [None, device.code], "kind": [None, kind], "inspected_on": [None, inspected_on],
        "conclusion": [None, conclusion], "body": [None, record.body], "report_no": [None, report_no],
        "next_due": [device.next_due, sched.next_due]})
    return record


def _facts(device_ids: list[int], *, id_range: tuple[int, int] | None = None) -> dict[int, dict]:
    """Per device: the last qualifying date per kind, the last failed date and the latest inspection.
    ``id_range``: (first, last) device id when ``device_ids`` are every device in that range — read as a range,
    not as a list of thousands of ids. Read as tuples (no dict per row)."""
    facts: dict[int, dict] = {}
    where = {"device_id__gte": id_range[0], "device_id__lte": id_range[1]} if id_range else {
        "device_id__in": device_ids}
    rows = (Inspection.objects.filter(**where).values("device_id", "kind", "conclusion")
            .annotate(on=Max("inspected_on")).order_by().values_list("device_id", "kind", "conclusion", "on"))
    rank = _RANK
    for device_id, kind, conclusion, on in rows:
        f = facts.get(device_id)
        if f is None:
            f = facts[device_id] = {"last": {}, "failed": None, "latest": None}
        if conclusion in QUALIFYING:
            if on > f["last"].get(kind, dt.date.min):
                f["last"][kind] = on
        elif f["failed"] is None or on > f["failed"]:
            f["failed"] = on
        latest = f["latest"]
        if latest is None or (on, rank[conclusion]) > (latest[0], rank[latest[1]]):
            f["latest"] = (on, conclusion)
    return facts


_RANK = {Conclusion.FAILED: 0, Conclusion.PASSED: 1, Conclusion.PASSED_RETEST: 2}
#: the families whose schedule reads the category parameters (safety grade, cylinder kind): only theirs are parsed
_PARAM_FAMILIES = {"vessel", "cylinder"}


def _schedule_of(row: dict, f: dict, rules) -> schedule.Schedule:
    qualifying = max(f["last"].values()) if f["last"] else None
    failed = f["failed"] if f["failed"] is not None and (qualifying is None or f["failed"] > qualifying) else None
    params = row["params"]
    if isinstance(params, str):  # read as text by the bulk recompute: parsed only where the schedule needs it
        params = json.loads(params) if categories.family(row["category"]) in _PARAM_FAMILIES else {}
    return schedule.compute(category=row["category"], params=params or {},
                            commissioned_on=row["commissioned_on"], in_use=row["status"] == DeviceStatus.IN_USE,
                            last=f["last"], failed_on=failed, rules=rules)


def _apply_schedule(device: Device, today: dt.date) -> schedule.Schedule:
    row = {"category": device.category, "params": device.params, "commissioned_on": device.commissioned_on,
           "status": device.status}
    f = _facts([device.pk]).get(device.pk, {"last": {}, "failed": None, "latest": None})
    sched = _schedule_of(row, f, schedule_rules(today))
    latest = f["latest"]
    device.next_due, device.next_kind, device.apply_by = sched.next_due, sched.kind, sched.apply_by
    device.schedule_basis = sched.basis
    device.last_inspected_on = latest[0] if latest else None
    device.last_conclusion = latest[1] if latest else ""
    device.save(update_fields=["next_due", "next_kind", "apply_by", "schedule_basis", "last_inspected_on",
                               "last_conclusion", "updated_at"])
    return sched


SCHEDULE_COLUMNS = ("next_due", "next_kind", "apply_by", "schedule_basis", "last_inspected_on", "last_conclusion")
CHUNK = 5000


def recompute_schedules(*, today: dt.date | None = None, device_ids: Iterable[int] | None = None,
                        chunk: int = CHUNK) -> dict[str, int]:
    """Recompute the stored schedule of every device (or of ``device_ids``) under the rules in force ``today``,
    writing only the rows that changed: two grouped reads and at most one UPDATE per chunk of devices. Idempotent.
    """
    today = _today(today)
    rules = schedule_rules(today)
    qs = Device.objects.order_by("id")
    if device_ids is not None:
        qs = qs.filter(id__in=list(device_ids))
    # tuples, the parameters as text (parsed only for the families that need them): no dict and no JSON per row
    # (only the pressure equipment of 2xxx reads them; the server does not even detoast the others')
    qs = qs.annotate(params_text=Case(When(category__startswith="2", then=Cast("params", TextField())),
                                      default=Value("{}"), output_field=TextField()))
    fields = ("id", "category", "params_text", "commissioned_on", "status", *SCHEDULE_COLUMNS)
    seen = changed = 0
    last_id = 0
    empty = {"last": {}, "failed": None, "latest": None}
    row = {}
    while True:
        rows = list(qs.filter(id__gt=last_id).values_list(*fields)[:chunk])
        if not rows:
            break
        last_id = rows[-1][0]
        facts = _facts([r[0] for r in rows], id_range=(rows[0][0], last_id) if device_ids is None else None)
        updates = []
        for pk, category, params, commissioned_on, status, *stored in rows:
            f = facts.get(pk, empty)
            row["category"], row["params"], row["commissioned_on"], row["status"] = (
                category, params or "{}", commissioned_on, status)
            sched = _schedule_of(row, f, rules)
            latest = f["latest"]
            new = [sched.next_due, sched.kind, sched.apply_by, sched.basis, latest[0] if latest else None,
                   latest[1] if latest else ""]
            if new != stored:
                updates.append((pk, *new))
        seen += len(rows)
        if updates:
            with transaction.atomic():
                _write_schedules(updates)
            changed += len(updates)
    if changed:
        with transaction.atomic():
            audit.record(actor="system", action="equipment.schedules.recomputed", object_type="equipment.device",
                         object_repr=f"{changed} 台设备的检验日期", changes={"devices": [None, changed],
                                                                          "as_of": [None, today]})
    return {"devices": seen, "changed": changed}


def _write_schedules(updates: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        # the whole chunk as one JSON parameter unpacked by the server (json_to_recordset): the driver sends one
        # string instead of quoting 35,000 values or seven arrays element by element
        payload = json.dumps([[pk, nd and nd.isoformat(), nk, ab and ab.isoformat(), sb, li and li.isoformat(), lc]
                              for pk, nd, nk, ab, sb, li, lc in updates], ensure_ascii=False)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE equipment_device AS d SET next_due = (v->>1)::date, next_kind = v->>2, "
                "apply_by = (v->>3)::date, schedule_basis = v->>4, last_inspected_on = (v->>5)::date, "
                "last_conclusion = v->>6, updated_at = now() "
                "FROM json_array_elements(%s::json) AS v WHERE d.id = (v->>0)::bigint", [payload])
        return
    # SQLite: one prepared UPDATE run per device (executemany). bulk_update's CASE WHEN over 500 rows × 6 columns
    # compiled 3,000 When expressions a batch: ~8 s CPU of the demo's 4,000 devices (issue 16).
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE equipment_device SET next_due = %s, next_kind = %s, apply_by = %s, schedule_basis = %s, "
            "last_inspected_on = %s, last_conclusion = %s, updated_at = %s WHERE id = %s",
            [(nd and nd.isoformat(), nk, ab and ab.isoformat(), sb, li and li.isoformat(), lc, now, pk)
             for pk, nd, nk, ab, sb, li, lc in updates])


def recompute_schedules_naive(*, today: dt.date | None = None, device_ids: Iterable[int] | None = None) -> int:
    """Baseline for the benchmark: one device at a time through the ORM (read, compute, save)."""
    today = _today(today)
    qs = Device.objects.all() if device_ids is None else Device.objects.filter(id__in=list(device_ids))
    count = 0
    for device in qs.iterator():
        _apply_schedule(device, today)
        count += 1
    return count


# --- overdue devices ------------------------------------------------------------------------------------------


def device_history_text(device: Device, limit: int = 5) -> str:
    """The device's facts and recent history, attached to the lead it goes to enforcement with."""
    lines = [
        f"设备代码：{device.code}；类别：{device.category}（{device.category_label}）；使用登记证：{device.registration_no or '—'}",
        f"使用单位：{device.entity.name}（{device.entity.uscc}）；使用地点：{device.location}",
        f"投入使用：{device.commissioned_on}；下次检验日期：{device.next_due}（{device.next_kind_label}）；"
        f"应于 {device.apply_by} 前申报定期检验",
    ]
    for ins in device.inspections.all()[:limit]:
        lines.append(f"检验：{ins.inspected_on} {ins.kind_label} {ins.get_conclusion_display()}（{ins.body}"
                     f"{' ' + ins.report_no if ins.report_no else ''}）")
    for change in device.status_changes.order_by("-on", "-id")[:limit]:
        lines.append(f"状态：{change.on} {change.get_after_display()}（{change.reason}）")
    return "\n".join(lines)


@transaction.atomic
def overdue_act(*, actor, device: Device, today: dt.date | None = None) -> OverdueAction:
    """Hand an overdue device to enforcement (移送执法线索) with its history attached. One action per device and
    due date: a second click (or a second officer) gets the first one back."""
    from jianguan.enforcement.models import LeadSource
    from jianguan.enforcement.services import lead_create

    today = _today(today)
    device = _lock(device)
    if device.status != DeviceStatus.IN_USE or device.next_due is None or device.next_due >= today:
        raise TransitionNotAllowed(f"设备 {device.code} 未超期未检（下次检验日期 {device.next_due or '—'}），无需处置")
    existing = OverdueAction.objects.filter(device=device, due=device.next_due, kind=OverdueAction.Kind.LEAD).first()
    if existing is not None:
        return existing
    order = RectificationOrder.objects.filter(device=device, due=device.next_due,
                                              status=RectificationOrder.Status.OPEN).first()
    if order is not None:  # an order running: the officer hands it on before its deadline
        order = order_escalate(actor=actor, order=order, today=today)
        return OverdueAction.objects.get(device=device, due=device.next_due, kind=OverdueAction.Kind.LEAD)
    days = (today - device.next_due).days
    description = (f"特种设备超期未检：{device.category_label} {device.code} 已超过下次检验日期 {days} 天，使用单位未按"
                   f"《特种设备安全法》第四十条第一款申报定期检验，涉嫌违反该条；依该法第八十三条第（四）项责令限期改正，"
                   f"逾期未改正的处罚（设备仍在使用的，另查是否属第八十四条第（一）项「使用未经检验的特种设备」）。\n" + device_history_text(device))
    lead = lead_create(actor=actor, source_kind=LeadSource.INSPECTION, entity=device.entity, unit=device.unit,
                       description=description, discovered_on=today, source_type="equipment.device",
                       source_id=f"{device.pk}@{device.next_due.isoformat()}")
    action = OverdueAction.objects.create(device=device, due=device.next_due, kind=OverdueAction.Kind.LEAD,
                                          reference=f"线索 {lead.pk}", lead_id=lead.pk, actor=_user(actor))
    audit.record(actor=actor, action="equipment.device.overdue_lead", obj=device, unit=device.unit,
                 changes={"due": [None, device.next_due], "lead": [None, lead.pk], "days_overdue": [None, days]})
    return action


# --- the order to correct (责令改正通知书) ---------------------------------------------------------------------------

ORDER_VIOLATED = "《中华人民共和国特种设备安全法》第四十条第一款"
# 第八十三条第（四）项: 未按照安全技术规范的要求及时申报并接受检验的 — 责令限期改正；逾期未改正的，责令停止使用有关特种设备，
# 处一万元以上十万元以下罚款 (第（三）项 is upkeep and self-inspection, not the periodic inspection)
ORDER_BASIS = "《中华人民共和国特种设备安全法》第八十三条第（四）项"


def _order_context(device: Device, *, number: str, issued_on: dt.date, correct_by: dt.date, authority) -> dict:
    """What the enforcement kit's 责令改正通知书 layout prints, from the device instead of a case file."""
    from jianguan.enforcement import documents

    days = (issued_on - device.next_due).days
    where = f"（设备代码 {device.code}，使用登记证编号 {device.registration_no or '—'}，使用地点 {device.location}）"
    return {
        "authority": documents.authority_name(authority), "number": number, "title": "责令改正通知书",
        "issued_on": documents.cn_date(issued_on),
        "party": {"name": device.entity.name},
        "case": {"violated": ORDER_VIOLATED, "cause": "特种设备超期未检"},
        "violation": [
            f"你单位使用的{device.category_label}{where}，定期检验有效期至{documents.cn_date(device.next_due)}，"
            f"至今已超期{days}日，未在检验合格有效期届满前一个月向特种设备检验机构提出定期检验要求并接受检验；",
            "未经定期检验的特种设备不得继续使用（《中华人民共和国特种设备安全法》第四十条第三款）。",
        ],
        "correct_by": f"于{documents.cn_date(correct_by)}前",
        "order_basis": f"以及{ORDER_BASIS}",
    }


@transaction.atomic
def order_issue(*, actor, device: Device, today: dt.date | None = None) -> RectificationOrder:
    """Issue the 责令改正通知书 for an overdue device: numbered (the authority's 改 series), printed as Word and
    PDF, with the deadline of rule ``equipment.order_correct_days``. One order per device and due date: a second
    click returns the first. Refused for a device not overdue, or one already handed to enforcement as a lead for
    this due date (the case orders the correction then)."""
    import hashlib

    from jianguan.enforcement import docrender, documents

    today = _today(today)
    device = _lock(device)
    if device.status != DeviceStatus.IN_USE or device.next_due is None or device.next_due >= today:
        raise TransitionNotAllowed(f"设备 {device.code} 未超期未检（下次检验日期 {device.next_due or '—'}），无需责令改正")
    existing = RectificationOrder.objects.filter(device=device, due=device.next_due).first()
    if existing is not None:
        return existing
    if OverdueAction.objects.filter(device=device, due=device.next_due, kind=OverdueAction.Kind.LEAD).exists():
        raise TransitionNotAllowed(f"设备 {device.code} 已移送执法线索，责令改正请在立案后的案件中制作")
    entity = Entity.objects.get(pk=device.entity_id)
    device.entity = entity
    correct_by = today + dt.timedelta(days=int(rule("equipment.order_correct_days", on=today)))
    authority = documents.authority_for(device.unit)
    number = documents.next_number(unit=device.unit, word="改", year=today.year)
    ctx = _order_context(device, number=number, issued_on=today, correct_by=correct_by, authority=authority)
    docx = docrender.render_docx("rectification_order", ctx)
    pdf = docrender.render_pdf("rectification_order", ctx)
    order = RectificationOrder.objects.create(
        device=device, entity=entity, unit=device.unit, authority=authority, due=device.next_due, number=number,
        issued_on=today, correct_by=correct_by, docx=docx, pdf=pdf, content_hash=hashlib.sha256(docx).hexdigest(),
        issued_by=_user(actor))
    OverdueAction.objects.create(device=device, due=device.next_due, kind=OverdueAction.Kind.ORDER,
                                 reference=number, actor=_user(actor))
    audit.record(actor=actor, action="equipment.order.issued", obj=order, unit=device.unit,
                 object_repr=f"{number} {device.code}", changes={
                     "device": [None, device.code], "number": [None, number], "correct_by": [None, correct_by],
                     "content_hash": [None, order.content_hash]})
    return order


def _orders_corrected(device: Device, *, on: dt.date, how: str, actor) -> None:
    """An inspection recorded, or the device out of use: its open orders are corrected."""
    for order in RectificationOrder.objects.select_for_update().filter(device=device,
                                                                        status=RectificationOrder.Status.OPEN):
        order.status, order.corrected_on, order.correction = RectificationOrder.Status.CORRECTED, on, how[:200]
        order.save(update_fields=["status", "corrected_on", "correction"])
        audit.record(actor=actor, action="equipment.order.corrected", obj=order, unit=order.unit,
                     changes={"status": ["open", "corrected"], "corrected_on": [None, on], "how": [None, how]})


def orders_escalate(*, actor="system", today: dt.date | None = None) -> dict:
    """The daily follow-up: each order still open after its deadline goes to enforcement as a lead (逾期未改正,
    特种设备安全法 第八十三条第（四）项), with the order's number and the device's history. Idempotent."""
    today = _today(today)
    done = 0
    ids = list(RectificationOrder.objects.filter(status=RectificationOrder.Status.OPEN, correct_by__lt=today)
               .values_list("id", flat=True))
    for pk in ids:
        with transaction.atomic():
            order = (RectificationOrder.objects.select_for_update(of=("self",))
                     .select_related("device", "device__entity", "unit").get(pk=pk))
            if order.status != RectificationOrder.Status.OPEN:
                continue
            order_escalate(actor=actor, order=order, today=today)
            done += 1
    return {"escalated": done}


@transaction.atomic
def order_escalate(*, actor, order: RectificationOrder, today: dt.date | None = None) -> RectificationOrder:
    """Hand an order not complied with to enforcement as a lead (the sweep, or an officer before the deadline)."""
    from jianguan.enforcement.models import LeadSource
    from jianguan.enforcement.services import lead_create

    today = _today(today)
    order = RectificationOrder.objects.select_for_update(of=("self",)).select_related("device", "device__entity").get(
        pk=order.pk)
    if order.status != RectificationOrder.Status.OPEN:
        return order
    device = order.device
    late = f"改正期限{order.correct_by}已过，" if order.correct_by < today else ""
    description = (f"特种设备超期未检，责令改正通知书（{order.number}）{late}使用单位未改正：{device.category_label} "
                   f"{device.code} 下次检验日期 {order.due}。涉嫌违反《特种设备安全法》第四十条第一款，依该法第八十三条第（四）项"
                   f"「逾期未改正的，责令停止使用有关特种设备，处一万元以上十万元以下罚款」处罚。\n" + device_history_text(device))
    lead = lead_create(actor=actor, source_kind=LeadSource.INSPECTION, entity=device.entity, unit=order.unit,
                       description=description, discovered_on=today, source_type="equipment.order",
                       source_id=str(order.pk))
    order.status, order.escalated_on, order.lead_id = RectificationOrder.Status.ESCALATED, today, lead.pk
    order.save(update_fields=["status", "escalated_on", "lead_id"])
    OverdueAction.objects.get_or_create(device=device, due=order.due, kind=OverdueAction.Kind.LEAD, defaults={
        "reference": f"线索 {lead.pk}", "lead_id": lead.pk, "actor": _user(actor)})
    audit.record(actor=actor, action="equipment.order.escalated", obj=order, unit=order.unit,
                 changes={"status": ["open", "escalated"], "lead": [None, lead.pk]})
    return order


# --- operator certificates, hazards, accidents, campaigns --------------------------------------------------------


@transaction.atomic
def certificate_add(*, actor, entity: Entity, holder: str, number: str, kind: str, issued_on: dt.date,
                    expires_on: dt.date | None = None, today: dt.date | None = None) -> OperatorCertificate:
    today = _today(today)
    problems = []
    number = (number or "").strip().upper()
    if not (holder or "").strip():
        problems.append({"field": "holder", "message": "请填写持证人姓名"})
    if not number:
        problems.append({"field": "number", "message": "请填写证书编号"})
    elif OperatorCertificate.objects.filter(number=number).exists():
        problems.append({"field": "number", "message": f"证书编号 {number} 已登记"})
    if kind not in dict(OperatorCertificate.KINDS):
        problems.append({"field": "kind", "message": f"作业项目「{kind}」无效"})
    if not isinstance(issued_on, dt.date) or issued_on > today:
        problems.append({"field": "issued_on", "message": "发证日期不能为空且不能晚于今天"})
    if expires_on is None and isinstance(issued_on, dt.date):
        expires_on = schedule.add_years(issued_on, int(rule("equipment.operator_certificate_years", on=issued_on)))
    if isinstance(issued_on, dt.date) and expires_on is not None and expires_on <= issued_on:
        problems.append({"field": "expires_on", "message": "有效期至须晚于发证日期"})
    _refuse(problems, "作业人员证信息有误")
    cert = OperatorCertificate.objects.create(entity=entity, unit=entity.unit, holder=holder.strip(), number=number,
                                              kind=kind, issued_on=issued_on, expires_on=expires_on)
    audit.record(actor=actor, action="equipment.certificate.added", obj=cert, unit=cert.unit,
                 object_repr=f"{number} {dict(OperatorCertificate.KINDS)[kind]}",
                 changes={"number": [None, number], "kind": [None, kind], "expires_on": [None, expires_on]})
    return cert


@transaction.atomic
def hazard_add(*, actor, device: Device, found_on: dt.date, description: str, level: str = Hazard.Level.GENERAL,
               deadline: dt.date | None = None, today: dt.date | None = None) -> Hazard:
    today = _today(today)
    problems = []
    if not (description or "").strip():
        problems.append({"field": "description", "message": "请描述隐患"})
    if level not in Hazard.Level.values:
        problems.append({"field": "level", "message": "隐患等级无效"})
    if not isinstance(found_on, dt.date) or found_on > today:
        problems.append({"field": "found_on", "message": "发现日期不能为空且不能晚于今天"})
    elif found_on < device.commissioned_on:
        problems.append({"field": "found_on", "message": f"发现日期早于设备投入使用日期 {device.commissioned_on}"})
    if deadline is None and isinstance(found_on, dt.date):
        deadline = found_on + dt.timedelta(days=int(rule("equipment.hazard_days", on=found_on)))
    if isinstance(found_on, dt.date) and deadline is not None and deadline < found_on:
        problems.append({"field": "deadline", "message": "整改期限不能早于发现日期"})
    _refuse(problems, "隐患信息有误")
    hazard = Hazard.objects.create(device=device, unit=device.unit, found_on=found_on, description=description.strip(),
                                   level=level, deadline=deadline, created_by=_user(actor))
    audit.record(actor=actor, action="equipment.hazard.found", obj=hazard, unit=hazard.unit,
                 object_repr=f"{device.code} {description[:40]}",
                 changes={"device": [None, device.code], "level": [None, level], "deadline": [None, deadline]})
    credit_hooks.recompute_risk([device.entity_id], on=today)
    return hazard


@transaction.atomic
def hazard_rectified(*, actor, hazard: Hazard, on: dt.date, rectification: str,
                     today: dt.date | None = None) -> Hazard:
    today = _today(today)
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if hazard.status == Hazard.Status.RECTIFIED:
        return hazard
    if hazard.status != Hazard.Status.OPEN:
        raise TransitionNotAllowed("隐患已核查销号，不能再登记整改")
    problems = []
    if not (rectification or "").strip():
        problems.append({"field": "rectification", "message": "请填写整改情况"})
    if on > today or on < hazard.found_on:
        problems.append({"field": "on", "message": "整改完成日期须在发现日期与今天之间"})
    _refuse(problems, "整改情况有误")
    hazard.status, hazard.rectified_on, hazard.rectification = Hazard.Status.RECTIFIED, on, rectification.strip()
    hazard.save(update_fields=["status", "rectified_on", "rectification"])
    audit.record(actor=actor, action="equipment.hazard.rectified", obj=hazard, unit=hazard.unit,
                 changes={"status": ["open", "rectified"], "rectified_on": [None, on]})
    credit_hooks.recompute_risk(Device.objects.filter(pk=hazard.device_id).values_list("entity_id", flat=True),
                                on=today)
    return hazard


@transaction.atomic
def hazard_verify(*, actor, hazard: Hazard, on: dt.date | None = None) -> Hazard:
    on = _today(on)
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if hazard.status == Hazard.Status.VERIFIED:
        return hazard
    if hazard.status != Hazard.Status.RECTIFIED:
        raise TransitionNotAllowed("使用单位尚未报告整改完成，不能核查销号")
    hazard.status, hazard.verified_on, hazard.verified_by = Hazard.Status.VERIFIED, on, _user(actor)
    hazard.save(update_fields=["status", "verified_on", "verified_by"])
    audit.record(actor=actor, action="equipment.hazard.verified", obj=hazard, unit=hazard.unit,
                 changes={"status": ["rectified", "verified"], "verified_on": [None, on]})
    return hazard


@transaction.atomic
def accident_record(*, actor, device: Device, occurred_on: dt.date, level: str, description: str, deaths: int = 0,
                    injuries: int = 0, today: dt.date | None = None) -> Accident:
    today = _today(today)
    problems = []
    if level not in Accident.Level.values:
        problems.append({"field": "level", "message": "事故等级无效"})
    if not isinstance(occurred_on, dt.date) or occurred_on > today:
        problems.append({"field": "occurred_on", "message": "发生日期不能为空且不能晚于今天"})
    elif occurred_on < device.commissioned_on:
        problems.append({"field": "occurred_on", "message": f"发生日期早于设备投入使用日期 {device.commissioned_on}"})
    if not (description or "").strip():
        problems.append({"field": "description", "message": "请填写事故经过和原因"})
    if deaths < 0 or injuries < 0:
        problems.append({"field": "deaths", "message": "伤亡人数不能为负数"})
    _refuse(problems, "事故信息有误")
    accident = Accident.objects.create(device=device, unit=device.unit, occurred_on=occurred_on, level=level,
                                       deaths=deaths, injuries=injuries, description=description.strip(),
                                       created_by=_user(actor))
    audit.record(actor=actor, action="equipment.accident.recorded", obj=accident, unit=accident.unit,
                 object_repr=f"{device.code} {occurred_on}", changes={
                     "device": [None, device.code], "level": [None, level], "deaths": [None, deaths],
                     "injuries": [None, injuries]})
    credit_hooks.recompute_risk([device.entity_id], on=today)
    return accident


@transaction.atomic
def accident_link_penalty(*, actor, accident: Accident, decision_no: str) -> Accident:
    """Record the penalty decided against the user for the accident (特种设备安全法 第九十一条), by its decision
    number: it must be a penalty on the device's user. While that penalty is published, the accident is public in
    the user's record too."""
    from jianguan.enforcement.models import Penalty

    accident = Accident.objects.select_for_update(of=("self",)).select_related("device").get(pk=accident.pk)
    decision_no = (decision_no or "").strip()
    if not decision_no:
        raise ValidationFailed("请填写行政处罚决定书文号", field="decision_no")
    penalty = Penalty.objects.filter(decision_no=decision_no).first()
    if penalty is None:
        raise ValidationFailed(f"没有文号为「{decision_no}」的行政处罚决定", field="decision_no")
    if penalty.entity_id != accident.device.entity_id:
        raise ValidationFailed(f"行政处罚决定「{decision_no}」的当事人不是该设备的使用单位", field="decision_no")
    if accident.penalty_id == penalty.pk:
        return accident
    before = accident.penalty_id
    accident.penalty = penalty
    accident.save(update_fields=["penalty"])
    audit.record(actor=actor, action="equipment.accident.penalty_linked", obj=accident, unit=accident.unit,
                 changes={"penalty": [before, penalty.pk], "decision_no": [None, decision_no]})
    return accident


@transaction.atomic
def campaign_create(*, actor, title: str, tag: str, categories_: list[str], checklist: list[str], starts_on: dt.date,
                    ends_on: dt.date, unit) -> Campaign:
    problems = []
    if not (title or "").strip():
        problems.append({"field": "title", "message": "请填写专项整治名称"})
    cats = [c.strip().upper() for c in categories_ if c.strip()]
    if not cats:
        problems.append({"field": "categories", "message": "请至少选择一个设备类别"})
    for code in cats:
        if (reason := categories.check_category(code)) is not None:
            problems.append({"field": "categories", "message": reason})
    items = [c.strip() for c in checklist if c.strip()]
    if not items:
        problems.append({"field": "checklist", "message": "请至少填写一个检查项目"})
    if ends_on < starts_on:
        problems.append({"field": "ends_on", "message": "结束日期不能早于开始日期"})
    _refuse(problems, "专项整治信息有误")
    campaign = Campaign.objects.create(title=title.strip(), tag=(tag or "").strip(), categories=cats, checklist=items,
                                       starts_on=starts_on, ends_on=ends_on, unit=unit, created_by=_user(actor))
    audit.record(actor=actor, action="equipment.campaign.created", obj=campaign, unit=unit,
                 changes={"title": [None, campaign.title], "categories": [None, cats], "items": [None, len(items)]})
    return campaign


def campaign_devices(campaign: Campaign):
    from django.db.models import Q

    q = Q()
    for code in campaign.categories:
        q |= Q(category=code) if not code.endswith("000") else Q(category__startswith=code[:1])
    return Device.objects.filter(q, status=DeviceStatus.IN_USE)


@transaction.atomic
def campaign_check(*, actor, campaign: Campaign, device: Device, checked_on: dt.date, answers: list[bool],
                   note: str = "", today: dt.date | None = None) -> CampaignCheck:
    """One device checked against the campaign's checklist; each failed item becomes a hazard to rectify.
    The same device checked twice in a campaign returns the first check."""
    today = _today(today)
    existing = CampaignCheck.objects.filter(campaign=campaign, device=device).first()
    if existing is not None:
        return existing
    problems = []
    if not campaign_devices(campaign).filter(pk=device.pk).exists():
        problems.append({"field": "device", "message": f"设备 {device.code} 不属于本专项整治的设备类别或不在用"})
    if len(answers) != len(campaign.checklist):
        problems.append({"field": "answers", "message": f"须对全部 {len(campaign.checklist)} 个检查项目作出结论"})
    if not (campaign.starts_on <= checked_on <= min(campaign.ends_on, today)):
        problems.append({"field": "checked_on", "message": "检查日期须在专项整治期间内且不晚于今天"})
    _refuse(problems, "专项整治检查有误")
    failed = [item for item, ok in zip(campaign.checklist, answers) if not ok]
    check = CampaignCheck.objects.create(campaign=campaign, device=device, checked_on=checked_on,
                                         answers=[bool(a) for a in answers], problems=len(failed),
                                         note=(note or "").strip(), checked_by=_user(actor))
    for item in failed:
        hazard_add(actor=actor, device=device, found_on=checked_on, description=f"{campaign.title}：{item}",
                   today=today)
    audit.record(actor=actor, action="equipment.campaign.checked", obj=check, unit=device.unit,
                 object_repr=f"{campaign.title} {device.code}",
                 changes={"device": [None, device.code], "problems": [None, len(failed)]})
    return check
