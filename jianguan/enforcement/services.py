"""Writes of enforcement: leads (案源) and their filing clock, cases through every step, the nightly clock sweep.

Every function is keyword-only with an explicit ``actor``, atomic, audited in the same transaction, and locks the
row it changes (``select_for_update``) before checking its state, so two officers acting on one case at once
cannot both win. A refused step raises ``TransitionNotAllowed`` (API 409) with the reason.

Lead::

    new ──lead_start_check──▶ checking ──case_file──▶ filed
      └──────────────────────────┴──lead_decline──▶ not_filed / transferred

The filing clock: ``enforcement.lead_filing_days`` working days from discovery (+15 with the head's approval),
plus the working days of the pauses for testing, inspection, appraisal (``ClockPause``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.core import audit, workdays
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit, StaffProfile
from jianguan.core.rules import rule
from jianguan.core.sequences import next_value

from .models import (
    LEAD_PAUSE_REASONS,
    OPEN_CASE_STATUSES,
    Case,
    CaseOfficer,
    CaseStatus,
    ClockPause,
    Evidence,
    FilingRequest,
    Hearing,
    Lead,
    LeadSource,
    LeadStatus,
    LegalReview,
    Outcome,
    PartyKind,
    PauseReason,
    PaymentStatus,
    Penalty,
    PenaltyKind,
    PriorNotice,
    Procedure,
    Seizure,
    Service,
)
from .rules import case_types, suggested_range

LEAD_AUDIT_FIELDS = ("status", "handler", "extended", "filing_deadline", "paused_workdays", "decided_on",
                     "decision_note", "overdue")


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def filing_deadline(discovered_on: dt.date) -> tuple[dt.date, bool]:
    """(the last day to decide on filing, provisional): ``enforcement.lead_filing_days`` working days after discovery.

    Provisional when the period reaches a year whose holidays are not entered: the date then assumes no holiday in
    that year, is shown as 暂定 and is recomputed by the daily sweep once the year is confirmed.
    """
    return workdays.add_workdays_provisional(discovered_on, int(rule("enforcement.lead_filing_days", on=discovered_on)))


def is_unit_head(user, unit_id: int | None) -> bool:
    """Whether ``user`` may approve for ``unit_id`` as its head (负责人): holds the approval permission
    (department heads, bureau leaders) and the unit is within the user's scope."""
    from jianguan.core.scope import scope_for

    return bool(getattr(user, "is_authenticated", False) and user.has_perm("enforcement.approve_case")
                and scope_for(user).allows_unit(unit_id))


def check_head(approver, unit_id: int | None, *, what: str) -> None:
    """Refuse an extension approved by anyone but a head of the unit (Order 2 art. 18: 经市场监督管理部门负责人批准)."""
    if approver is None or not is_unit_head(approver, unit_id):
        raise TransitionNotAllowed(f"{what}须经本单位负责人批准：请选择具有审批权限的负责人作为批准人", code="not_head")


@transaction.atomic
def lead_create(*, actor, source_kind: str, entity, unit: OrgUnit, description: str, discovered_on: dt.date,
                source_type: str = "", source_id: str = "", party_name: str = "", party_address: str = "",
                extension_reason: str = "", extension_approved_by=None,
                extension_approved_on: dt.date | None = None) -> Lead:
    """Register a lead. Idempotent on (``source_type``, ``source_id``): handing the same record over twice returns
    the lead created the first time. ``entity`` may be None for an unregistered business (then ``party_name``).

    A report whose check the head already extended (``extension_approved_by``, a person) hands the extension over:
    the lead's filing period is the extended one, counted from the same discovery date."""
    problems = []
    if source_kind not in LeadSource.values:
        problems.append({"field": "source_kind", "message": f"线索来源「{source_kind}」无效"})
    if not (description or "").strip():
        problems.append({"field": "description", "message": "线索内容不能为空"})
    if entity is None and not (party_name or "").strip():
        problems.append({"field": "party_name", "message": "未关联市场主体时须填写当事人名称"})
    if bool(source_type) != bool(source_id):
        problems.append({"field": "source_id", "message": "来源记录类型和编号须同时填写"})
    if problems:
        raise ValidationFailed("线索信息有误：" + "；".join(p["message"] for p in problems), details=problems)
    source_id = str(source_id)
    deadline, provisional = filing_deadline(discovered_on)
    if source_id:
        existing = Lead.objects.filter(source_type=source_type, source_id=source_id).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():  # a concurrent hand-over of the same record loses the race harmlessly
            lead = Lead.objects.create(
                source_kind=source_kind, source_type=source_type, source_id=source_id, entity=entity,
                party_name=(party_name or "").strip(), party_address=(party_address or "").strip(), unit=unit,
                description=description.strip(), discovered_on=discovered_on,
                filing_deadline=deadline, calendar_pending=provisional,
                extended=extension_approved_by is not None, extension_reason=(extension_reason or "").strip()[:300],
                extension_approved_by=extension_approved_by, extension_approved_on=extension_approved_on,
                created_by=actor if getattr(actor, "is_authenticated", False) else None)
            if lead.extended:
                recompute_lead_clock(lead, today=discovered_on, pauses=())
                lead.save(update_fields=["filing_deadline", "paused_workdays", "clock_paused", "calendar_pending",
                                         "overdue"])
    except IntegrityError:
        if source_id:
            return Lead.objects.get(source_type=source_type, source_id=source_id)
        raise
    audit.record(actor=actor, action="enforcement.lead.created", obj=lead, unit=unit, changes={
        "source_kind": [None, source_kind], "source": [None, f"{source_type}:{source_id}" if source_id else ""],
        "entity": [None, entity.pk if entity else None], "party_name": [None, lead.party_name],
        "discovered_on": [None, discovered_on], "filing_deadline": [None, lead.filing_deadline],
        "extension_approved_by": [None, extension_approved_by.pk if extension_approved_by else None]})
    return lead


def lead_clock(lead: Lead, *, today: dt.date | None = None, pauses=None,
               provisional: bool = False) -> tuple[dt.date | None, int, bool]:
    """(filing deadline, paused working days, paused now) of ``lead``. A pause excludes the working days of
    (start, end]; a running pause counts up to ``today``. None when the calendar does not reach the deadline, unless
    ``provisional``: then unknown years are assumed to have no holiday."""
    today = _today(today)
    pauses = lead.pauses.all() if pauses is None else pauses
    total = int(rule("enforcement.lead_filing_days", on=lead.discovered_on))
    if lead.extended:
        total += int(rule("enforcement.lead_extension_days", on=lead.discovered_on))
    paused, running = 0, False
    overrides = workdays.assuming_no_holidays() if provisional else None
    try:
        for p in pauses:
            running = running or p.ends_on is None
            paused += max(workdays.workdays_between(p.starts_on, p.ends_on or max(today, p.starts_on), overrides), 0)
        return workdays.add_workdays(lead.discovered_on, total + paused, overrides), paused, running
    except workdays.CalendarUnknown:
        return None, paused, running


def recompute_lead_clock(lead: Lead, *, today: dt.date | None = None, pauses=None) -> Lead:
    deadline, paused, running = lead_clock(lead, today=today, pauses=pauses)
    lead.calendar_pending = deadline is None
    if deadline is None:  # shown as 暂定 and recomputed by the sweep once the year's holidays are entered
        deadline, paused, running = lead_clock(lead, today=today, pauses=pauses, provisional=True)
    lead.filing_deadline, lead.paused_workdays, lead.clock_paused = deadline, paused, running
    lead.overdue = bool(lead.is_open and deadline and _today(today) > deadline)
    return lead


