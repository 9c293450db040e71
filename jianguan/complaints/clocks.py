"""The explanation of a complaint's or report's running clock (``deadline_explained``): what starts it, on which
date, how many working days, what time does not count and why, and the article (SAMR Order 20; SAMR Order 2 art. 18
for the report check). Shown on the workbench page and returned by the API."""

from __future__ import annotations

from jianguan.core import workdays
from jianguan.core.rules import RULES, rule

from .models import Complaint, Kind, Status


def _article(key: str) -> str:
    return RULES[key].source


PROVISIONAL = "暂定：期限跨入尚未录入节假日安排的年度，暂按该年无节假日计算，录入后由每日作业重算"


def deadline_explained(c: Complaint) -> workdays.Explanation | None:
    """The explanation of the clock ``next_deadline`` names, or None when no clock runs."""
    explanation = _explained(c)
    if explanation is not None and c.calendar_pending and c.status in (Status.RECEIVED, Status.VERIFYING,
                                                                        Status.ACCEPTED):
        from dataclasses import replace

        explanation = replace(explanation, notes=explanation.notes + (PROVISIONAL,))
    return explanation


def _explained(c: Complaint) -> workdays.Explanation | None:
    due = c.next_deadline()
    if due is None:
        return None
    if c.status == Status.RECEIVED and c.kind == Kind.COMPLAINT:
        return workdays.Explanation(
            what="受理决定期限", start_event="收到投诉", start_on=c.received_on,
            days=int(rule("complaints.accept_days", on=c.received_on)), unit="workdays",
            article=_article("complaints.accept_days"), due_on=c.accept_due,
            notes=("转办不重新起算，自最初收到之日连续计算",) if list(c.transfers.all()) else ())  # prefetched on lists
    if c.status in (Status.RECEIVED, Status.VERIFYING) and c.kind == Kind.REPORT:
        extensions = ()
        if c.check_extended:
            who = c.check_extension_approved_by
            name = (who.get_full_name() or who.get_username()) if who else "负责人"
            extensions = ((int(rule("complaints.report_check_extension_days", on=c.received_on)),
                           f"经负责人{name}于{c.check_extension_approved_on or ''}批准"),)
        return workdays.Explanation(
            what="举报核查（决定是否立案）期限", start_event="收到举报", start_on=c.received_on,
            days=int(rule("complaints.report_check_days", on=c.received_on)), unit="workdays",
            article=_article("complaints.report_check_days"), due_on=c.check_due, extensions=extensions)
    if c.status == Status.ACCEPTED:
        exclusions = []
        for p in c.pauses.all():
            try:
                days = workdays.workdays_between(p.starts_on, p.ends_on) if p.ends_on else None
            except workdays.CalendarUnknown:
                days = None
            exclusions.append(workdays.Exclusion(
                reason=f"{p.get_reason_display()}（《市场监督管理投诉举报处理暂行办法》第二十条：所需时间不计算在调解期限内）",
                starts_on=p.starts_on, ends_on=p.ends_on, days=days if days is not None else 0, evidence=p.evidence))
        return workdays.Explanation(
            what="调解期限", start_event="受理投诉", start_on=c.decided_on,
            days=int(rule("complaints.mediation_days", on=c.decided_on)), unit="workdays",
            article=_article("complaints.mediation_days"), due_on=c.mediation_due, exclusions=tuple(exclusions),
            notes=("检定、检验、检测、鉴定尚未结束：期限暂停，每日顺延",) if c.mediation_paused else ())
    if c.status in (Status.AGREED, Status.TERMINATED):
        return workdays.Explanation(
            what="告知投诉人和被投诉人期限", start_event="作出终止调解决定" if c.status == Status.TERMINATED else "达成调解协议",
            start_on=c.ended_on, days=int(rule("complaints.notify_days", on=c.ended_on)), unit="workdays",
            article=_article("complaints.notify_days"), due_on=c.notify_due)
    if c.status in (Status.LEAD, Status.DISMISSED):
        from .services import reporter_clock_explained

        decided_on, event = reporter_clock_explained(c)
        if decided_on is None:
            return None
        return workdays.Explanation(
            what="告知实名举报人期限", start_event=event, start_on=decided_on,
            days=int(rule("complaints.reporter_notify_days", on=decided_on)), unit="workdays",
            article=_article("complaints.reporter_notify_days"), due_on=c.reporter_notify_due,
            notes=("自执法部门作出是否立案决定之日起计算，不以系统发现之日起算",) if c.status == Status.LEAD else ())
    return None
