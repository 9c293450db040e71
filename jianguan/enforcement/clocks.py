"""Explanations of the enforcement clocks (``deadline_explained``): the start event and date, the days, what was
excluded and why, the article. Read by the lead and case pages and the API; the arithmetic itself stays in
``services`` (``lead_clock``, ``case_clock``) so that the explanation and the deadline can never disagree."""

from __future__ import annotations

from jianguan.core import workdays
from jianguan.core.rules import RULES, rule

from .models import OPEN_CASE_STATUSES, Case, CaseStatus, Lead, PaymentStatus, Penalty

PROVISIONAL = "暂定：期限跨入尚未录入节假日安排的年度，暂按该年无节假日计算，录入后由每日作业重算"

PAUSE_BASIS = {
    "lead": "《市场监督管理行政处罚程序规定》第十八条第二款",
    "case": "《市场监督管理行政处罚程序规定》第六十四条第二款",
}


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "负责人"


def _exclusions(pauses, *, unit: str, basis: str, today) -> tuple[workdays.Exclusion, ...]:
    out = []
    for p in pauses:
        end = p.ends_on or max(today, p.starts_on)
        try:
            days = (workdays.workdays_between(p.starts_on, end) if unit == "workdays"
                    else (end - p.starts_on).days)
        except workdays.CalendarUnknown:
            days = 0
        out.append(workdays.Exclusion(reason=f"{p.get_reason_display()}（{basis}：不计入）", starts_on=p.starts_on,
                                      ends_on=p.ends_on, days=max(days, 0), unit=unit,
                                      evidence=getattr(p, "evidence_ref", "") or p.note))
    return tuple(out)


def lead_deadline_explained(lead: Lead, *, today=None) -> workdays.Explanation | None:
    """The filing-decision clock of a lead (Order 2 art. 18)."""
    if not lead.is_open:
        return None
    from django.utils import timezone

    today = today or timezone.localdate()
    extensions = ()
    if lead.extended:
        when = f"于{lead.extension_approved_on:%Y-%m-%d}" if lead.extension_approved_on else ""
        extensions = ((int(rule("enforcement.lead_extension_days", on=lead.discovered_on)),
                       f"经负责人{_name(lead.extension_approved_by)}{when}批准"),)
    event = "收到举报" if lead.source_kind == "report" else "发现线索或者收到材料"
    return workdays.Explanation(
        what="立案决定期限", start_event=event, start_on=lead.discovered_on,
        days=int(rule("enforcement.lead_filing_days", on=lead.discovered_on)), unit="workdays",
        article=RULES["enforcement.lead_filing_days"].source, due_on=lead.filing_deadline, extensions=extensions,
        exclusions=_exclusions(lead.pauses.all(), unit="workdays", basis=PAUSE_BASIS["lead"], today=today),
        notes=(("举报核查期间已经负责人批准延长，转为线索后延续该延长",) if lead.extended and lead.source_kind == "report"
               and lead.extension_approved_on and lead.extension_approved_on < lead.created_at.date() else ())
        + ((PROVISIONAL,) if getattr(lead, "calendar_pending", False) else ()))