def _locked_lead(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


def _save_lead(lead: Lead, before: dict, *, actor, action: str, extra: dict | None = None) -> None:
    lead.save()
    changes = audit.diff(before, audit.snapshot(lead, LEAD_AUDIT_FIELDS))
    changes.update(extra or {})
    audit.record(actor=actor, action=action, obj=lead, unit=lead.unit_id, changes=changes)


@transaction.atomic
def lead_start_check(*, actor, lead: Lead, handler=None, note: str = "") -> Lead:
    """Start checking a new lead (核查), with its handler (default: the actor)."""
    lead = _locked_lead(lead)
    if lead.status != LeadStatus.NEW:
        raise TransitionNotAllowed(f"线索 #{lead.pk} 当前为「{lead.get_status_display()}」，不能开始核查",
                                   code="wrong_state")
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    lead.status = LeadStatus.CHECKING
    lead.handler = handler or (actor if getattr(actor, "is_authenticated", False) else None)
    if note.strip():
        lead.check_note = note.strip()
    _save_lead(lead, before, actor=actor, action="enforcement.lead.checking")
    return lead


@transaction.atomic
def lead_extend(*, actor, lead: Lead, reason: str, approver=None, on: dt.date | None = None) -> Lead:
    """The head (``approver``, default the actor) approves 15 more working days for the filing decision (once,
    before the first period ends). Only a head of the lead's unit may approve (Order 2 art. 18)."""
    on = _today(on)
    lead = _locked_lead(lead)
    approver = approver or _user_or_none(actor)
    if not lead.is_open:
        raise TransitionNotAllowed("线索已作出立案决定", code="wrong_state")
    if lead.extended:
        raise TransitionNotAllowed("立案决定期限已经延长过一次，不能再延长", code="already_extended")
    if not (reason or "").strip():
        raise ValidationFailed("请写明延长理由", field="reason")
    if lead.filing_deadline and on > lead.filing_deadline:
        raise TransitionNotAllowed(f"立案决定期限已于 {lead.filing_deadline:%Y-%m-%d} 届满，不能再批准延长",
                                   code="lead_clock_expired")
    check_head(approver, lead.unit_id, what="延长立案决定期限")
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    lead.extended, lead.extension_reason = True, reason.strip()
    lead.extension_approved_by, lead.extension_approved_on = approver, on
    recompute_lead_clock(lead, today=on)
    _save_lead(lead, before, actor=actor, action="enforcement.lead.extended",
               extra={"reason": [None, reason], "approved_by": [None, approver.pk]})
    return lead


@transaction.atomic
def lead_decline(*, actor, lead: Lead, status: str, note: str, on: dt.date | None = None) -> Lead:
    """Decide not to file (不予立案) or to transfer the lead (移送), with the reason."""
    on = _today(on)
    lead = _locked_lead(lead)
    if not lead.is_open:
        raise TransitionNotAllowed(f"线索 #{lead.pk} 已「{lead.get_status_display()}」", code="wrong_state")
    if status not in (LeadStatus.NOT_FILED, LeadStatus.TRANSFERRED):
        raise ValidationFailed("请选择不予立案或者移送", field="status")
    if not (note or "").strip():
        raise ValidationFailed("请写明理由", field="note")
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    lead.status, lead.decision_note, lead.decided_on, lead.overdue = status, note.strip(), on, False
    lead.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    _close_open_pauses(lead.pauses.all(), on)
    _save_lead(lead, before, actor=actor, action=f"enforcement.lead.{status}")
    return lead


@transaction.atomic
def fill_missing_deadlines() -> int:
    """Recompute the filing deadlines that were provisional (or unknown) when the lead arrived and that the calendar
    now reaches."""
    count = 0
    for lead in Lead.objects.select_for_update().filter(Q(filing_deadline__isnull=True) | Q(calendar_pending=True),
                                                       status__in=[LeadStatus.NEW, LeadStatus.CHECKING]):
        recompute_lead_clock(lead)
        if not lead.calendar_pending:
            lead.save(update_fields=["filing_deadline", "paused_workdays", "clock_paused", "calendar_pending",
                                     "overdue"])
            count += 1
    return count


# =====================================================================================================================
# Cases (SAMR Order 2). The state machine::
#
#   lead ──case_file──▶ filed ──investigation_conclude──▶ investigated ──review_submit──▶ legal_review
#                         ▲                                                                   │
#                         └──────────────── review_decide (returned) ◀────────────────────────┤
#                                                                          review_decide (approved)
#                                                                                             ▼
#   closed ◀──case_close── executed ◀──payment/enforcement── served ◀──service── decided ◀── reviewed / notified /
#                                                                                           hearing (held)
#   The simplified procedure (case_simplified) files, decides and serves in one step.
#
# Clocks (rules.py): the lead's filing clock in working days; the decision clock 90 days from filing (+30 with the
# head's approval, further by a recorded collective decision) minus pauses; seizures 30 (+30) days; the legal review
# 10 working days; the party's reply 5 working days; payment 15 days from service.
# =====================================================================================================================

HEARING_HOST_INDEPENDENT = "听证主持人不得由本案调查人员担任（行政处罚法第六十四条）"
CASE_AUDIT_FIELDS = ("status", "decision_deadline", "extended", "collective_extension_days", "paused_days",
                     "circumstance", "outcome", "proposed_kinds", "proposed_fine", "closed_on", "overdue")
ORDER_44_HEAVY_KINDS = {"downgrade", "licence_revocation", "licence_suspension", "restrict_business", "suspension",
                        "closure", "restrict_employment"}


def _locked_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_case(case: Case, *statuses) -> None:
    if case.status not in statuses:
        allowed = "、".join(CaseStatus(s).label for s in statuses)
        raise TransitionNotAllowed(f"案件 {case.number} 当前状态为「{case.get_status_display()}」，不能执行此操作"
                                   f"（须为：{allowed}）", code="wrong_state")


def _save_case(case: Case, before: dict, *, actor, action: str, extra: dict | None = None) -> None:
    case.save()
    changes = audit.diff(before, audit.snapshot(case, CASE_AUDIT_FIELDS))
    changes.update(extra or {})
    audit.record(actor=actor, action=action, obj=case, unit=case.unit_id, changes=changes)


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def case_clock(case: Case, *, today: dt.date | None = None, pauses=None,
               provisional: bool = False) -> tuple[dt.date | None, int, bool]:
    """(decision deadline, paused days, paused now) of ``case``: ``filed_on`` + 90 (+30 extended) (+ the collective
    decision's days) + the days of the pauses, rolled to the next working day. A running pause counts up to
    ``today``. The deadline is None when the calendar does not reach it, unless ``provisional``: then unknown years
    are assumed to have no holiday."""
    today = _today(today)
    pauses = case.pauses.all() if pauses is None else pauses
    days = 0
    running = False
    for p in pauses:
        end = p.ends_on or max(today, p.starts_on)
        running = running or p.ends_on is None
        days += (end - p.starts_on).days
    total = int(rule("enforcement.decision_days", on=case.filed_on)) + days + case.collective_extension_days
    if case.extended:
        total += int(rule("enforcement.decision_extension_days", on=case.filed_on))
    overrides = workdays.assuming_no_holidays() if provisional else None
    try:
        return workdays.period_end(case.filed_on, total, overrides), days, running
    except workdays.CalendarUnknown:
        return None, days, running


def recompute_case_clock(case: Case, *, today: dt.date | None = None) -> Case:
    """Write the decision clock of ``case`` (caller holds the row lock). A deadline in a year whose holidays are not
    entered is written provisionally (``calendar_pending``: shown as 暂定, recomputed by the sweep)."""
    deadline, days, running = case_clock(case, today=today)
    case.calendar_pending = deadline is None
    if deadline is None:
        deadline, days, running = case_clock(case, today=today, provisional=True)
    case.decision_deadline, case.paused_days, case.clock_paused = deadline, days, running
    if deadline is not None and case.status in OPEN_CASE_STATUSES:
        case.overdue = _today(today) > deadline
    elif case.status not in OPEN_CASE_STATUSES:
        case.overdue = False
    return case


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    return None if deadline is None else (deadline - today).days


def _check_officers(officers, *, on: dt.date) -> list:
    """The officers as users, refusing fewer than the minimum or anyone without a valid credential on ``on``."""
    users = list(dict.fromkeys(officers))
    minimum = int(rule("enforcement.min_officers", on=on))
    if len(users) < minimum:
        raise TransitionNotAllowed(f"办案人员不得少于 {minimum} 人（行政处罚法第四十二条）", code="officers_insufficient")
    profiles = {p.user_id: p for p in StaffProfile.objects.filter(user__in=users)}
    for user in users:
        profile = profiles.get(user.pk)
        if profile is None or not profile.has_valid_credential(on):
            name = user.get_full_name() or user.get_username()
            raise TransitionNotAllowed(f"{name} 未持有有效的行政执法证件（或已过期），不能指派为办案人员",
                                       code="credential_invalid")
    return [(u, profiles[u.pk]) for u in users]


def _set_officers(case: Case, checked, *, lead_officer=None, on: dt.date) -> None:
    case.assignments.all().delete()
    lead_pk = (lead_officer or checked[0][0]).pk
    CaseOfficer.objects.bulk_create([
        CaseOfficer(case=case, user=u, is_lead=u.pk == lead_pk, credential_no=p.credential_no, assigned_on=on)
        for u, p in checked])


def _case_number(unit: OrgUnit, year: int) -> tuple[int, str]:
    seq = next_value(f"case:{unit.code}:{year}")
    word = rule("enforcement.case_number_word")
    return seq, f"{unit.doc_prefix or unit.short_name or unit.code}{word}〔{year}〕{seq}号"


def decision_number(unit: OrgUnit, year: int) -> str:
    """The next 行政处罚决定书 number of ``unit`` and ``year``: ``平市监罚〔2026〕12号``, gap-free, never reused."""
    from .documents import next_number  # the documents' shared series (a station numbers in its bureau's)

    return next_number(unit=unit, word=rule("enforcement.decision_number_word"), year=year)


def _valid_case_type(case_type: str, on: dt.date) -> None:
    if case_type not in dict(case_types(on)):
        raise ValidationFailed(f"案件类型「{case_type}」无效", field="case_type")


def _party(entity, party_name: str, party_kind: str) -> tuple[str, str]:
    name = (party_name or "").strip() or (entity.name if entity is not None else "")
    if not name:
        raise ValidationFailed("请填写当事人名称", field="party_name")
    if party_kind not in PartyKind.values:
        raise ValidationFailed("请选择当事人类型（自然人或者法人、其他组织）", field="party_kind")
    return name, party_kind


@transaction.atomic
def case_file(*, actor, lead: Lead | None, case_type: str, title: str, officers, party_kind: str,
              unit: OrgUnit | None = None, entity=None, party_name: str = "", party_id_no: str = "",
              party_address: str = "", facts: str = "", campaigns=(), lead_officer=None,
              on: dt.date | None = None, late_reason: str = "", approver=None) -> Case:
    """File a case (立案), from ``lead`` (which becomes 已立案) or directly. Refused when the lead is already decided,
    when its filing clock ran out without the recorded extension, with fewer than two officers or an officer
    without a valid credential, and unless ``approver`` (default the actor) is a head (负责人) of the case's unit:
    filing is approved by the bureau's head (Order 2 art. 19: 经市场监督管理部门负责人批准，予以立案), an officer asks through
    ``filing_request``."""
    return _file_case(actor=actor, lead=lead, case_type=case_type, title=title, officers=officers,
                      party_kind=party_kind, unit=unit, entity=entity, party_name=party_name, party_id_no=party_id_no,
                      party_address=party_address, facts=facts, campaigns=campaigns, lead_officer=lead_officer,
                      on=on, late_reason=late_reason,
                      approver=approver if approver is not None else _user_or_none(actor), needs_head=True)


def _file_case(*, actor, lead, case_type, title, officers, party_kind, unit, entity, party_name, party_id_no,
               party_address, facts, campaigns, lead_officer, on, late_reason, approver, needs_head: bool) -> Case:
    """The filing itself; ``needs_head`` False only for the simplified procedure (当场处罚, APL art. 51–52), which
    is decided on the spot without a filing approval and records no approver."""
    on = _today(on)
    if lead is not None:
        lead = Lead.objects.select_for_update(of=("self",)).select_related("entity", "unit").get(pk=lead.pk)
        if not lead.is_open:
            raise TransitionNotAllowed(f"线索 #{lead.pk} 已「{lead.get_status_display()}」，不能再立案", code="wrong_state")
        if lead.filing_deadline and on > lead.filing_deadline:
            if not lead.extended:
                raise TransitionNotAllowed(
                    f"立案决定期限已于 {lead.filing_deadline:%Y-%m-%d} 届满：须先经负责人批准延长", code="lead_clock_expired")
            if not late_reason.strip():
                raise TransitionNotAllowed(
                    f"延长后的立案决定期限已于 {lead.filing_deadline:%Y-%m-%d} 届满：须写明逾期立案的理由",
                    code="lead_clock_expired")
        unit = unit or lead.unit
        entity = entity if entity is not None else lead.entity
        party_name = party_name or lead.party_name
        party_address = party_address or lead.party_address
        facts = facts or lead.description
    if unit is None:
        raise ValidationFailed("请选择承办单位", field="unit")
    if needs_head:
        check_head(approver, unit.pk, what="立案")
    _valid_case_type(case_type, on)
    if not (title or "").strip():
        raise ValidationFailed("请填写案由", field="title")
    party_name, party_kind = _party(entity, party_name, party_kind)
    checked = _check_officers(officers, on=on)
    seq, number = _case_number(unit, on.year)
    case = Case.objects.create(
        number=number, unit=unit, year=on.year, seq=seq, lead=lead, entity=entity, party_name=party_name,
        party_kind=party_kind, party_id_no=party_id_no.strip() or (getattr(entity, "uscc", "") or ""),
        party_address=party_address.strip() or (getattr(entity, "address", "") or "")[:200],
        case_type=case_type, title=title.strip(), facts=facts.strip(), filed_on=on,
        filing_approved_by=approver, created_by=_user_or_none(actor))
    _set_officers(case, checked, lead_officer=lead_officer, on=on)
    if campaigns:
        case.campaigns.set(campaigns)
    recompute_case_clock(case, today=on)
    case.save()
    audit.record(actor=actor, action="enforcement.case.filed", obj=case, unit=unit, changes={
        "number": [None, number], "lead": [None, lead.pk if lead else None], "case_type": [None, case_type],
        "officers": [None, [u.pk for u, _ in checked]], "decision_deadline": [None, case.decision_deadline],
        "filing_approved_by": [None, getattr(approver, "pk", None)],
        "late_reason": [None, late_reason.strip()] if late_reason.strip() else [None, None]})
    if lead is not None:
        before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
        lead.status, lead.decided_on, lead.decided_by, lead.overdue = LeadStatus.FILED, on, _user_or_none(actor), False
        _close_open_pauses(lead.pauses.all(), on)
        lead.save()
        audit.record(actor=actor, action="enforcement.lead.filed", obj=lead, unit=lead.unit_id,
                     changes={**audit.diff(before, audit.snapshot(lead, LEAD_AUDIT_FIELDS)), "case": [None, case.pk]})
    return case


# --- filing approval (立案审批) ------------------------------------------------------------------------------------------


@transaction.atomic
def filing_request(*, actor, lead: Lead, case_type: str, title: str, officers, party_kind: str, campaigns=(),
                   lead_officer=None, late_reason: str = "", opinion: str = "",
                   on: dt.date | None = None) -> FilingRequest:
    """An officer asks a head of the unit to approve filing a case from ``lead``. Checked as the filing itself will
    be (case type, title, two officers with valid credentials); one request pending per lead."""
    on = _today(on)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if not lead.is_open:
        raise TransitionNotAllowed(f"线索 #{lead.pk} 已「{lead.get_status_display()}」，不能再申请立案", code="wrong_state")
    if lead.filing_requests.filter(status=FilingRequest.Status.PENDING).exists():
        raise TransitionNotAllowed("该线索已有待审批的立案申请", code="already_requested")
    _valid_case_type(case_type, on)
    if not (title or "").strip():
        raise ValidationFailed("请填写案由", field="title")
    checked = _check_officers(officers, on=on)
    data = {"case_type": case_type, "title": title.strip(), "party_kind": party_kind,
            "officers": [u.pk for u, _ in checked], "lead_officer": getattr(lead_officer, "pk", None),
            "campaigns": [c.pk for c in campaigns], "late_reason": (late_reason or "").strip()}
    request = FilingRequest.objects.create(lead=lead, data=data, requested_by=actor, requested_on=on,
                                           opinion=(opinion or "").strip()[:300])
    audit.record(actor=actor, action="enforcement.filing.requested", obj=lead, unit=lead.unit_id,
                 changes={"filing_request": [None, request.pk], **{k: [None, v] for k, v in data.items()}})
    return request


@transaction.atomic
def filing_approve(*, actor, request: FilingRequest, note: str = "", on: dt.date | None = None) -> Case:
    """A head of the unit approves: the case is filed on the day of approval, with the head as its approver.
    Approving twice (a double click) returns the case filed the first time."""
    on = _today(on)
    request = FilingRequest.objects.select_for_update().select_related("lead").get(pk=request.pk)
    if request.status == FilingRequest.Status.APPROVED:
        return request.case
    if request.status != FilingRequest.Status.PENDING:
        raise TransitionNotAllowed("该立案申请已退回，不能再批准", code="wrong_state")
    check_head(actor, request.lead.unit_id, what="立案")
    from django.contrib.auth import get_user_model

    from .models import Campaign

    d = request.data
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=d["officers"] + [d.get("lead_officer")])}
    case = case_file(actor=actor, lead=request.lead, case_type=d["case_type"], title=d["title"],
                     officers=[users[pk] for pk in d["officers"] if pk in users], party_kind=d["party_kind"],
                     campaigns=list(Campaign.objects.filter(pk__in=d.get("campaigns", []))),
                     lead_officer=users.get(d.get("lead_officer")), on=on, late_reason=d.get("late_reason", ""))
    request.status, request.decided_by, request.decided_on = FilingRequest.Status.APPROVED, actor, on
    request.decision_note, request.case = (note or "同意立案").strip()[:300], case
    request.save()
    audit.record(actor=actor, action="enforcement.filing.approved", obj=case, unit=case.unit_id,
                 changes={"filing_request": [None, request.pk], "decision_note": [None, request.decision_note]})
    return case


