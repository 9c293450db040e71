"""Explanations of the list clocks (``deadline_explained``): the listing period, the removal period, the three
years on the abnormal list and the serious-list term — start event and date, length, article. Pure computations on
the entry's own fields (no queries), so list pages and the API can show them for every row."""

from __future__ import annotations

import datetime as dt

from jianguan.core import workdays
from jianguan.core.rules import RULES, rule

from .models import EntryStatus, Ground, ListEntry, ListKind

LISTING_EVENTS = {
    Ground.REPORT_NOT_FILED: "年度报告报送期截止（6月30日）",
    Ground.INSTANT_NOT_PUBLISHED: "责令公示的期限届满",
    Ground.FALSE_INFORMATION: "查实公示信息隐瞒真实情况、弄虚作假",
    Ground.UNREACHABLE: "查实通过登记的住所或者经营场所无法联系",
}


def listing_explained(entry: ListEntry) -> workdays.Explanation | None:
    """Was the entry listed in time: 10 working days from the start day of its ground."""
    if entry.list_kind == ListKind.SERIOUS or entry.ground not in LISTING_EVENTS:
        return None
    from .services import listing_start

    start = listing_start(entry.ground, entry.ground_arose_on)
    notes = []
    if start != entry.ground_arose_on:
        notes.append(f"事由于 {entry.ground_arose_on:%Y-%m-%d} 发生，以前一日（期限届满之日）为起算日，"
                     f"第1个工作日即 {entry.ground_arose_on:%Y-%m-%d} 起的首个工作日")
    if entry.listed_on and entry.listing_due_on and entry.listed_on > entry.listing_due_on:
        notes.append(f"实际列入日期 {entry.listed_on:%Y-%m-%d} 晚于期限")
    return workdays.Explanation(
        what="列入经营异常名录期限", start_event=LISTING_EVENTS[entry.ground], start_on=start,
        days=int(rule("credit.abnormal.listing_workdays", on=start)), unit="workdays",
        article=RULES["credit.abnormal.listing_workdays"].source, due_on=entry.listing_due_on, notes=tuple(notes))


def removal_explained(entry: ListEntry) -> workdays.Explanation | None:
    if entry.removal_requested_on is None or entry.list_kind == ListKind.SERIOUS:
        return None
    event = "收到移出申请" if entry.removal_requested_how == "application" else "查实列入事由已消除"
    notes = ()
    if entry.removed_on:
        notes = (f"已于 {entry.removed_on:%Y-%m-%d} 移出",)
    return workdays.Explanation(
        what="移出经营异常名录期限", start_event=event, start_on=entry.removal_requested_on,
        days=int(rule("credit.abnormal.removal_workdays", on=entry.removal_requested_on)), unit="workdays",
        article=RULES["credit.abnormal.removal_workdays"].source, due_on=entry.removal_due_on, notes=notes)


def term_explained(entry: ListEntry) -> workdays.Explanation | None:
    """Serious list: the term (removed the day after its last day). Abnormal list: the three years after which the
    entity is proposed for the serious list (the day after the third anniversary)."""
    if entry.status != EntryStatus.ACTIVE or entry.listed_on is None:
        return None
    if entry.list_kind == ListKind.SERIOUS:
        years = int(rule("credit.serious.term_years", on=entry.listed_on))
        last = entry.term_ends_on or workdays.anniversary(entry.listed_on, years=years)
        return workdays.Explanation(
            what="严重违法失信名单列入期限", start_event="作出列入决定", start_on=entry.listed_on, days=years,
            unit="years", article=f"{RULES['credit.serious.term_years'].source}；《民法典》第二百零一条、第二百零二条",
            due_on=last, notes=(f"{last:%Y-%m-%d} 当日仍在列入期内，{last + dt.timedelta(days=1):%Y-%m-%d} 移出",))
    if entry.list_kind == ListKind.ABNORMAL:
        years = int(rule("credit.abnormal.serious_after_years", on=entry.listed_on))
        last = workdays.anniversary(entry.listed_on, years=years)
        reminder = last - dt.timedelta(days=int(rule("credit.abnormal.serious_reminder_days", on=entry.listed_on)))
        return workdays.Explanation(
            what=f"列入经营异常名录届满{years}年", start_event="作出列入决定", start_on=entry.listed_on, days=years,
            unit="years",
            article=f"{RULES['credit.abnormal.serious_after_years'].source}；《民法典》第二百零一条、第二百零二条",
            due_on=last,
            notes=(f"{reminder:%Y-%m-%d} 公告提醒；{last:%Y-%m-%d} 为届满日（当日仍在列入期内），"
                   f"仍未履行义务的于 {last + dt.timedelta(days=1):%Y-%m-%d} 提请列入严重违法失信名单",))
    return None


def deadline_explained(entry: ListEntry) -> workdays.Explanation | None:
    """The clock that runs now: removal once requested, else the term; the listing period of a fresh entry."""
    if entry.status == EntryStatus.ACTIVE and entry.removal_requested_on:
        return removal_explained(entry)
    return term_explained(entry) or listing_explained(entry)


def all_explained(entry: ListEntry) -> list[workdays.Explanation]:
    return [e for e in (listing_explained(entry), removal_explained(entry), term_explained(entry)) if e is not None]