def case_deadline_explained(case: Case, *, today=None) -> workdays.Explanation | None:
    """The clock that runs now on ``case``: the decision clock while open; then the service of the decision; then
    payment."""
    from django.utils import timezone

    today = today or timezone.localdate()
    if case.status in OPEN_CASE_STATUSES:
        extensions = []
        if case.extended:
            when = f"于{case.extension_approved_on:%Y-%m-%d}" if case.extension_approved_on else ""
            extensions.append((int(rule("enforcement.decision_extension_days", on=case.filed_on)),
                               f"经负责人{_name(case.extension_approved_by)}{when}批准"))
        if case.collective_extension_days:
            extensions.append((case.collective_extension_days,
                               f"经负责人集体讨论（{case.collective_decision_no}）决定"))
        exclusions = _exclusions(case.pauses.all(), unit="days", basis=PAUSE_BASIS["case"], today=today)
        total = int(rule("enforcement.decision_days", on=case.filed_on)) + sum(d for d, _ in extensions) \
            + sum(e.days for e in exclusions)
        return workdays.Explanation(
            what="处理决定期限", start_event="立案", start_on=case.filed_on,
            days=int(rule("enforcement.decision_days", on=case.filed_on)), unit="days",
            article=RULES["enforcement.decision_days"].source, due_on=case.decision_deadline,
            extensions=tuple(extensions), exclusions=exclusions,
            notes=workdays.rolled_note(case.filed_on, total, case.decision_deadline)
            + ((PROVISIONAL,) if case.calendar_pending else ()))
    try:
        penalty = case.penalty  # no query when the caller selected it (the deadline board)
    except Penalty.DoesNotExist:
        return None
    service = getattr(penalty, "service_due", None)
    if case.status == CaseStatus.DECIDED and service is not None:
        return workdays.Explanation(
            what="处罚决定书送达期限（当事人不在场）", start_event="作出行政处罚决定", start_on=penalty.decided_on,
            days=int(rule("enforcement.decision_service_workdays", on=penalty.decided_on)), unit="workdays",
            article=RULES["enforcement.decision_service_workdays"].source, due_on=service,
            notes=("当事人在场的，宣告后当场交付",
                   "缴纳罚款的期限自当事人收到行政处罚决定书之日起计算（送达后起算，"
                   f"{int(rule('enforcement.payment_days', on=penalty.decided_on))} 日，行政处罚法第六十七条第三款）")
            + ((PROVISIONAL,) if getattr(penalty, "service_due_provisional", False) else ()))
    if case.status == CaseStatus.SERVED and penalty.payment_status in (PaymentStatus.PENDING, PaymentStatus.OVERDUE):
        served = max((s.served_on for s in case.services.all() if s.document_no == penalty.decision_no),
                     default=None)  # read from the prefetched services on the board
        if served is None:
            return None
        days = int(rule("enforcement.payment_days", on=served))
        return workdays.Explanation(
            what="缴纳罚款期限", start_event="收到行政处罚决定书（送达）", start_on=served, days=days, unit="days",
            article=RULES["enforcement.payment_days"].source, due_on=penalty.payment_due,
            notes=workdays.rolled_note(served, days, penalty.payment_due)
            + ((PROVISIONAL,) if getattr(penalty, "payment_due_provisional", False) else ()))
    return None


def seizure_explained(seizure, *, today=None) -> workdays.Explanation:
    """30 days (+30) from the decision, the testing/inspection/quarantine/appraisal time not counted (行政强制法
    第二十五条), rolled past rest days."""
    from django.utils import timezone

    today = today or timezone.localdate()
    days = int(rule("enforcement.seizure_days", on=seizure.decided_on))
    extensions = ()
    if seizure.extended:
        extensions = ((int(rule("enforcement.seizure_extension_days", on=seizure.decided_on)),
                       f"经负责人{_name(seizure.extension_approved_by)}批准"),)
    exclusions = _exclusions(seizure.pauses.all(), unit="days", basis="行政强制法第二十五条第三款", today=today)
    total = days + sum(d for d, _ in extensions) + sum(e.days for e in exclusions)
    return workdays.Explanation(
        what=f"{seizure.get_measure_display()}期限", start_event=f"作出{seizure.get_measure_display()}决定",
        start_on=seizure.decided_on, days=days, unit="days", article=RULES["enforcement.seizure_days"].source,
        due_on=seizure.ends_on, extensions=extensions, exclusions=exclusions,
        notes=workdays.rolled_note(seizure.decided_on, total, seizure.ends_on))


def case_clocks_explained(case: Case, *, today=None) -> list[workdays.Explanation]:
    """Every other clock running on the case: the party's reply period (from the notice's service), the earliest
    hearing date (from the hearing notice's service), the seizures."""
    from django.utils import timezone

    today = today or timezone.localdate()
    out = []
    notice = case.notices.order_by("-id").first() if case.status in (CaseStatus.NOTIFIED, CaseStatus.HEARING) else None
    if notice is not None and notice.served_on:
        out.append(workdays.Explanation(
            what="陈述、申辩和要求听证的期限", start_event="行政处罚事先告知书送达", start_on=notice.served_on,
            days=int(rule("enforcement.reply_workdays", on=notice.served_on)), unit="workdays",
            article=RULES["enforcement.reply_workdays"].source, due_on=notice.reply_deadline))
    if case.status == CaseStatus.HEARING:
        hearing = case.hearings.order_by("-id").first()
        if hearing is not None and hearing.notice_served_on:
            out.append(workdays.Explanation(
                what="最早可举行听证的日期", start_event="听证通知书送达", start_on=hearing.notice_served_on,
                days=int(rule("enforcement.hearing_notice_workdays", on=hearing.notice_served_on)), unit="workdays",
                article=RULES["enforcement.hearing_notice_workdays"].source, due_on=hearing.earliest_on,
                notes=(f"已定于 {hearing.scheduled_on:%Y-%m-%d} 举行",) if hearing.scheduled_on else ()))
    for seizure in case.seizures.all():
        if seizure.is_active:
            out.append(seizure_explained(seizure, today=today))
    return out