@transaction.atomic
def filing_return(*, actor, request: FilingRequest, note: str, on: dt.date | None = None) -> FilingRequest:
    """A head of the unit returns the request with the reason; the lead stays open for a new request."""
    on = _today(on)
    request = FilingRequest.objects.select_for_update().select_related("lead").get(pk=request.pk)
    if request.status != FilingRequest.Status.PENDING:
        raise TransitionNotAllowed(f"该立案申请已{request.get_status_display()}", code="wrong_state")
    check_head(actor, request.lead.unit_id, what="退回立案申请")
    if not (note or "").strip():
        raise ValidationFailed("请写明退回理由", field="note")
    request.status, request.decided_by, request.decided_on = FilingRequest.Status.RETURNED, actor, on
    request.decision_note = note.strip()[:300]
    request.save()
    audit.record(actor=actor, action="enforcement.filing.returned", obj=request.lead, unit=request.lead.unit_id,
                 changes={"filing_request": [None, request.pk], "decision_note": [None, request.decision_note]})
    return request


@transaction.atomic
def case_assign_officers(*, actor, case: Case, officers, lead_officer=None, on: dt.date | None = None) -> Case:
    """Replace the officers of an open case (same two-officer and credential rules as at filing)."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, *OPEN_CASE_STATUSES)
    before = list(case.assignments.values_list("user_id", flat=True))
    checked = _check_officers(officers, on=on)
    _set_officers(case, checked, lead_officer=lead_officer, on=on)
    audit.record(actor=actor, action="enforcement.case.officers", obj=case, unit=case.unit_id,
                 changes={"officers": [before, [u.pk for u, _ in checked]]})
    return case


@transaction.atomic
def case_extend(*, actor, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """The head approves 30 more days (once, before the 90 days run out)."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, *OPEN_CASE_STATUSES)
    if case.extended:
        raise TransitionNotAllowed("本案已经负责人批准延长；再延长须经集体讨论决定", code="already_extended")
    if not (reason or "").strip():
        raise ValidationFailed("请写明延长理由", field="reason")
    if case.decision_deadline and on > case.decision_deadline:
        raise TransitionNotAllowed(f"处理决定期限已于 {case.decision_deadline:%Y-%m-%d} 届满，不能再批准延长；"
                                   "须经集体讨论决定", code="clock_expired")
    check_head(_user_or_none(actor), case.unit_id, what="延长办案期限")  # Order 2 art. 64: 经负责人批准
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.extended, case.extension_reason = True, reason.strip()
    case.extension_approved_by, case.extension_approved_on = _user_or_none(actor), on
    recompute_case_clock(case, today=on)
    _save_case(case, before, actor=actor, action="enforcement.case.extended", extra={"reason": [None, reason]})
    return case


