"""Writes of complaints and reports. Each is atomic, audited in the same transaction, and explicit about state.

Complaint (投诉)::

    received ──accept──▶ accepted ──agree──▶ agreed ─────┐
        │                    │                            ├──close──▶ closed
        └──refuse──▶ refused └──terminate (45 wd)──▶ terminated ┘

Report (举报)::

    received ──start_check──▶ verifying ──decide──▶ lead (an enforcement lead) ──┐
        └────────────decide─────────────────────▶ dismissed ─────────────────────┴─close──▶ closed

Clocks (rules in ``rules.py``, working days, start day not counted) run from ``received_on``, which a transfer
never changes. A deadline that falls in a year whose holidays are not yet known is left empty and flagged
(``calendar_pending``): the daily sweep fills it in once the administrator enters that year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianguan.core import audit, crypto, workdays
from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import Division, OrgUnit
from jianguan.core.rules import rule
from jianguan.core.sequences import next_unique

from . import files, notifications
from .models import (
    Category,
    Channel,
    Complaint,
    Event,
    Evidence,
    Kind,
    Mediation,
    MediationPause,
    Satisfaction,
    Status,
    Transfer,
)
from .rules import refusal_reasons

CONSUMER_DEPARTMENT = "410400XB"  # the city bureau's consumer-protection department (12315)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
AUDIT_FIELDS = (
    "status",
    "unit",
    "handler",
    "decided_on",
    "refusal_reason",
    "mediation_due",
    "ended_on",
    "money_recovered",
    "parties_notified_on",
    "check_due",
    "check_extended",
    "check_extension_approved_by",
    "lead_id",
    "reporter_notified_on",
    "satisfaction",
    "closed_on",
)
IDEMPOTENCY_KEY = re.compile(r"^[0-9a-f]{32}$")
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")


# --- helpers --------------------------------------------------------------------------------------------------------


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def due_after(start: dt.date, rule_key: str) -> dt.date | None:
    """``start`` + the working days of rule ``rule_key``; None when the calendar does not reach that far yet."""
    try:
        return workdays.add_workdays(start, int(rule(rule_key, on=start)))
    except workdays.CalendarUnknown:
        return None


def due_after_provisional(start: dt.date, rule_key: str) -> tuple[dt.date, bool]:
    """(``start`` + the working days of rule ``rule_key``, provisional): when the period reaches a year whose holidays
    are not entered, the date assumes none fell in it (shown as 暂定; the record carries ``calendar_pending`` and the
    daily sweep recomputes it once the year is confirmed)."""
    return workdays.add_workdays_provisional(start, int(rule(rule_key, on=start)))


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def code_hash(number: str, code: str) -> str:
    """Keyed hash of a tracking code: fast enough for the intake path, useless without the server's secret."""
    message = f"{number}:{code.strip().upper()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def code_matches(complaint: Complaint, code: str) -> bool:
    return hmac.compare_digest(complaint.code_hash, code_hash(complaint.number, code or ""))


def content_hash(entity_name: str, description: str) -> str:
    text = re.sub(r"\s+", "", f"{entity_name}|{description}")
    return hashlib.sha256(text.encode()).hexdigest()


ACTOR_LABELS = {"public": "投诉举报人（网上提交）", "sweep": "系统（每日作业）", "demo": "演示数据", "import": "12315数据导入"}


def _event(complaint: Complaint, action: str, public_text: str, *, actor, note: str = "",
           on: dt.date | None = None) -> Event:
    """One step of the history, dated the day it happened (``on``, e.g. the mediation's date), so the timeline
    reads in the order of events, not of data entry; a step of today keeps its time."""
    label = (
        actor.get_full_name() or actor.get_username()
        if getattr(actor, "is_authenticated", False)
        else (ACTOR_LABELS.get(actor, actor) if isinstance(actor, str) else "系统")
    )
    at = timezone.now()
    if on is not None and on != timezone.localdate(at):
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    return Event.objects.create(
        at=at,
        complaint=complaint,
        action=action,
        status=complaint.status,
        public_text=public_text,
        note=note,
        actor_label=str(label)[:150],
        unit_id=complaint.unit_id,  # the id: the unit itself is not loaded for it
    )


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _require(complaint: Complaint, *, kind: str | None = None, statuses=()) -> None:
    if kind and complaint.kind != kind:
        raise TransitionNotAllowed(f"{complaint.get_kind_display()}不适用此操作")
    if statuses and complaint.status not in statuses:
        raise TransitionNotAllowed(f"{complaint.number} 当前状态为「{complaint.get_status_display()}」，不能执行此操作")


def _save(complaint: Complaint, before: dict, *, actor, action: str) -> None:
    complaint.save()
    audit.record(
        actor=actor,
        action=action,
        obj=complaint,
        unit=complaint.unit_id,  # the id: _locked's fresh copy would load the unit for it (a query per step)
        changes=audit.diff(before, audit.snapshot(complaint, AUDIT_FIELDS)),
    )


# --- routing ----------------------------------------------------------------------------------------------------------