@transaction.atomic
def case_collective_extend(*, actor, case: Case, days: int, decision_no: str, on: dt.date | None = None) -> Case:
    """Record the collective decision of the bureau heads (集体讨论) that extends the clock by ``days``."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, *OPEN_CASE_STATUSES)
    if not case.extended:
        raise TransitionNotAllowed("须先经负责人批准延长 30 日，再延长方可集体讨论决定", code="not_extended")
    if not 0 < int(days) <= 365:
        raise ValidationFailed("延长天数须在 1 至 365 日之间（一次集体讨论确定的合理期限）", field="days")
    if not (decision_no or "").strip():
        raise ValidationFailed("请填写集体讨论记录编号", field="decision_no")
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.collective_extension_days += int(days)
    case.collective_decision_no, case.collective_decided_on = decision_no.strip(), on
    recompute_case_clock(case, today=on)
    _save_case(case, before, actor=actor, action="enforcement.case.collective_extended",
               extra={"decision_no": [None, decision_no]})
    return case


# --- pauses (lead and case) -----------------------------------------------------------------------------------------


def _close_open_pauses(pauses, on: dt.date) -> None:
    for p in pauses:
        if p.ends_on is None:
            p.ends_on = max(on, p.starts_on)
            p.save(update_fields=["ends_on"])


SEIZURE_PAUSE_REASONS = (PauseReason.TESTING, PauseReason.INSPECTION, PauseReason.QUARANTINE, PauseReason.APPRAISAL)


@transaction.atomic
def pause_start(*, actor, reason: str, starts_on: dt.date, lead: Lead | None = None, case: Case | None = None,
                seizure: Seizure | None = None, note: str = "", evidence_ref: str = "") -> ClockPause:
    """Stop a clock: a lead's for testing, inspection, appraisal… (Order 2 art. 18); a case's also for hearing,
    suspension, public notice, 责令退还多收价款 (art. 64); a seizure's for testing, inspection, quarantine or technical
    appraisal (Administrative Compulsion Law art. 25 — the period must be stated and told to the party in writing,
    so ``evidence_ref`` names the commission and the 期间告知书)."""
    if sum(x is not None for x in (lead, case, seizure)) != 1:
        raise ValidationFailed("期限中止须针对一条线索、一个案件或者一项查封扣押")
    if seizure is not None:
        seizure = Seizure.objects.select_for_update(of=("self",)).select_related("case").get(pk=seizure.pk)
        if not seizure.is_active:
            raise TransitionNotAllowed("查封扣押已经解除或处理，期限不再计算", code="wrong_state")
        if reason not in SEIZURE_PAUSE_REASONS:
            raise ValidationFailed("查封扣押期间仅检测、检验、检疫或者技术鉴定的期间不计入（行政强制法第二十五条）",
                                   field="reason")
        if not (evidence_ref or "").strip():
            raise ValidationFailed("请填写检测（检验、鉴定）委托书或者期间告知书的编号：该期间应当书面告知当事人",
                                   field="evidence_ref")
        if starts_on < seizure.decided_on:
            raise ValidationFailed("开始日期不能早于查封扣押决定日期", field="starts_on")
        owner, pauses = seizure, seizure.pauses
    elif lead is not None:
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if not lead.is_open:
            raise TransitionNotAllowed("线索已作出立案决定，期限不再计算", code="wrong_state")
        if reason not in LEAD_PAUSE_REASONS:
            raise ValidationFailed("线索核查期限仅检测、检验、检疫、鉴定、权利人辨认鉴别时间不计入", field="reason")
        owner, pauses = lead, lead.pauses
    else:
        case = _locked_case(case)
        _require_case(case, *OPEN_CASE_STATUSES)
        if reason not in PauseReason.values:
            raise ValidationFailed("请选择期限中止事由", field="reason")
        owner, pauses = case, case.pauses
    if pauses.filter(ends_on__isnull=True).exists():
        raise TransitionNotAllowed("已有尚未结束的期限中止，请先结束", code="pause_running")
    last = pauses.order_by("-ends_on").values_list("ends_on", flat=True).first()
    if last and starts_on < last:
        raise ValidationFailed("期限中止不能与已记录的中止期间重叠", field="starts_on")
    pause = ClockPause.objects.create(lead=lead, case=case, seizure=seizure, reason=reason,
                                      note=(note or "").strip(), evidence_ref=(evidence_ref or "").strip()[:200],
                                      starts_on=starts_on, recorded_by=_user_or_none(actor))
    _reclock(owner, today=starts_on)
    audited = owner.case if isinstance(owner, Seizure) else owner
    audit.record(actor=actor, action="enforcement.clock.paused", obj=audited, unit=audited.unit_id,
                 changes={"reason": [None, reason], "starts_on": [None, starts_on],
                          "seizure": [None, seizure.pk if seizure else None]})
    return pause


@transaction.atomic
def pause_end(*, actor, pause: ClockPause, ends_on: dt.date) -> ClockPause:
    pause = ClockPause.objects.select_for_update().get(pk=pause.pk)
    if pause.lead_id:
        owner = Lead.objects.select_for_update().get(pk=pause.lead_id)
    elif pause.seizure_id:
        owner = Seizure.objects.select_for_update(of=("self",)).select_related("case").get(pk=pause.seizure_id)
    else:
        owner = _locked_case(pause.case)
    if pause.ends_on is not None:
        raise TransitionNotAllowed("该期限中止已经结束", code="wrong_state")
    if ends_on < pause.starts_on:
        raise ValidationFailed("结束日期不能早于开始日期", field="ends_on")
    pause.ends_on = ends_on
    pause.save(update_fields=["ends_on"])
    _reclock(owner, today=ends_on)
    audited = owner.case if isinstance(owner, Seizure) else owner
    audit.record(actor=actor, action="enforcement.clock.resumed", obj=audited, unit=audited.unit_id,
                 changes={"reason": [pause.reason, pause.reason], "ends_on": [None, ends_on]})
    return pause


def _reclock(owner, *, today: dt.date) -> None:
    if isinstance(owner, Seizure):
        recompute_seizure_clock(owner, today=today)
        owner.save(update_fields=["ends_on", "expired"])
        return
    if isinstance(owner, Lead):
        recompute_lead_clock(owner, today=today)
        owner.save(update_fields=["filing_deadline", "paused_workdays", "clock_paused", "calendar_pending",
                                  "overdue"])
    else:
        recompute_case_clock(owner, today=today)
        owner.save(update_fields=["decision_deadline", "paused_days", "clock_paused", "calendar_pending", "overdue",
                                  "updated_at"])


# --- investigation ----------------------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, actor, case: Case, kind: str, description: str, collected_on: dt.date, source: str = "",
                 file=None) -> Evidence:
    case = _locked_case(case)
    _require_case(case, CaseStatus.FILED, CaseStatus.INVESTIGATED, CaseStatus.NOTIFIED, CaseStatus.HEARING)
    if kind not in Evidence.Kind.values:
        raise ValidationFailed("请选择证据种类", field="kind")
    if not (description or "").strip():
        raise ValidationFailed("请填写证据内容", field="description")
    if collected_on < case.filed_on - dt.timedelta(days=366):
        raise ValidationFailed("取证日期不合理", field="collected_on")
    ev = Evidence.objects.create(case=case, kind=kind, description=description.strip(), collected_on=collected_on,
                                 collected_by=actor, source=(source or "").strip(), file=file or "")
    audit.record(actor=actor, action="enforcement.evidence.added", obj=case, unit=case.unit_id,
                 changes={"evidence": [None, ev.pk], "kind": [None, kind]})
    return ev


def seizure_end(decided_on: dt.date, *, extended: bool, excluded_days: int = 0) -> dt.date:
    """30 days (+30 extended) from the decision, plus the days of testing, inspection, quarantine or technical
    appraisal (Administrative Compulsion Law art. 25), rolled to the next working day (Civil Code art. 203)."""
    days = int(rule("enforcement.seizure_days", on=decided_on))
    if extended:
        days += int(rule("enforcement.seizure_extension_days", on=decided_on))
    return workdays.period_end(decided_on, days + excluded_days)


def seizure_excluded_days(seizure: Seizure, *, today: dt.date, pauses=None) -> tuple[int, bool]:
    pauses = list(seizure.pauses.all()) if pauses is None else list(pauses)
    days = sum(((p.ends_on or max(today, p.starts_on)) - p.starts_on).days for p in pauses)
    return days, any(p.ends_on is None for p in pauses)


def recompute_seizure_clock(seizure: Seizure, *, today: dt.date) -> Seizure:
    days, _running = seizure_excluded_days(seizure, today=today)
    try:
        seizure.ends_on = seizure_end(seizure.decided_on, extended=seizure.extended, excluded_days=days)
    except workdays.CalendarUnknown:
        pass  # keep the last known end; the sweep retries once the calendar reaches it
    seizure.expired = seizure.is_active and today > seizure.ends_on
    return seizure


@transaction.atomic
def seizure_decide(*, actor, case: Case, measure: str, items: str, decided_on: dt.date, place: str = "") -> Seizure:
    """查封、扣押 for 30 days (rule ``enforcement.seizure_days``)."""
    case = _locked_case(case)
    _require_case(case, CaseStatus.FILED, CaseStatus.INVESTIGATED)
    if measure not in Seizure.Measure.values:
        raise ValidationFailed("请选择查封或者扣押", field="measure")
    if not (items or "").strip():
        raise ValidationFailed("请填写查封扣押的场所、设施或者财物清单", field="items")
    try:
        ends_on = seizure_end(decided_on, extended=False)
    except workdays.CalendarUnknown as exc:
        raise ValidationFailed(str(exc), field="decided_on") from exc
    s = Seizure.objects.create(case=case, measure=measure, items=items.strip(), place=(place or "").strip(),
                               decided_on=decided_on, ends_on=ends_on, recorded_by=_user_or_none(actor))
    audit.record(actor=actor, action="enforcement.seizure.decided", obj=case, unit=case.unit_id,
                 changes={"seizure": [None, s.pk], "ends_on": [None, ends_on]})
    return s


@transaction.atomic
def seizure_extend(*, actor, seizure: Seizure, on: dt.date | None = None) -> Seizure:
    """The head approves 30 more days, once, before the first 30 run out."""
    on = _today(on)
    seizure = Seizure.objects.select_for_update(of=("self",)).select_related("case").get(pk=seizure.pk)
    if seizure.status != Seizure.Status.ACTIVE:
        raise TransitionNotAllowed(f"查封扣押当前为「{seizure.get_status_display()}」，不能延长（只能延长一次）",
                                   code="wrong_state")
    if on > seizure.ends_on:
        raise TransitionNotAllowed(f"查封扣押期限已于 {seizure.ends_on:%Y-%m-%d} 届满，不能再延长", code="clock_expired")
    check_head(_user_or_none(actor), seizure.case.unit_id, what="延长查封扣押期限")  # 行政强制法第二十五条
    try:
        seizure.ends_on = seizure_end(seizure.decided_on, extended=True,
                                      excluded_days=seizure_excluded_days(seizure, today=on)[0])
    except workdays.CalendarUnknown as exc:
        raise ValidationFailed(str(exc), field="on") from exc
    seizure.extended, seizure.status = True, Seizure.Status.EXTENDED
    seizure.extension_approved_by, seizure.expired = _user_or_none(actor), False
    seizure.save()
    audit.record(actor=actor, action="enforcement.seizure.extended", obj=seizure.case, unit=seizure.case.unit_id,
                 changes={"seizure": [seizure.pk, seizure.pk], "ends_on": [None, seizure.ends_on]})
    return seizure


@transaction.atomic
def seizure_release(*, actor, seizure: Seizure, on: dt.date, note: str = "", disposed: bool = False) -> Seizure:
    seizure = Seizure.objects.select_for_update(of=("self",)).select_related("case").get(pk=seizure.pk)
    if not seizure.is_active:
        raise TransitionNotAllowed("查封扣押已经解除或处理", code="wrong_state")
    if on < seizure.decided_on:
        raise ValidationFailed("解除日期不能早于决定日期", field="on")
    seizure.status = Seizure.Status.DISPOSED if disposed else Seizure.Status.RELEASED
    seizure.released_on, seizure.release_note, seizure.expired = on, (note or "").strip(), False
    seizure.save()
    audit.record(actor=actor, action="enforcement.seizure.released", obj=seizure.case, unit=seizure.case.unit_id,
                 changes={"seizure": [seizure.pk, seizure.pk], "status": ["active", seizure.status]})
    return seizure


# --- discretion and the fine ----------------------------------------------------------------------------------------


def check_fine(case: Case, amount, *, on: dt.date) -> dict:
    """Refuse a fine above the legal maximum or below the minimum of the discretion guide (减轻 may go below)."""
    amount = Decimal(amount or 0)
    suggestion = suggested_range(case.case_type, case.circumstance or "normal", goods_value=case.goods_value,
                                 illegal_income=case.illegal_income, on=on)
    if amount > suggestion["legal_max"]:
        raise TransitionNotAllowed(f"罚款 ¥{amount:,.0f} 超过法定最高限额 ¥{suggestion['legal_max']:,.0f}"
                                   f"（{suggestion['law']}）", code="fine_above_maximum")
    if amount < suggestion["legal_min"] and not suggestion["below_min_allowed"]:
        raise TransitionNotAllowed(f"罚款 ¥{amount:,.0f} 低于法定最低限额 ¥{suggestion['legal_min']:,.0f}"
                                   f"（{suggestion['law']}）；低于最低限额须认定减轻处罚情节", code="fine_below_minimum")
    return suggestion


def _check_kinds(kinds, fine) -> list[str]:
    kinds = list(dict.fromkeys(kinds or []))
    bad = [k for k in kinds if k not in PenaltyKind.values]
    if bad or not kinds:
        raise ValidationFailed("请选择处罚种类", field="kinds")
    if (Decimal(fine or 0) > 0) != (PenaltyKind.FINE in kinds):
        raise ValidationFailed("选择“罚款”时须填写罚款金额，未选择时不能填写", field="fine_amount")
    return kinds


def is_heavy(kinds, fine, party_kind: str, *, confiscated=0, on: dt.date) -> bool:
    """A penalty the party may ask a hearing about (APL art. 63; thresholds as rules)."""
    thresholds = rule("enforcement.heavy_fine", on=on)
    limit = Decimal(str(thresholds.get(party_kind, thresholds.get("organisation"))))
    if set(kinds) & set(rule("enforcement.heavy_kinds", on=on)):
        return True
    return Decimal(fine or 0) >= limit or Decimal(confiscated or 0) >= limit


def is_light(kinds, fine, party_kind: str, *, procedure: str, on: dt.date) -> bool:
    """Published for 3 months only: the simplified procedure, or only a warning, a criticism or a small fine."""
    if procedure == Procedure.SIMPLIFIED:
        return True
    if not set(kinds) <= {PenaltyKind.WARNING, PenaltyKind.CRITICISM, PenaltyKind.FINE}:
        return False
    from .publication import light_fine_limit

    return Decimal(fine or 0) <= light_fine_limit(party_kind, on)


@transaction.atomic
def investigation_conclude(*, actor, case: Case, report: str, outcome: str, circumstance: str = "normal",
                           proposed_kinds=(), proposed_fine=None, goods_value=None, illegal_income=None,
                           outcome_reason: str = "", on: dt.date | None = None) -> Case:
    """调查终结: the report and the proposal (penalty with kinds and a fine inside the discretion guide, or none)."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.FILED)
    if case.seizures.filter(status__in=[Seizure.Status.ACTIVE, Seizure.Status.EXTENDED], expired=True).exists():
        raise TransitionNotAllowed("有查封扣押期限已届满尚未解除，请先解除或者依法处理", code="seizure_expired")
    if not (report or "").strip():
        raise ValidationFailed("请填写调查终结报告", field="report")
    if outcome not in Outcome.values:
        raise ValidationFailed("请选择处理意见", field="outcome")
    if circumstance not in rule("enforcement.circumstances", on=on):
        raise ValidationFailed("请选择裁量情节", field="circumstance")
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.circumstance = circumstance
    case.goods_value = goods_value if goods_value not in ("", None) else None
    case.illegal_income = illegal_income if illegal_income not in ("", None) else None
    if outcome == Outcome.PENALTY:
        kinds = _check_kinds(proposed_kinds, proposed_fine)
        check_fine(case, proposed_fine or 0, on=on)
        case.proposed_kinds, case.proposed_fine = kinds, Decimal(proposed_fine or 0)
    else:
        if not (outcome_reason or "").strip():
            raise ValidationFailed("请写明不予处罚、违法事实不能成立或者移送的理由", field="outcome_reason")
        case.proposed_kinds, case.proposed_fine = [], None
    case.outcome, case.outcome_reason = outcome, (outcome_reason or "").strip()
    case.investigation_report, case.investigated_on, case.status = report.strip(), on, CaseStatus.INVESTIGATED
    _save_case(case, before, actor=actor, action="enforcement.case.investigated")
    return case


def legal_review_due(submitted_on: dt.date) -> dt.date:
    return workdays.add_workdays(submitted_on, int(rule("enforcement.legal_review_workdays", on=submitted_on)))


@transaction.atomic
def review_submit(*, actor, case: Case, on: dt.date | None = None) -> LegalReview:
    """Send the case to legal review (法制审核), due in 10 working days."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.INVESTIGATED)
    try:
        due = legal_review_due(on)
    except workdays.CalendarUnknown:
        due = None
    review = LegalReview.objects.create(case=case, submitted_on=on, due_on=due, submitted_by=actor)
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.status = CaseStatus.LEGAL_REVIEW
    _save_case(case, before, actor=actor, action="enforcement.case.review_submitted",
               extra={"review_due": [None, due]})
    return review


@transaction.atomic
def review_decide(*, actor, case: Case, result: str, opinion: str, on: dt.date | None = None) -> LegalReview:
    """The legal reviewer approves (→ reviewed) or returns the case for more investigation (→ filed). The reviewer
    must not be one of the case's officers."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.LEGAL_REVIEW)
    if case.assignments.filter(user=actor).exists():
        raise TransitionNotAllowed("办案人员不能审核本人承办的案件", code="reviewer_not_independent")
    if result not in LegalReview.Result.values:
        raise ValidationFailed("请选择审核结论", field="result")
    if not (opinion or "").strip():
        raise ValidationFailed("请填写审核意见", field="opinion")
    review = case.reviews.filter(result="").order_by("-id").first()
    review.reviewer, review.result, review.opinion, review.reviewed_on = actor, result, opinion.strip(), on
    review.save()
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.status = CaseStatus.REVIEWED if result == LegalReview.Result.APPROVED else CaseStatus.FILED
    _save_case(case, before, actor=actor, action=f"enforcement.case.review_{result}",
               extra={"opinion": [None, opinion]})
    return review


def reply_deadline(served_on: dt.date) -> dt.date:
    """The last day to state one's case or ask for a hearing: 5 working days from **service** of the notice
    (APL arts. 64, 85). Raises ``CalendarUnknown`` beyond the known calendar."""
    return workdays.add_workdays(served_on, int(rule("enforcement.reply_workdays", on=served_on)))


@transaction.atomic
def notice_issue(*, actor, case: Case, on: dt.date | None = None, served_on: dt.date | None = None,
                 method: str = "", recipient: str = "", proof: str = "", sent_on: dt.date | None = None) -> PriorNotice:
    """行政处罚事先告知: the intended penalty, the right to state one's case and — for a heavy penalty — to ask for
    a hearing. The 5 working days run from the notice's **service**: give ``served_on`` (with method, recipient and
    proof) when it is handed over at once, or record it later with ``notice_serve``."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.REVIEWED)
    if case.outcome != Outcome.PENALTY:
        raise TransitionNotAllowed("处理意见不是给予行政处罚，无需事先告知", code="no_penalty_proposed")
    heavy = is_heavy(case.proposed_kinds, case.proposed_fine, case.party_kind, on=on)
    notice = PriorNotice.objects.create(case=case, notified_on=on, proposed_kinds=case.proposed_kinds,
                                        proposed_fine=case.proposed_fine, hearing_right=heavy, recorded_by=actor)
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.status = CaseStatus.NOTIFIED
    _save_case(case, before, actor=actor, action="enforcement.case.notified", extra={"hearing_right": [None, heavy]})
    if served_on is not None:
        notice = _serve_notice(actor=actor, case=case, notice=notice, method=method, served_on=served_on,
                               recipient=recipient, proof=proof, sent_on=sent_on)
    return notice


def _serve_notice(*, actor, case, notice, method, served_on, recipient, proof, sent_on=None) -> PriorNotice:
    if served_on < notice.notified_on:
        raise ValidationFailed("送达日期不能早于告知书制作日期", field="served_on")
    svc = _create_service(actor=actor, case=case, document_title="行政处罚事先告知书", document_no="", method=method,
                          served_on=served_on, recipient=recipient, proof=proof, sent_on=sent_on)
    try:
        deadline = reply_deadline(svc.served_on)
    except workdays.CalendarUnknown as exc:
        raise ValidationFailed(str(exc), field="served_on") from exc
    notice.served_on, notice.service, notice.reply_deadline = svc.served_on, svc, deadline
    notice.save(update_fields=["served_on", "service", "reply_deadline"])
    audit.record(actor=actor, action="enforcement.notice.served", obj=case, unit=case.unit_id,
                 changes={"served_on": [None, svc.served_on], "method": [None, method],
                          "reply_deadline": [None, deadline]})
    return notice


@transaction.atomic
def notice_serve(*, actor, case: Case, method: str, served_on: dt.date | None, recipient: str, proof: str,
                 sent_on: dt.date | None = None) -> PriorNotice:
    """Record service of the prior notice (method, date, recipient, proof): the party's 5 working days to state its
    case and ask for a hearing start from this date (APL arts. 64, 85). Serving twice is refused."""
    case = _locked_case(case)
    _require_case(case, CaseStatus.NOTIFIED)
    notice = case.notices.order_by("-id").first()
    if notice.served_on:
        raise TransitionNotAllowed(f"事先告知书已于 {notice.served_on:%Y-%m-%d} 送达", code="already_served")
    return _serve_notice(actor=actor, case=case, notice=notice, method=method, served_on=served_on,
                         recipient=recipient, proof=proof, sent_on=sent_on)


@transaction.atomic
def notice_reply(*, actor, case: Case, statement: str = "", waived: bool = False,
                 on: dt.date | None = None) -> PriorNotice:
    """Record the party's statement (陈述申辩) or that it waived its rights."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.NOTIFIED)
    notice = case.notices.order_by("-id").first()
    if not waived and not (statement or "").strip():
        raise ValidationFailed("请填写陈述申辩内容，或者记录当事人放弃", field="statement")
    notice.statement, notice.statement_on, notice.waived = (statement or "").strip(), on, bool(waived)
    notice.save()
    audit.record(actor=actor, action="enforcement.case.party_replied", obj=case, unit=case.unit_id,
                 changes={"waived": [None, bool(waived)]})
    return notice