def find_entity(*, uscc: str = "", name: str = ""):
    """The registered entity a consumer means: by code (exact), else by exact name. None when not found."""
    from jianguan.registry import uscc as uscc_mod
    from jianguan.registry.models import Entity

    code = uscc_mod.normalize(uscc or "")
    if code:
        found = Entity.objects.select_related("unit").filter(uscc=code).first()
        if found is not None:
            return found
    name = (name or "").strip()
    if name:
        matches = list(Entity.objects.select_related("unit").filter(name=name)[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def route(*, entity=None, division_code: str = "") -> OrgUnit:
    """The unit that handles a complaint: the supervising unit of a registered business; else the district bureau
    of the division the consumer named; else the city bureau's consumer-protection department."""
    if entity is not None and entity.unit_id and entity.unit.is_active:
        return entity.unit
    if division_code:
        district = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, division_id=division_code, is_active=True).first()
        if district is not None:
            return district
    return OrgUnit.objects.get(code=CONSUMER_DEPARTMENT)


# --- intake -----------------------------------------------------------------------------------------------------------


def _validate_intake(data: dict) -> list[dict]:
    problems = []
    kind = data["kind"]
    if kind not in Kind.values:
        problems.append({"field": "kind", "message": "请选择投诉或举报"})
    anonymous = kind == Kind.REPORT and data["anonymous"]
    if data["anonymous"] and kind != Kind.REPORT:
        problems.append({"field": "anonymous", "message": "投诉须留下姓名和联系电话（匿名仅限举报）"})
    if not anonymous:
        if not data["person_name"]:
            problems.append({"field": "person_name", "message": "请填写姓名"})
        if not data["person_phone"]:
            problems.append({"field": "person_phone", "message": "请填写联系电话"})
    if data["person_phone"] and not PHONE.match(data["person_phone"]):
        problems.append({"field": "person_phone", "message": "联系电话格式不正确"})
    if data["entity"] is None and not data["entity_name"]:
        problems.append({"field": "entity_name", "message": "请填写被投诉（举报）的经营者名称"})
    if not data["description"]:
        problems.append({"field": "description", "message": "请填写事情经过"})
    if data["category"] not in Category.values:
        problems.append({"field": "category", "message": "问题类别无效"})
    if data["channel"] not in Channel.values:
        problems.append({"field": "channel", "message": "渠道无效"})
    amount = data["amount"]
    if amount is not None and (amount < 0 or amount >= Decimal("1e10")):
        problems.append({"field": "amount", "message": "涉及金额无效"})
    if data["occurred_on"] and data["occurred_on"] > data["received_on"]:
        problems.append({"field": "occurred_on", "message": "发生日期不能晚于登记日期"})
    # The division only routes a business that is not registered (a registered one is routed by its own).
    if (
        data["entity"] is None
        and data["division_code"]
        and not Division.objects.filter(code=data["division_code"]).exists()
    ):
        problems.append({"field": "division", "message": "行政区划代码无效"})
    return problems


def _check_files(uploads) -> list[tuple]:
    """Validate every upload before anything is written: (upload, type) pairs, or ValidationFailed."""
    uploads = list(uploads or [])
    max_files = int(rule("complaints.evidence_max_files"))
    limit = min(int(rule("complaints.evidence_max_bytes")), int(settings.JIANGUAN_MAX_UPLOAD_BYTES))
    if len(uploads) > max_files:
        raise ValidationFailed(
            f"证据文件最多 {max_files} 个", details=[{"field": "files", "message": f"证据文件最多 {max_files} 个"}]
        )
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append((upload, files.check(upload.name, upload, upload.size, limit)))
        except files.FileRefused as exc:
            problems.append({"field": "files", "message": str(exc)})
    if problems:
        raise ValidationFailed("；".join(p["message"] for p in problems), details=problems)
    return checked


def _store_files(complaint: Complaint, checked, stored: list[str]) -> None:
    for upload, kind in checked:
        ext = files.extension_of(upload.name)
        evidence = Evidence(
            complaint=complaint,
            token=secrets.token_hex(16),
            original_name=upload.name[:200],
            content_type=kind.content_type,
            extension=ext,
            size=upload.size,
        )
        digest = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        evidence.sha256 = digest.hexdigest()
        evidence.file.save(evidence.file.field.generate_filename(evidence, upload.name), upload, save=False)
        stored.append(evidence.file.name)
        evidence.save()


def _number(received_on: dt.date) -> str:
    """The complaint's number, e.g. PDS-2026-000123: unique, increasing within the year, **not gap-free**.

    A complaint number is a reference for the consumer and the handler, not an official document number, so a
    submission that rolls back may leave a hole. In exchange no lock is held while the complaint is written
    (``next_unique``: a PostgreSQL sequence per year), so concurrent submissions do not queue behind each other.
    """
    prefix = rule("complaints.number_prefix", on=received_on)
    return f"{prefix}-{received_on.year}-{next_unique(f'complaints:{received_on.year}'):06d}"


def possible_duplicate_id(*, chash: str, phone: str, received_on: dt.date, exclude_pk=None) -> int | None:
    """The id of an earlier complaint with the same text about the same business from the same phone within 30
    days, or None."""
    if not phone:
        return None
    qs = Complaint.objects.filter(
        content_hash=chash,
        person_phone_hash=crypto.blind_index(phone),  # the phone is encrypted at rest: search its keyed hash
        received_on__gte=received_on - dt.timedelta(days=30),
        received_on__lte=received_on + dt.timedelta(days=30),
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("id").values_list("id", flat=True).first()


def complaint_submit(
    *,
    actor,
    kind: str,
    channel: str,
    description: str,
    entity=None,
    entity_name: str = "",
    entity_uscc: str = "",
    entity_address: str = "",
    division_code: str = "",
    person_name: str = "",
    person_phone: str = "",
    person_email: str = "",
    person_address: str = "",
    anonymous: bool = False,
    category: str = Category.OTHER,
    demand: str = "",
    amount: Decimal | None = None,
    occurred_on: dt.date | None = None,
    received_on: dt.date | None = None,
    uploads=(),
    idempotency_key: str | None = None,
    national_no: str | None = None,
    code: str | None = None,
    notify: bool = True,
) -> tuple[Complaint, str | None, bool]:
    """Register a complaint or report from any channel and route it. Returns (complaint, tracking code, created).

    A repeated ``idempotency_key`` (the same form posted twice) returns the first complaint, code None and
    created False. The tracking code is returned once and stored only as a keyed hash.

    The reads (validation, routing, the duplicate probe) run before the transaction; the transaction holds only the
    writes, with the audit entry last, so the audit chain's lock is held for as short a time as possible.
    """
    if idempotency_key is not None and not IDEMPOTENCY_KEY.match(idempotency_key):
        raise ValidationFailed(
            "表单已失效，请刷新页面后重新提交", details=[{"field": "token", "message": "表单令牌无效"}]
        )
    # A repeated key is found by the unique index when the complaint is inserted (below), not by a query up front:
    # a repeat is rare, and the portal view already looks the key up before it checks the captcha.
    received_on = _today(received_on)
    data = {
        "kind": kind,
        "channel": channel,
        "anonymous": bool(anonymous),
        "entity": entity,
        "person_name": (person_name or "").strip()[:50],
        "person_phone": re.sub(r"\s", "", person_phone or "")[:20],
        "entity_name": (entity_name or "").strip()[:200],
        "description": (description or "").strip(),
        "category": category or Category.OTHER,
        "amount": amount,
        "occurred_on": occurred_on,
        "received_on": received_on,
        "division_code": (division_code or "").strip(),
    }
    problems = _validate_intake(data)
    if problems:
        raise ValidationFailed("；".join(p["message"] for p in problems), details=problems)
    checked = _check_files(uploads)
    anonymous = data["anonymous"]
    if entity is not None:
        entity_name = entity.name
        entity_uscc = entity.uscc
        entity_address = entity_address or entity.address
        division_code = entity.division_id
    unit = route(entity=entity, division_code=data["division_code"] if entity is None else "")
    if kind == Kind.REPORT and anonymous:
        data["person_name"] = data["person_phone"] = ""
        person_email = person_address = ""
    code = code or new_tracking_code()
    chash = content_hash(data["entity_name"] or entity_name, data["description"])
    complaint = Complaint(
        kind=kind,
        channel=channel,
        national_no=national_no or None,
        idempotency_key=idempotency_key or None,
        anonymous=anonymous,
        person_name=data["person_name"],
        person_phone=data["person_phone"],
        person_email=(person_email or "").strip()[:254],
        person_address=(person_address or "").strip()[:200],
        entity=entity,
        entity_name=entity_name.strip()[:200],
        entity_uscc=(entity_uscc or "").strip()[:18],
        entity_address=(entity_address or "").strip()[:200],
        division_id=division_code or None,
        category=data["category"],
        description=data["description"],
        demand=(demand or "").strip()[:500],
        amount=amount,
        occurred_on=occurred_on,
        content_hash=chash,
        unit=unit,
        received_on=received_on,
    )
    complaint.possible_duplicate_of_id = possible_duplicate_id(
        chash=chash, phone=complaint.person_phone, received_on=received_on
    )
    if kind == Kind.COMPLAINT:
        complaint.accept_due, complaint.calendar_pending = due_after_provisional(received_on, "complaints.accept_days")
    else:
        complaint.check_due, complaint.calendar_pending = due_after_provisional(
            received_on, "complaints.report_check_days")
    stored: list[str] = []
    try:
        # Outermost (the portal, the API): one transaction without savepoint. Inside a caller's transaction
        # (import, tests): a savepoint, so that a lost double-click race can still be answered below.
        with transaction.atomic():
            complaint.number = _number(received_on)
            complaint.code_hash = code_hash(complaint.number, code)
            complaint.save()
            _store_files(complaint, checked, stored)
            _event(complaint, "received", f"已收到您的{complaint.get_kind_display()}，转{unit.name}办理", actor=actor,
                   on=received_on)
            if notify and (complaint.person_phone or complaint.person_email):
                text = (
                    f"您的{complaint.get_kind_display()}已登记，编号 {complaint.number}，查询码 {code}，"
                    f"可在{settings.JIANGUAN_BUREAU_NAME}门户查询办理进度。"
                )
                notifications.tell_person(complaint, text)
            audit.record(
                actor=actor,
                action=f"complaints.{kind}.received",
                obj=complaint,
                unit=unit,
                changes={
                    "channel": [None, channel],
                    "unit": [None, unit.pk],
                    "entity": [None, entity.pk if entity else None],
                    "entity_name": [None, complaint.entity_name],
                    "evidence": [None, len(stored)],
                    "possible_duplicate_of": [None, complaint.possible_duplicate_of_id],
                },
            )
    except IntegrityError:
        for name in stored:
            Evidence.file.field.storage.delete(name)
        if idempotency_key:
            existing = Complaint.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:  # the same form again, or a concurrent double click that won the race
                return existing, None, False
        if national_no and Complaint.objects.filter(national_no=national_no).exists():
            raise DomainError(f"12315平台编号 {national_no} 已登记", field="national_no") from None
        raise
    return complaint, code, True


# --- complaints ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_claim(*, actor, complaint: Complaint) -> Complaint:
    """The actor becomes the handler (承办人). Claiming one's own case again is harmless."""
    complaint = _locked(complaint)
    if complaint.handler_id == actor.pk:
        return complaint
    if complaint.handler_id is not None:
        raise DomainError(f"{complaint.number} 已由其他承办人办理", code="already_claimed")
    _require(
        complaint,
        statuses=(
            Status.RECEIVED,
            Status.ACCEPTED,
            Status.VERIFYING,
            Status.AGREED,
            Status.TERMINATED,
            Status.LEAD,
            Status.DISMISSED,
        ),
    )
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.handler = actor
    _save(complaint, before, actor=actor, action="complaints.complaint.claimed")
    return complaint


@transaction.atomic
def complaint_accept(*, actor, complaint: Complaint, on: dt.date | None = None, note: str = "") -> Complaint:
    """Accept a complaint (受理) and start the 45-working-day mediation clock. Accepting twice is harmless."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.COMPLAINT)
    if complaint.status == Status.ACCEPTED:
        return complaint
    _require(complaint, statuses=(Status.RECEIVED,))
    on = _today(on)
    if on < complaint.received_on:
        raise ValidationFailed(
            "受理日期不能早于收到日期", details=[{"field": "on", "message": "受理日期不能早于收到日期"}]
        )
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.status = Status.ACCEPTED
    complaint.decided_on = on
    complaint.decision_note = note[:500]
    complaint.handler = complaint.handler or actor
    complaint.mediation_due, complaint.calendar_pending = _mediation_due(complaint, today=on, pauses=())
    _save(complaint, before, actor=actor, action="complaints.complaint.accepted")
    _event(complaint, "accepted", f"{complaint.unit.name}已受理您的投诉，将组织调解", actor=actor, note=note, on=on)
    notifications.tell_person(complaint, f"您的投诉 {complaint.number} 已受理，{complaint.unit.name}将组织调解。")
    return complaint


@transaction.atomic
def complaint_refuse(
    *, actor, complaint: Complaint, reason: str, note: str = "", on: dt.date | None = None
) -> Complaint:
    """Refuse a complaint (不予受理) on one of the grounds of rule ``complaints.refusal_reasons``."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.COMPLAINT)
    if complaint.status == Status.REFUSED and complaint.refusal_reason == reason:
        return complaint
    _require(complaint, statuses=(Status.RECEIVED,))
    on = _today(on)
    reasons = dict(refusal_reasons(on))
    if reason not in reasons:
        raise ValidationFailed(
            "请选择不予受理的情形（《市场监督管理投诉举报处理暂行办法》第十五条）",
            details=[{"field": "reason", "message": "请选择不予受理的情形"}],
        )
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.status = Status.REFUSED
    complaint.decided_on = on
    complaint.refusal_reason = reason
    complaint.decision_note = note[:500]
    complaint.handler = complaint.handler or actor
    _save(complaint, before, actor=actor, action="complaints.complaint.refused")
    _event(complaint, "refused", f"不予受理：{reasons[reason]}", actor=actor, note=note, on=on)
    notifications.tell_person(complaint, f"您的投诉 {complaint.number} 不予受理：{reasons[reason]}。")
    return complaint


@transaction.atomic
def complaint_transfer(*, actor, complaint: Complaint, to_unit: OrgUnit, reason: str) -> Complaint:
    """Transfer to another unit (转办). The statutory clock keeps running from the original receipt date."""
    complaint = _locked(complaint)
    _require(complaint, statuses=(Status.RECEIVED, Status.ACCEPTED, Status.VERIFYING))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写转办理由", details=[{"field": "reason", "message": "请填写转办理由"}])
    if to_unit.pk == complaint.unit_id:
        raise DomainError("转入单位与当前办理单位相同", field="to_unit")
    if not to_unit.is_active:
        raise DomainError("转入单位已停用", field="to_unit")
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    from_unit = complaint.unit
    Transfer.objects.create(complaint=complaint, from_unit=from_unit, to_unit=to_unit, reason=reason[:300], actor=actor)
    complaint.unit = to_unit
    complaint.handler = None
    _save(complaint, before, actor=actor, action="complaints.complaint.transferred")
    _event(complaint, "transferred", f"已转{to_unit.name}办理", actor=actor, note=reason)
    return complaint


@transaction.atomic
def mediation_record(
    *, actor, complaint: Complaint, on: dt.date, method: str, participants: str, content: str
) -> Mediation:
    """Record a mediation session on an accepted complaint."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.COMPLAINT, statuses=(Status.ACCEPTED,))
    problems = []
    if method not in Mediation.Method.values:
        problems.append({"field": "method", "message": "调解方式无效"})
    if not (participants or "").strip():
        problems.append({"field": "participants", "message": "请填写参加人员"})
    if not (content or "").strip():
        problems.append({"field": "content", "message": "请填写调解情况"})
    if complaint.decided_on and on < complaint.decided_on:
        problems.append({"field": "on", "message": "调解日期不能早于受理日期"})
    if problems:
        raise ValidationFailed("；".join(p["message"] for p in problems), details=problems)
    record = Mediation.objects.create(
        complaint=complaint,
        on=on,
        method=method,
        participants=participants.strip(),
        content=content.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="complaints.mediation.recorded",
        obj=record,
        unit=complaint.unit_id,
        changes={"complaint": [None, complaint.pk], "on": [None, on], "method": [None, method]},
    )
    _event(complaint, "mediation", f"进行了{record.get_method_display()}", actor=actor, on=on)
    return record


# --- the mediation clock and the time that does not count (Order 20 arts. 20, 21) ------------------------------------


def mediation_clock(complaint: Complaint, *, today: dt.date | None = None, pauses=None, provisional: bool = False):
    """(mediation deadline, excluded working days, running) — 45 working days from acceptance plus the working days
    spent on 检定、检验、检测、鉴定 ((start, end] of each pause; a running one counts up to ``today``). The deadline
    is None while the calendar does not reach it, unless ``provisional``: then unknown years are assumed to have
    no holiday."""
    today = _today(today)
    pauses = list(complaint.pauses.all()) if pauses is None else list(pauses)
    total = int(rule("complaints.mediation_days", on=complaint.decided_on))
    excluded, running = 0, False
    overrides = workdays.assuming_no_holidays() if provisional else None
    try:
        for p in pauses:
            running = running or p.ends_on is None
            excluded += max(workdays.workdays_between(p.starts_on, p.ends_on or max(today, p.starts_on), overrides), 0)
        return workdays.add_workdays(complaint.decided_on, total + excluded, overrides), excluded, running
    except workdays.CalendarUnknown:
        return None, excluded, running


def _mediation_due(complaint: Complaint, *, today: dt.date, pauses=None) -> tuple[dt.date | None, bool]:
    """(mediation deadline, provisional): the strict date, or the provisional one (shown as 暂定, recomputed by the
    sweep) while the calendar does not reach it."""
    due = mediation_clock(complaint, today=today, pauses=pauses)[0]
    if due is not None:
        return due, False
    return mediation_clock(complaint, today=today, pauses=pauses, provisional=True)[0], True


def _reclock_mediation(complaint: Complaint, *, today: dt.date) -> None:
    due, _excluded, running = mediation_clock(complaint, today=today)
    complaint.calendar_pending = due is None
    if due is None:
        due = mediation_clock(complaint, today=today, provisional=True)[0]
    complaint.mediation_due, complaint.mediation_paused = due, running


@transaction.atomic
def mediation_pause_start(*, actor, complaint: Complaint, reason: str, starts_on: dt.date, evidence: str) -> MediationPause:
    """Record that verification, inspection, testing or appraisal has begun: its time does not count towards the
    45 working days of mediation (Order 20 art. 20). ``evidence`` names the commission or report."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.COMPLAINT, statuses=(Status.ACCEPTED,))
    problems = []
    if reason not in MediationPause.Reason.values:
        problems.append({"field": "reason", "message": "请选择检定、检验、检测或者鉴定"})
    if not (evidence or "").strip():
        problems.append({"field": "evidence", "message": "请填写依据（委托书或者报告编号、技术机构）"})
    if complaint.decided_on and starts_on < complaint.decided_on:
        problems.append({"field": "starts_on", "message": "开始日期不能早于受理日期"})
    if problems:
        raise ValidationFailed("；".join(p["message"] for p in problems), details=problems)
    if complaint.pauses.filter(ends_on__isnull=True).exists():
        raise TransitionNotAllowed("已有尚未结束的检定、检验、检测、鉴定期间，请先记录其结束日期")
    last = complaint.pauses.order_by("-ends_on").values_list("ends_on", flat=True).first()
    if last and starts_on < last:
        raise ValidationFailed("不计入期间不能与已记录的期间重叠",
                               details=[{"field": "starts_on", "message": "不计入期间不能与已记录的期间重叠"}])
    pause = MediationPause.objects.create(complaint=complaint, reason=reason, evidence=evidence.strip()[:300],
                                          starts_on=starts_on, recorded_by=actor)
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    _reclock_mediation(complaint, today=starts_on)
    _save(complaint, before, actor=actor, action="complaints.mediation.paused")
    _event(complaint, "paused", f"因{pause.get_reason_display()}，调解期限自 {starts_on:%Y-%m-%d} 起暂停计算",
           actor=actor, note=evidence)
    return pause


@transaction.atomic
def mediation_pause_end(*, actor, complaint: Complaint, ends_on: dt.date) -> MediationPause:
    """The verification, testing… has ended: the mediation clock runs again from ``ends_on``."""
    complaint = _locked(complaint)
    pause = complaint.pauses.select_for_update().filter(ends_on__isnull=True).first()
    if pause is None:
        raise TransitionNotAllowed("没有正在进行的检定、检验、检测、鉴定期间")
    if ends_on < pause.starts_on:
        raise ValidationFailed("结束日期不能早于开始日期", details=[{"field": "ends_on", "message": "结束日期不能早于开始日期"}])
    pause.ends_on = ends_on
    pause.save(update_fields=["ends_on"])
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    _reclock_mediation(complaint, today=ends_on)
    _save(complaint, before, actor=actor, action="complaints.mediation.resumed")
    _event(complaint, "resumed", f"{pause.get_reason_display()}已结束，调解期限自 {ends_on:%Y-%m-%d} 起继续计算",
           actor=actor)
    return pause


def reclock_paused_mediations(*, today: dt.date) -> int:
    """Daily: move the deadline of every mediation held by a running pause. Idempotent."""
    count = 0
    with transaction.atomic():
        for c in Complaint.objects.select_for_update().filter(status=Status.ACCEPTED, mediation_paused=True):
            old = c.mediation_due
            _reclock_mediation(c, today=today)
            if c.mediation_due != old:
                c.save(update_fields=["mediation_due", "mediation_paused", "calendar_pending"])
                count += 1
    return count


def _end_mediation(complaint: Complaint, on: dt.date, status: str, told_on: dt.date | None = None) -> None:
    complaint.status = status
    complaint.ended_on = on
    complaint.notify_due = due_after(on, "complaints.notify_days")
    # Both sides are told at once, by SMS, when the mediation ends (art. 27: within 7 working days).
    complaint.parties_notified_on = told_on or on


@transaction.atomic
def complaint_agree(
    *, actor, complaint: Complaint, agreement: str, money_recovered: Decimal, on: dt.date | None = None
) -> Complaint:
    """Mediation reached an agreement (调解成功) with the money recovered for the consumer."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.COMPLAINT)
    if complaint.status == Status.AGREED:
        return complaint
    _require(complaint, statuses=(Status.ACCEPTED,))
    on = _today(on)
    problems = []
    if not (agreement or "").strip():
        problems.append({"field": "agreement", "message": "请填写调解协议内容"})
    if money_recovered is None or money_recovered < 0:
        problems.append({"field": "money_recovered", "message": "挽回经济损失不能为负数"})
    if complaint.decided_on and on < complaint.decided_on:
        problems.append({"field": "on", "message": "达成协议日期不能早于受理日期"})
    if problems:
        raise ValidationFailed("；".join(p["message"] for p in problems), details=problems)
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.agreement = agreement.strip()
    complaint.money_recovered = money_recovered
    _end_mediation(complaint, on, Status.AGREED)
    _save(complaint, before, actor=actor, action="complaints.complaint.agreed")
    _event(complaint, "agreed", "经调解，双方达成协议", actor=actor, on=on)
    _tell_both(complaint, f"投诉 {complaint.number} 经调解双方已达成协议。")
    return complaint


@transaction.atomic
def complaint_terminate(
    *, actor, complaint: Complaint, reason: str, on: dt.date | None = None, told_on: dt.date | None = None
) -> Complaint:
    """End the mediation without agreement (终止调解): a side refuses, the consumer withdraws, or 45 working days
    have passed (the sweep). Both sides are told."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.COMPLAINT)
    if complaint.status == Status.TERMINATED:
        return complaint
    _require(complaint, statuses=(Status.ACCEPTED,))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写终止调解的原因", details=[{"field": "reason", "message": "请填写终止调解的原因"}])
    on = _today(on)
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.decision_note = reason[:500]
    _end_mediation(complaint, on, Status.TERMINATED, told_on)
    _save(complaint, before, actor=actor, action="complaints.complaint.terminated")
    _event(complaint, "terminated", f"终止调解：{reason}", actor=actor, on=on)
    _tell_both(complaint, f"投诉 {complaint.number} 终止调解：{reason}。")
    return complaint


def _tell_both(complaint: Complaint, text: str) -> None:
    notifications.tell_person(complaint, text)
    notifications.tell_business(complaint, text)


@transaction.atomic
def complaint_close(
    *, actor, complaint: Complaint, satisfaction: str = "", on: dt.date | None = None, note: str = ""
) -> Complaint:
    """Close (办结) an ended complaint or a decided report, recording the consumer's satisfaction if known."""
    complaint = _locked(complaint)
    if complaint.status == Status.CLOSED:
        return complaint
    if complaint.kind == Kind.COMPLAINT:
        _require(complaint, statuses=(Status.AGREED, Status.TERMINATED))
    else:
        _require(complaint, statuses=(Status.LEAD, Status.DISMISSED))
        if not complaint.anonymous and not complaint.reporter_notified_on:
            raise DomainError("实名举报须先将处理结果告知举报人，方可办结", code="reporter_not_told")
    if satisfaction and satisfaction not in Satisfaction.values:
        raise ValidationFailed("满意度无效", details=[{"field": "satisfaction", "message": "满意度无效"}])
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.status = Status.CLOSED
    complaint.closed_on = _today(on)
    if satisfaction:
        complaint.satisfaction = satisfaction
    complaint.overdue = False
    _save(complaint, before, actor=actor, action=f"complaints.{complaint.kind}.closed")
    _event(complaint, "closed", "已办结", actor=actor, note=note, on=on)
    return complaint


@transaction.atomic
def complaint_rate(*, actor, complaint: Complaint, satisfaction: str) -> Complaint:
    """The consumer's own satisfaction rating from the tracking page, once, after the mediation ended."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.COMPLAINT, statuses=(Status.AGREED, Status.TERMINATED, Status.CLOSED))
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed("请选择满意度", details=[{"field": "satisfaction", "message": "请选择满意度"}])
    if complaint.satisfaction:
        return complaint
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.satisfaction = satisfaction
    _save(complaint, before, actor=actor, action="complaints.complaint.rated")
    _event(complaint, "rated", f"您的评价：{complaint.get_satisfaction_display()}", actor=actor)
    return complaint


# --- reports ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def report_start_check(*, actor, complaint: Complaint, on: dt.date | None = None) -> Complaint:
    """Start checking a report (核查); the actor becomes its handler."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.REPORT)
    if complaint.status == Status.VERIFYING:
        return complaint
    _require(complaint, statuses=(Status.RECEIVED,))
    if complaint.handler_id not in (None, actor.pk):
        raise DomainError(f"{complaint.number} 已由其他承办人办理", code="already_claimed")
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.status = Status.VERIFYING
    complaint.handler = actor
    _save(complaint, before, actor=actor, action="complaints.report.checking")
    _event(complaint, "verifying", f"{complaint.unit.name}正在核查您的举报", actor=actor, on=on)
    return complaint


def is_unit_head(user, unit_id) -> bool:
    """A head (负责人) of the unit: holds the approval permission of enforcement (department heads, bureau leaders)
    and the unit is within the user's scope. The report check is the lead check of Order 2 art. 18."""
    from jianguan.core.scope import scope_for

    return bool(getattr(user, "is_authenticated", False) and user.has_perm("enforcement.approve_case")
                and scope_for(user).allows_unit(unit_id))


@transaction.atomic
def report_extend_check(*, actor, complaint: Complaint, reason: str, approver=None,
                        on: dt.date | None = None) -> Complaint:
    """Extend the check by 15 working days (once), approved by the unit's head (``approver``, a person; default
    the actor). The extension travels with the report: the lead it becomes keeps the extended period."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.REPORT, statuses=(Status.RECEIVED, Status.VERIFYING))
    if complaint.check_extended:
        raise DomainError("核查期限只能延长一次（《市场监督管理行政处罚程序规定》第十八条）", code="already_extended")
    if not (reason or "").strip():
        raise ValidationFailed("请填写延期理由", details=[{"field": "reason", "message": "请填写延期理由"}])
    approver = approver or (actor if getattr(actor, "is_authenticated", False) else None)
    if approver is None or not is_unit_head(approver, complaint.unit_id):
        raise DomainError("核查期限延长须经本单位负责人批准：请选择具有审批权限的负责人作为批准人",
                          code="not_head", field="approver")
    if complaint.check_due is None or complaint.calendar_pending:
        raise DomainError("核查期限尚为暂定（节假日安排未录入），暂不能延期", code="calendar_pending")
    on = _today(on)
    if on > complaint.check_due:
        raise DomainError(f"核查期限已于 {complaint.check_due:%Y-%m-%d} 届满，不能再批准延长", code="clock_expired")
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.check_extension_reason = reason.strip()[:300]
    complaint.check_extension_approved_by, complaint.check_extension_approved_on = approver, on
    try:
        complaint.check_due = workdays.add_workdays(
            complaint.check_due, int(rule("complaints.report_check_extension_days", on=complaint.received_on))
        )
    except workdays.CalendarUnknown as exc:
        raise DomainError(str(exc), code="calendar_unknown") from None
    complaint.check_extended = True
    complaint.overdue = False
    _save(complaint, before, actor=actor, action="complaints.report.extended")
    _event(complaint, "extended", "核查期限经批准延长", actor=actor,
           note=f"{reason}（批准人：{approver.get_full_name() or approver.get_username()}）")
    return complaint


@transaction.atomic
def report_decide(*, actor, complaint: Complaint, outcome: str, note: str = "", on: dt.date | None = None) -> Complaint:
    """End the check: ``lead`` hands the report to enforcement as a lead (线索); ``dismiss`` finds no violation."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.REPORT)
    if (outcome == "lead" and complaint.status == Status.LEAD) or (
        outcome == "dismiss" and complaint.status == Status.DISMISSED
    ):
        return complaint
    _require(complaint, statuses=(Status.RECEIVED, Status.VERIFYING))
    if outcome not in ("lead", "dismiss"):
        raise ValidationFailed("核查结论无效", details=[{"field": "outcome", "message": "请选择核查结论"}])
    if outcome == "dismiss" and not (note or "").strip():
        raise ValidationFailed("请填写核查情况", details=[{"field": "note", "message": "请填写核查情况"}])
    on = _today(on)
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.decided_on = on
    complaint.decision_note = (note or "").strip()[:500]
    complaint.handler = complaint.handler or actor
    if outcome == "lead":
        lead = _hand_over_lead(actor=actor, complaint=complaint, on=on)
        complaint.lead_id = lead.pk
        complaint.status = Status.LEAD
        public = "经核查，已转为执法线索，由执法部门决定是否立案"
    else:
        complaint.status = Status.DISMISSED
        public = "经核查，未发现违法行为，不予立案"
        if not complaint.anonymous:
            complaint.reporter_notify_due = due_after(on, "complaints.reporter_notify_days")
    complaint.overdue = False
    _save(complaint, before, actor=actor, action=f"complaints.report.{'lead' if outcome == 'lead' else 'dismissed'}")
    _event(complaint, complaint.status, public, actor=actor, note=note, on=on)
    return complaint


def _hand_over_lead(*, actor, complaint: Complaint, on: dt.date):
    from django.apps import apps

    if not apps.is_installed("jianguan.enforcement"):
        raise DomainError("执法办案模块未启用，无法转为线索", code="enforcement_missing")
    from jianguan.enforcement.services import lead_create

    description = f"举报（{complaint.number}）：{complaint.description}"
    if complaint.decision_note:
        description += f"\n核查意见：{complaint.decision_note}"
    # The reporter's identity stays with the complaint: the lead carries the facts, not the person.
    return lead_create(
        actor=actor,
        source_kind="report",
        entity=complaint.entity,
        unit=complaint.unit,
        description=description,
        discovered_on=complaint.received_on,
        source_type="complaints.complaint",
        source_id=str(complaint.pk),
        party_name="" if complaint.entity_id else complaint.entity_name,
        party_address="" if complaint.entity_id else complaint.entity_address,
        # The head's extension of the check is the extension of the filing period (Order 2 art. 18): it moves over.
        extension_reason=complaint.check_extension_reason if complaint.check_extended else "",
        extension_approved_by=complaint.check_extension_approved_by if complaint.check_extended else None,
        extension_approved_on=complaint.check_extension_approved_on if complaint.check_extended else None,
    )


def lead_status(complaint: Complaint) -> tuple[str, str] | None:
    """(status code, label) of the lead a report became, or None."""
    if not complaint.lead_id:
        return None
    from django.apps import apps

    if not apps.is_installed("jianguan.enforcement"):
        return None
    from jianguan.enforcement.models import Lead

    lead = Lead.objects.filter(pk=complaint.lead_id).only("status").first()
    return (lead.status, lead.get_status_display()) if lead else None


FILED_STATUSES = {"filed": "已立案调查", "not_filed": "不予立案", "transferred": "已移送有关部门处理"}


@transaction.atomic
def report_notify_reporter(*, actor, complaint: Complaint, on: dt.date | None = None) -> Complaint:
    """Tell a real-name reporter the filing decision (立案与否). Telling twice is harmless."""
    complaint = _locked(complaint)
    _require(complaint, kind=Kind.REPORT, statuses=(Status.LEAD, Status.DISMISSED))
    if complaint.anonymous:
        raise DomainError("匿名举报无需告知", code="anonymous")
    if complaint.reporter_notified_on:
        return complaint
    if complaint.status == Status.DISMISSED:
        decision = "不予立案"
    else:
        status = lead_status(complaint)
        if status is None or status[0] not in FILED_STATUSES:
            raise DomainError("执法部门尚未作出立案决定，暂不能告知举报人", code="lead_undecided")
        decision = FILED_STATUSES[status[0]]
    on = _today(on)
    before = audit.snapshot(complaint, AUDIT_FIELDS)
    complaint.reporter_notified_on = on
    complaint.overdue = False
    _save(complaint, before, actor=actor, action="complaints.report.reporter_told")
    _event(complaint, "reporter_told", f"处理结果：{decision}", actor=actor, on=on)
    notifications.tell_person(complaint, f"您的举报 {complaint.number} 处理结果：{decision}。")
    return complaint


# --- daily jobs (called by sweep.py) -----------------------------------------------------------------------------------


def terminate_expired_mediations(*, today: dt.date) -> int:
    """Terminate every mediation whose 45 working days ended before ``today`` without agreement. Idempotent."""
    count = 0
    for complaint in Complaint.objects.filter(status=Status.ACCEPTED, mediation_due__lt=today,
                                              mediation_paused=False).order_by("id"):
        complaint_terminate(
            actor="system",
            complaint=complaint,
            on=complaint.mediation_due,
            told_on=today,
            reason=f"自受理之日起{rule('complaints.mediation_days', on=complaint.decided_on)}"
            f"个工作日内未能达成调解协议",
        )
        count += 1
    return count


def fill_pending_deadlines() -> int:
    """Recompute the provisional deadlines (a year whose holidays were unknown at the time) once the calendar reaches
    them; until then they stay provisional."""
    count = 0
    for c in Complaint.objects.select_for_update().filter(calendar_pending=True):
        accept = check = mediation = None
        if c.kind == Kind.COMPLAINT:
            accept = due_after(c.received_on, "complaints.accept_days")
        else:
            check = due_after(c.received_on, "complaints.report_check_days")
        if c.decided_on and c.mediation_due is not None:
            mediation = mediation_clock(c)[0]
        pending = (
            (c.kind == Kind.COMPLAINT and accept is None)
            or (c.kind == Kind.REPORT and check is None)
            or (c.decided_on is not None and c.mediation_due is not None and mediation is None)
        )
        if not pending:
            c.accept_due = accept or c.accept_due
            c.check_due = check or c.check_due
            c.mediation_due = mediation or c.mediation_due
            c.calendar_pending = False
            c.save(update_fields=["accept_due", "check_due", "mediation_due", "calendar_pending"])
            count += 1
        elif _fill_provisional(c):  # a record from before provisional dates: give it one now
            c.save(update_fields=["accept_due", "check_due", "mediation_due"])
    return count


def _fill_provisional(c: Complaint) -> bool:
    """Give the pending clocks that have no date yet their provisional one. True when something was filled."""
    filled = False
    if c.kind == Kind.COMPLAINT and c.accept_due is None:
        c.accept_due, filled = due_after_provisional(c.received_on, "complaints.accept_days")[0], True
    if c.kind == Kind.REPORT and c.check_due is None:
        c.check_due, filled = due_after_provisional(c.received_on, "complaints.report_check_days")[0], True
    if c.status == Status.ACCEPTED and c.decided_on and c.mediation_due is None:
        c.mediation_due, filled = _mediation_due(c, today=c.decided_on)[0], True
    return filled


def flag_overdue(*, today: dt.date) -> int:
    """Set ``overdue`` on every open clock past its deadline and clear it elsewhere. Returns the number flagged."""
    late = (
        Complaint.objects.filter(status=Status.RECEIVED, kind=Kind.COMPLAINT, accept_due__lt=today)
        | Complaint.objects.filter(
            status__in=(Status.RECEIVED, Status.VERIFYING), kind=Kind.REPORT, check_due__lt=today
        )
        | Complaint.objects.filter(
            status__in=(Status.LEAD, Status.DISMISSED),
            anonymous=False,
            reporter_notified_on__isnull=True,
            reporter_notify_due__lt=today,
        )
    )
    late_ids = set(late.values_list("id", flat=True))
    Complaint.objects.filter(overdue=True).exclude(id__in=late_ids).update(overdue=False)
    return Complaint.objects.filter(id__in=late_ids, overdue=False).update(overdue=True)


def reporter_clock_from_leads(*, today: dt.date) -> int:
    """Catch-up for the reporter-notification clock (normally started by ``lead_decided`` the moment enforcement
    decides): 5 working days from the **filing decision's own date** (Order 20 art. 31), never from the day this job
    happens to notice it."""
    from django.apps import apps

    if not apps.is_installed("jianguan.enforcement"):
        return 0
    from jianguan.enforcement.models import Lead

    waiting = Complaint.objects.filter(
        status=Status.LEAD, anonymous=False, reporter_notify_due__isnull=True, lead_id__isnull=False
    )
    decided = dict(Lead.objects.filter(pk__in=waiting.values("lead_id"), status__in=list(FILED_STATUSES),
                                       decided_on__isnull=False).values_list("pk", "decided_on"))
    count = 0
    for lead_id, decided_on in decided.items():
        due = due_after(decided_on, "complaints.reporter_notify_days")
        if due is not None:
            count += waiting.filter(lead_id=lead_id).update(reporter_notify_due=due)
    return count


def lead_decided(sender, instance, **kwargs) -> None:
    """post_save of an enforcement lead: when a lead a report became is decided (filed, not filed, transferred),
    the reporter must be told within 5 working days of that decision date — start the clock now."""
    if instance.source_type != "complaints.complaint" or instance.status not in FILED_STATUSES \
            or instance.decided_on is None:
        return
    due = due_after(instance.decided_on, "complaints.reporter_notify_days")
    if due is not None:
        Complaint.objects.filter(pk=instance.source_id, lead_id=instance.pk, status=Status.LEAD, anonymous=False,
                                 reporter_notify_due__isnull=True).update(reporter_notify_due=due)


def reporter_clock_explained(complaint: Complaint):
    """The explanation of the reporter clock: the lead's decision date + 5 working days."""
    from django.apps import apps

    decided_on = complaint.decided_on if complaint.status == Status.DISMISSED else None
    event = "作出不予立案决定"
    if complaint.status in (Status.LEAD, Status.CLOSED) and complaint.lead_id and apps.is_installed(
            "jianguan.enforcement"):
        from jianguan.enforcement.models import Lead

        lead = Lead.objects.filter(pk=complaint.lead_id).only("status", "decided_on").first()
        if lead is not None and lead.decided_on:
            decided_on = lead.decided_on
            event = {"filed": "作出立案决定", "not_filed": "作出不予立案决定", "transferred": "作出移送决定"}.get(
                lead.status, "作出是否立案决定")
    return decided_on, event