@transaction.atomic
def hearing_request(*, actor, case: Case, requested_on: dt.date) -> Hearing:
    """The party asks for a hearing: only with the right, within the period; the hearing's time pauses the clock."""
    case = _locked_case(case)
    _require_case(case, CaseStatus.NOTIFIED)
    notice = case.notices.order_by("-id").first()
    if not notice.hearing_right:
        raise TransitionNotAllowed("拟作出的处罚不属于可以要求听证的情形", code="no_hearing_right")
    if not notice.served_on:
        raise TransitionNotAllowed("事先告知书尚未送达：要求听证的期限自送达之日起计算", code="notice_not_served")
    if notice.reply_deadline and requested_on > notice.reply_deadline:
        raise TransitionNotAllowed(f"要求听证的期限已于 {notice.reply_deadline:%Y-%m-%d} 届满", code="hearing_late")
    if notice.waived:
        raise TransitionNotAllowed("当事人已放弃听证权利", code="hearing_waived")
    hearing = Hearing.objects.create(case=case, requested_on=requested_on)
    ClockPause.objects.create(case=case, reason=PauseReason.HEARING, starts_on=requested_on,
                              note="当事人要求听证", recorded_by=_user_or_none(actor))
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.status = CaseStatus.HEARING
    recompute_case_clock(case, today=requested_on)
    _save_case(case, before, actor=actor, action="enforcement.case.hearing_requested")
    return hearing


def earliest_hearing(notice_served_on: dt.date) -> dt.date:
    """The first day a hearing may be held: the party is notified at least 7 (working) days before it (APL arts. 64,
    85) — counted from the service of the hearing notice, that day not counted."""
    return workdays.add_workdays(notice_served_on, int(rule("enforcement.hearing_notice_workdays",
                                                            on=notice_served_on)))


@transaction.atomic
def hearing_schedule(*, actor, case: Case, scheduled_on: dt.date, notice_served_on: dt.date, method: str,
                     recipient: str, proof: str, place: str = "", host=None) -> Hearing:
    """Serve the hearing notice (听证通知书) and fix the date: a hearing closer than 7 working days after the
    notice's service is refused with the first date it may be held."""
    case = _locked_case(case)
    _require_case(case, CaseStatus.HEARING)
    hearing = case.hearings.order_by("-id").first()
    if hearing.held_on:
        raise TransitionNotAllowed("听证已经举行", code="wrong_state")
    if host is not None and case.assignments.filter(user=host).exists():
        raise TransitionNotAllowed(HEARING_HOST_INDEPENDENT, code="host_not_independent")
    try:
        earliest = earliest_hearing(notice_served_on)
    except workdays.CalendarUnknown as exc:
        raise ValidationFailed(str(exc), field="notice_served_on") from exc
    if scheduled_on < earliest:
        raise TransitionNotAllowed(
            f"听证通知书于 {notice_served_on:%Y-%m-%d} 送达，应当在举行听证的七日前通知当事人（行政处罚法第六十四条、"
            f"第八十五条：七个工作日）：最早可于 {earliest:%Y-%m-%d} 举行", code="hearing_too_soon")
    svc = _create_service(actor=actor, case=case, document_title="听证通知书", document_no="", method=method,
                          served_on=notice_served_on, recipient=recipient, proof=proof)
    hearing.scheduled_on, hearing.notice_served_on, hearing.earliest_on = scheduled_on, svc.served_on, earliest
    hearing.place = (place or "").strip() or hearing.place
    hearing.host = host or hearing.host
    hearing.save()
    audit.record(actor=actor, action="enforcement.hearing.scheduled", obj=case, unit=case.unit_id,
                 changes={"scheduled_on": [None, scheduled_on], "notice_served_on": [None, svc.served_on],
                          "earliest_on": [None, earliest]})
    return hearing


@transaction.atomic
def hearing_hold(*, actor, case: Case, host, held_on: dt.date, minutes: str, report: str, place: str = "",
                 scheduled_on: dt.date | None = None) -> Hearing:
    """Record the hearing (host independent of the investigation); the clock resumes on ``held_on``. The hearing
    notice must have been served (``hearing_schedule``) at least 7 working days before."""
    case = _locked_case(case)
    _require_case(case, CaseStatus.HEARING)
    hearing = case.hearings.order_by("-id").first()
    if hearing.held_on:
        raise TransitionNotAllowed("听证已经举行", code="wrong_state")
    if hearing.notice_served_on is None:
        raise TransitionNotAllowed("尚未送达听证通知书：须在举行听证的七日前通知当事人", code="hearing_not_notified")
    if hearing.earliest_on and held_on < hearing.earliest_on:
        raise TransitionNotAllowed(f"听证通知书于 {hearing.notice_served_on:%Y-%m-%d} 送达，最早可于 "
                                   f"{hearing.earliest_on:%Y-%m-%d} 举行", code="hearing_too_soon")
    if case.assignments.filter(user=host).exists():
        raise TransitionNotAllowed(HEARING_HOST_INDEPENDENT, code="host_not_independent")
    if held_on < hearing.requested_on:
        raise ValidationFailed("听证日期不能早于申请日期", field="held_on")
    if not (minutes or "").strip() or not (report or "").strip():
        raise ValidationFailed("请填写听证笔录摘要和听证报告", field="minutes")
    hearing.host, hearing.held_on = host, held_on
    hearing.scheduled_on = scheduled_on or hearing.scheduled_on or held_on
    hearing.minutes, hearing.report, hearing.place = minutes.strip(), report.strip(), (place or "").strip()
    hearing.save()
    _close_open_pauses(case.pauses.filter(reason=PauseReason.HEARING), held_on)
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    recompute_case_clock(case, today=held_on)
    _save_case(case, before, actor=actor, action="enforcement.case.hearing_held",
               extra={"host": [None, host.pk], "held_on": [None, held_on]})
    return hearing


def _check_decision_clock(case: Case, on: dt.date) -> None:
    if case.decision_deadline is None:
        return
    if on > case.decision_deadline:
        if not case.extended:
            hint = "须在期限届满前经负责人批准延长"
        else:
            hint = "须经集体讨论决定再延长并记录"
        raise TransitionNotAllowed(f"处理决定期限已于 {case.decision_deadline:%Y-%m-%d} 届满，不能作出决定：{hint}",
                                   code="clock_expired")


def _check_ready_to_decide(case: Case, on: dt.date) -> None:
    if case.status == CaseStatus.HEARING:
        hearing = case.hearings.order_by("-id").first()
        if hearing is None or hearing.held_on is None:
            raise TransitionNotAllowed("听证尚未举行，不能作出决定", code="hearing_pending")
        return
    notice = case.notices.order_by("-id").first()
    if notice is not None and not notice.served_on:
        raise TransitionNotAllowed("事先告知书尚未送达：须送达后当事人方可陈述申辩、要求听证", code="notice_not_served")
    if notice is not None and not notice.waived and notice.reply_deadline and on <= notice.reply_deadline \
            and not notice.statement_on:
        raise TransitionNotAllowed(f"当事人陈述申辩、要求听证的期限至 {notice.reply_deadline:%Y-%m-%d}，"
                                   "期满前不能作出决定", code="reply_period_running")


@transaction.atomic
def case_decide(*, actor, case: Case, kinds, facts: str, legal_basis: str, fine_amount=0, confiscated_amount=0,
                confiscated_items: str = "", suspension_days: int | None = None, collective: bool = False,
                on: dt.date | None = None) -> Penalty:
    """The penalty decision (行政处罚决定). Refused after the clock ran out without the recorded extension, before
    the party's reply period ended, with a fine outside the discretion guide's legal range, or heavier than the
    notice announced. Updates the credit record and risk class and proposes serious-list listing when due."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.NOTIFIED, CaseStatus.HEARING)
    _check_decision_clock(case, on)
    _check_ready_to_decide(case, on)
    kinds = _check_kinds(kinds, fine_amount)
    if not (facts or "").strip() or not (legal_basis or "").strip():
        raise ValidationFailed("请填写违法事实和处罚依据", field="facts")
    check_fine(case, fine_amount, on=on)
    notice = case.notices.order_by("-id").first()
    if notice is not None:
        if Decimal(fine_amount or 0) > Decimal(notice.proposed_fine or 0) or not set(kinds) <= set(notice.proposed_kinds):
            raise TransitionNotAllowed("拟作出的处罚重于事先告知的内容：须重新告知（不得因当事人陈述申辩而加重处罚）",
                                       code="heavier_than_notice")
    heavy = is_heavy(kinds, fine_amount, case.party_kind, confiscated=confiscated_amount, on=on)
    if heavy and (notice is None or not notice.hearing_right):
        raise TransitionNotAllowed("较重的行政处罚须告知当事人听证权利：请重新告知", code="hearing_right_missing")
    penalty = _make_penalty(actor=actor, case=case, kinds=kinds, facts=facts, legal_basis=legal_basis,
                            fine_amount=fine_amount, confiscated_amount=confiscated_amount,
                            confiscated_items=confiscated_items, suspension_days=suspension_days,
                            collective=collective, heavy=heavy, on=on)
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.status, case.overdue = CaseStatus.DECIDED, False
    _close_open_pauses(case.pauses.all(), on)
    _save_case(case, before, actor=actor, action="enforcement.case.decided",
               extra={"decision_no": [None, penalty.decision_no], "fine_amount": [None, penalty.fine_amount]})
    return penalty


def decision_service_due(decided_on: dt.date) -> dt.date | None:
    """Served on the spot, or — the party absent — within 7 working days of the decision (APL arts. 61, 85)."""
    try:
        return workdays.add_workdays(decided_on, int(rule("enforcement.decision_service_workdays", on=decided_on)))
    except workdays.CalendarUnknown:
        return None


def decision_service_due_provisional(decided_on: dt.date) -> tuple[dt.date, bool]:
    """``decision_service_due`` that never refuses: (date, provisional) — a year whose holidays are not entered yet
    is counted as having none, shown 暂定 and recomputed by the nightly sweep once the year is entered."""
    return workdays.add_workdays_provisional(decided_on,
                                             int(rule("enforcement.decision_service_workdays", on=decided_on)))


def _make_penalty(*, actor, case: Case, kinds, facts, legal_basis, fine_amount, confiscated_amount,
                  confiscated_items, suspension_days, collective, heavy, on) -> Penalty:
    fine, confiscated = Decimal(fine_amount or 0), Decimal(confiscated_amount or 0)
    penalty = Penalty.objects.create(
        case=case, entity=case.entity, unit=case.unit, party_name=case.party_name, party_kind=case.party_kind,
        decision_no=decision_number(case.unit, on.year), decided_on=on, kinds=kinds, fine_amount=fine,
        confiscated_amount=confiscated, confiscated_items=(confiscated_items or "").strip(),
        suspension_days=suspension_days or None, facts=facts.strip(), legal_basis=legal_basis.strip(),
        is_light=is_light(kinds, fine, case.party_kind, procedure=case.procedure, on=on), is_heavy=heavy,
        decided_by=_user_or_none(actor), collective=bool(collective),
        **dict(zip(("service_due", "service_due_provisional"), decision_service_due_provisional(on), strict=True)),
        payment_status=PaymentStatus.PENDING if fine + confiscated > 0 else PaymentStatus.NONE)
    audit.record(actor=actor, action="enforcement.penalty.decided", obj=penalty, unit=case.unit_id, changes={
        "decision_no": [None, penalty.decision_no], "kinds": [None, kinds], "fine_amount": [None, fine],
        "entity": [None, case.entity_id]})
    if case.entity_id:
        from . import credit_hooks

        credit_hooks.after_penalty(actor=actor, penalty=penalty, case=case)
    return penalty


@transaction.atomic
def case_decide_without_penalty(*, actor, case: Case, on: dt.date | None = None) -> Case:
    """The decision not to penalise (不予处罚、违法事实不能成立) or to transfer, after legal review."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.REVIEWED)
    if case.outcome == Outcome.PENALTY:
        raise TransitionNotAllowed("处理意见为给予行政处罚：须先事先告知当事人", code="penalty_proposed")
    _check_decision_clock(case, on)
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.status, case.overdue = CaseStatus.DECIDED, False
    _close_open_pauses(case.pauses.all(), on)
    _save_case(case, before, actor=actor, action="enforcement.case.decided_without_penalty")
    return case


SIMPLIFIED_KINDS = {PenaltyKind.WARNING, PenaltyKind.FINE}


@transaction.atomic
def case_simplified(*, actor, unit: OrgUnit, case_type: str, title: str, officers, party_kind: str, kinds,
                    facts: str, legal_basis: str, recipient: str, fine_amount=0, entity=None, party_name: str = "",
                    party_id_no: str = "", party_address: str = "", lead: Lead | None = None,
                    paid_on_the_spot: bool = False, receipt_no: str = "", on: dt.date | None = None) -> Penalty:
    """The simplified on-the-spot procedure (简易程序, APL art. 51): a warning, or a fine ≤ ¥200 for a citizen /
    ≤ ¥3,000 for an organisation (rule ``enforcement.simplified_limits``); filed, decided and served at once."""
    on = _today(on)
    limits = rule("enforcement.simplified_limits", on=on)
    if on < dt.date.fromisoformat(limits.get("since", "2021-07-15")):
        raise TransitionNotAllowed("当日的简易程序限额未配置", code="simplified_not_allowed")
    kinds = _check_kinds(kinds, fine_amount)
    if not set(kinds) <= SIMPLIFIED_KINDS:
        raise TransitionNotAllowed("简易程序只能给予警告或者罚款", code="simplified_not_allowed")
    party_name, party_kind = _party(entity, party_name, party_kind)
    limit = Decimal(str(limits["individual" if party_kind == PartyKind.INDIVIDUAL else "organisation"]))
    if Decimal(fine_amount or 0) > limit:
        raise TransitionNotAllowed(f"简易程序罚款不得超过 ¥{limit:,.0f}（{PartyKind(party_kind).label}）："
                                   "请适用普通程序", code="simplified_over_limit")
    if not (recipient or "").strip():
        raise ValidationFailed("请填写当场签收人", field="recipient")
    case = _file_case(actor=actor, lead=lead, unit=unit, case_type=case_type, title=title, officers=officers,
                      party_kind=party_kind, entity=entity, party_name=party_name, party_id_no=party_id_no,
                      party_address=party_address, facts=facts, campaigns=(), lead_officer=None, on=_today(on),
                      late_reason="", approver=None, needs_head=False)
    case.procedure = Procedure.SIMPLIFIED
    case.outcome, case.proposed_kinds, case.proposed_fine = Outcome.PENALTY, kinds, Decimal(fine_amount or 0)
    penalty = _make_penalty(actor=actor, case=case, kinds=kinds, facts=facts, legal_basis=legal_basis,
                            fine_amount=fine_amount, confiscated_amount=0, confiscated_items="", suspension_days=None,
                            collective=False, heavy=False, on=on)
    Service.objects.create(case=case, document_title="当场行政处罚决定书", document_no=penalty.decision_no,
                           method=Service.Method.DIRECT, served_on=on, recipient=recipient.strip(),
                           proof="当场交付，当事人签收", recorded_by=actor)
    case.status = CaseStatus.SERVED
    _start_payment(penalty, served_on=on)
    if paid_on_the_spot and penalty.amount_due:
        penalty.paid_on, penalty.paid_amount, penalty.receipt_no = on, penalty.amount_due, receipt_no.strip()
        penalty.payment_status = PaymentStatus.PAID
    if penalty.payment_status in (PaymentStatus.NONE, PaymentStatus.PAID):
        case.status = CaseStatus.EXECUTED
    penalty.save()
    case.save()
    audit.record(actor=actor, action="enforcement.case.simplified", obj=case, unit=unit,
                 changes={"decision_no": [None, penalty.decision_no], "status": [None, case.status]})
    return penalty


def _start_payment(penalty: Penalty, *, served_on: dt.date, recompute: bool = False) -> None:
    """The 15-day payment period from service (APL art. 67); when its last day falls in a year whose holidays are
    not entered yet it is counted as if that year had none and marked provisional (暂定), recomputed by the sweep."""
    if penalty.amount_due > 0 and (penalty.payment_due is None or recompute):
        penalty.payment_due, penalty.payment_due_provisional = workdays.period_end_provisional(
            served_on, int(rule("enforcement.payment_days", on=served_on)))


def fill_payment_deadlines() -> int:
    """Payment periods unknown (older rows) or provisional at service — recomputed now; the count of changed rows."""
    count = 0
    for penalty in Penalty.objects.filter(Q(payment_due__isnull=True) | Q(payment_due_provisional=True),
                                          payment_status=PaymentStatus.PENDING, case__status=CaseStatus.SERVED):
        served = (Service.objects.filter(case_id=penalty.case_id, document_no=penalty.decision_no)
                  .order_by("-served_on").values_list("served_on", flat=True).first())
        if served is None:
            continue
        before = (penalty.payment_due, penalty.payment_due_provisional)
        _start_payment(penalty, served_on=served, recompute=True)
        if (penalty.payment_due, penalty.payment_due_provisional) != before:
            penalty.save(update_fields=["payment_due", "payment_due_provisional"])
            count += 1
    return count


def fill_service_deadlines() -> int:
    """Service periods of decisions not yet served that were unknown or provisional — recomputed now."""
    count = 0
    for penalty in Penalty.objects.filter(Q(service_due__isnull=True) | Q(service_due_provisional=True),
                                          case__status=CaseStatus.DECIDED):
        due = decision_service_due_provisional(penalty.decided_on)
        if due != (penalty.service_due, penalty.service_due_provisional):
            penalty.service_due, penalty.service_due_provisional = due
            penalty.save(update_fields=["service_due", "service_due_provisional"])
            count += 1
    return count


def announcement_served_on(sent_on: dt.date) -> dt.date:
    """公告送达: deemed served once the announcement period (30 days) has passed since it was issued."""
    return workdays.period_end(sent_on, int(rule("enforcement.announcement_service_days", on=sent_on)))


def _create_service(*, actor, case: Case, document_title: str, document_no: str, method: str,
                    served_on: dt.date | None, recipient: str, proof: str, sent_on: dt.date | None = None,
                    proof_file=None) -> Service:
    """One service record (送达回证 data): method, date, recipient, proof. By announcement (公告送达) the date of
    service is the end of the announcement period counted from ``sent_on``; by mail ``sent_on`` is the posting day
    (time in the post does not count)."""
    if method not in Service.Method.values:
        raise ValidationFailed("请选择送达方式", field="method")
    if not (document_title or "").strip() or not (recipient or "").strip():
        raise ValidationFailed("请填写送达文书和受送达人", field="recipient")
    if not (proof or "").strip():
        raise ValidationFailed("请填写送达凭证（送达回证编号、邮件单号、电子送达记录或公告载体）", field="proof")
    if method == Service.Method.ANNOUNCEMENT:
        if sent_on is None:
            raise ValidationFailed("公告送达须填写发出公告的日期", field="sent_on")
        try:
            served_on = announcement_served_on(sent_on)
        except workdays.CalendarUnknown as exc:
            raise ValidationFailed(str(exc), field="sent_on") from exc
    if served_on is None:
        raise ValidationFailed("请填写送达日期", field="served_on")
    if sent_on is not None and sent_on > served_on:
        raise ValidationFailed("交邮或者发出公告日期不能晚于送达日期", field="sent_on")
    return Service.objects.create(case=case, document_title=document_title.strip(), document_no=(document_no or "").strip(),
                                  method=method, sent_on=sent_on, served_on=served_on, recipient=recipient.strip(),
                                  proof=proof.strip(), proof_file=proof_file or "", recorded_by=actor)


@transaction.atomic
def service_record(*, actor, case: Case, document_title: str, method: str, served_on: dt.date | None,
                   recipient: str, proof: str, document_no: str = "", proof_file=None, is_decision: bool = False,
                   sent_on: dt.date | None = None) -> Service:
    """Record service of a document with its proof. Serving the decision starts the 15-day payment period (or,
    with nothing to pay, executes the decision) and records whether it met the 7-working-day limit (APL art. 61:
    the day it was handed over, or posted / announced)."""
    case = _locked_case(case)
    if case.status == CaseStatus.CLOSED:
        raise TransitionNotAllowed("案件已结案", code="wrong_state")
    if is_decision:
        _require_case(case, CaseStatus.DECIDED)
    penalty = Penalty.objects.filter(case=case).first()
    if is_decision and penalty and not document_no:
        document_no = penalty.decision_no
    svc = _create_service(actor=actor, case=case, document_title=document_title, document_no=document_no,
                          method=method, served_on=served_on, recipient=recipient, proof=proof, sent_on=sent_on,
                          proof_file=proof_file)
    served_on = svc.served_on
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    if is_decision and penalty is not None and penalty.service_due:
        acted_on = sent_on if method in (Service.Method.MAIL, Service.Method.ANNOUNCEMENT) and sent_on else served_on
        penalty.served_late, penalty.service_overdue = acted_on > penalty.service_due, False
        penalty.save(update_fields=["served_late", "service_overdue"])
    if is_decision:
        case.status = CaseStatus.SERVED
        if penalty is not None:
            _start_payment(penalty, served_on=served_on)
            penalty.save(update_fields=["payment_due", "payment_due_provisional"])
            if penalty.amount_due == 0:
                case.status = CaseStatus.EXECUTED
        else:
            case.status = CaseStatus.EXECUTED
    _save_case(case, before, actor=actor, action="enforcement.document.served",
               extra={"document": [None, svc.document_title], "method": [None, method]})
    return svc


@transaction.atomic
def payment_record(*, actor, case: Case, paid_on: dt.date, amount, receipt_no: str) -> Penalty:
    """Record payment of the fine; paid in full, the decision is executed."""
    case = _locked_case(case)
    _require_case(case, CaseStatus.SERVED)
    penalty = Penalty.objects.select_for_update().get(case=case)
    amount = Decimal(amount or 0)
    if amount <= 0:
        raise ValidationFailed("缴款金额须大于 0", field="amount")
    if penalty.paid_amount + amount > penalty.amount_due:
        raise ValidationFailed(f"缴款金额超过应缴罚没款 ¥{penalty.amount_due:,.2f}", field="amount")
    if not (receipt_no or "").strip():
        raise ValidationFailed("请填写缴款票据号", field="receipt_no")
    penalty.paid_amount += amount
    penalty.paid_on, penalty.receipt_no = paid_on, receipt_no.strip()
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    if penalty.paid_amount >= penalty.amount_due:
        penalty.payment_status = PaymentStatus.PAID if penalty.payment_status != PaymentStatus.ENFORCEMENT \
            else PaymentStatus.ENFORCED
        case.status = CaseStatus.EXECUTED
    penalty.save()
    _save_case(case, before, actor=actor, action="enforcement.penalty.paid", extra={"amount": [None, amount]})
    return penalty


@transaction.atomic
def enforcement_apply(*, actor, case: Case, on: dt.date | None = None, note: str = "") -> Penalty:
    """The party did not pay within the period: apply to the court for compulsory execution (申请强制执行)."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.SERVED)
    penalty = Penalty.objects.select_for_update().get(case=case)
    if penalty.payment_due is None or on <= penalty.payment_due:
        raise TransitionNotAllowed("缴款期限尚未届满，不能申请强制执行", code="payment_period_running")
    if penalty.payment_status == PaymentStatus.ENFORCEMENT:
        raise TransitionNotAllowed("已申请强制执行", code="wrong_state")
    penalty.payment_status, penalty.enforcement_applied_on = PaymentStatus.ENFORCEMENT, on
    penalty.enforcement_note = (note or "").strip()
    penalty.save()
    audit.record(actor=actor, action="enforcement.penalty.enforcement_applied", obj=penalty, unit=case.unit_id,
                 changes={"payment_status": [None, penalty.payment_status]})
    return penalty


@transaction.atomic
def case_close(*, actor, case: Case, note: str, on: dt.date | None = None) -> Case:
    """结案: the decision executed (or nothing to execute) and every seizure released or disposed of."""
    on = _today(on)
    case = _locked_case(case)
    _require_case(case, CaseStatus.EXECUTED)
    if case.seizures.filter(status__in=[Seizure.Status.ACTIVE, Seizure.Status.EXTENDED]).exists():
        raise TransitionNotAllowed("尚有未解除的查封扣押，不能结案", code="seizure_active")
    if not (note or "").strip():
        raise ValidationFailed("请填写结案意见", field="note")
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.status, case.closed_on, case.closing_note, case.closed_by = CaseStatus.CLOSED, on, note.strip(), \
        _user_or_none(actor)
    _save_case(case, before, actor=actor, action="enforcement.case.closed")
    return case


# --- the nightly clock sweep -------------------------------------------------------------------------------------------


def sweep_clocks(*, today: dt.date) -> dict[str, int]:
    """Set-based and idempotent: move the deadlines held by running pauses, fill deadlines the calendar now
    reaches, and set (or clear) the overdue flags of leads, cases, seizures and payments."""
    result = {"leads_reclocked": 0, "cases_reclocked": 0}
    with transaction.atomic():
        for lead in Lead.objects.select_for_update().filter(
                Q(clock_paused=True) | Q(filing_deadline__isnull=True) | Q(calendar_pending=True),
                status__in=[LeadStatus.NEW, LeadStatus.CHECKING]):
            old = (lead.filing_deadline, lead.paused_workdays, lead.calendar_pending)
            recompute_lead_clock(lead, today=today)
            if (lead.filing_deadline, lead.paused_workdays, lead.calendar_pending) != old:
                lead.save(update_fields=["filing_deadline", "paused_workdays", "clock_paused", "calendar_pending",
                                         "overdue"])
                result["leads_reclocked"] += 1
        for case in Case.objects.select_for_update().filter(
                Q(clock_paused=True) | Q(calendar_pending=True), status__in=OPEN_CASE_STATUSES):
            old = (case.decision_deadline, case.paused_days, case.calendar_pending)
            recompute_case_clock(case, today=today)
            if (case.decision_deadline, case.paused_days, case.calendar_pending) != old:
                case.save(update_fields=["decision_deadline", "paused_days", "clock_paused", "calendar_pending",
                                         "overdue"])
                result["cases_reclocked"] += 1
        running = ClockPause.objects.filter(seizure__isnull=False, ends_on__isnull=True).values("seizure_id")
        for seizure in Seizure.objects.select_for_update(of=("self",)).filter(
                status__in=[Seizure.Status.ACTIVE, Seizure.Status.EXTENDED], pk__in=running):
            old = seizure.ends_on
            recompute_seizure_clock(seizure, today=today)
            if seizure.ends_on != old:
                seizure.save(update_fields=["ends_on", "expired"])
                result["seizures_reclocked"] = result.get("seizures_reclocked", 0) + 1
        result["payment_deadlines_filled"] = fill_payment_deadlines()
        result["service_deadlines_filled"] = fill_service_deadlines()
        result["decisions_unserved"] = Penalty.objects.filter(
            case__status=CaseStatus.DECIDED, service_due__lt=today, service_overdue=False).update(service_overdue=True)
        Penalty.objects.filter(service_overdue=True).exclude(case__status=CaseStatus.DECIDED).update(
            service_overdue=False)
        open_leads = Q(status__in=[LeadStatus.NEW, LeadStatus.CHECKING], filing_deadline__lt=today)
        result["leads_overdue"] = Lead.objects.filter(open_leads, overdue=False).update(overdue=True)
        Lead.objects.filter(overdue=True).exclude(open_leads).update(overdue=False)
        late = Q(status__in=OPEN_CASE_STATUSES, decision_deadline__lt=today)
        result["cases_overdue"] = Case.objects.filter(late, overdue=False).update(overdue=True)
        result["cases_cleared"] = Case.objects.filter(overdue=True).exclude(late).update(overdue=False)
        active = [Seizure.Status.ACTIVE, Seizure.Status.EXTENDED]
        result["seizures_expired"] = Seizure.objects.filter(status__in=active, ends_on__lt=today,
                                                            expired=False).update(expired=True)
        result["payments_overdue"] = Penalty.objects.filter(payment_status=PaymentStatus.PENDING,
                                                            payment_due__lt=today).update(
            payment_status=PaymentStatus.OVERDUE)
    return result


def sweep_clocks_naive(*, today: dt.date) -> int:
    """The row-by-row baseline of the benchmark: recompute and save every open case's clock and flag."""
    count = 0
    with transaction.atomic():
        for case in Case.objects.filter(status__in=OPEN_CASE_STATUSES):
            recompute_case_clock(case, today=today)
            case.save(update_fields=["decision_deadline", "paused_days", "clock_paused", "calendar_pending",
                                     "overdue"])
            count += 1
    return count
