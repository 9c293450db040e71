"""Writes of credit supervision: annual reports, instant information, the two lists, credit repair.

Each service is atomic, writes its audit entry in the same transaction, refuses with the rule it breaks (nothing
changed), and schedules the risk recomputation of the entities it touched for after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from jianguan.core import audit, bulk, sequences, workdays
from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule
from jianguan.registry.masking import mask_address, mask_phone, redact_changes
from jianguan.registry.models import Entity, EntityKind, EntityStatus

from . import periods, risk
from .models import (
    ABNORMAL_GROUNDS,
    FINANCIAL_FIELDS,
    SERIOUS_GROUNDS,
    AnnualReport,
    EntryStatus,
    Ground,
    InstantInfo,
    ListEntry,
    ListKind,
    Notice,
    RepairApplication,
    RepairKind,
    RepairStatus,
)

log = logging.getLogger("jianguan.credit")

REPORT_FIELDS = ("address", "postal_code", "phone", "email", "operating_status", "employees", *FINANCIAL_FIELDS,
                 "insured_employees", "websites", "investments", "guarantees", "public_employees",
                 "public_financials", "public_guarantees")
#: The report's personal fields, encrypted at rest (#14): masked in the audit log, which is kept in clear.
REPORT_PERSONAL_MASKS = {"phone": mask_phone, "address": mask_address}


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- document numbers and notices -----------------------------------------------------------------------------------

DOC_WORDS = {"abnormal": "异", "abnormal_status": "异", "serious": "严", "repair": "修"}


def deciding_unit(entity: Entity) -> OrgUnit:
    """The district/county bureau that decides on ``entity``: its registration authority, else its unit's district."""
    return deciding_unit_of(entity.unit, entity.registration_authority)


def deciding_unit_of(unit: OrgUnit, registration_authority: OrgUnit | None) -> OrgUnit:
    """``deciding_unit`` from an entity's unit and registration authority (``unit.parent`` loaded by the caller when
    deciding for many)."""
    for candidate in (registration_authority, unit):
        if candidate is not None and candidate.kind == OrgUnit.Kind.DISTRICT:
            return candidate
    district = unit.district()
    if district is not None:
        return district
    return registration_authority


def format_doc_no(unit: OrgUnit, word: str, year: int, number: int) -> str:
    return f"{unit.doc_prefix or unit.short_name or unit.name}{word}〔{year}〕{number}号"


def next_doc_no(unit: OrgUnit, word: str, year: int) -> str:
    """The next number of the unit's series, e.g. 平市监异〔2026〕12号 (gap-free, in the caller's transaction)."""
    return format_doc_no(unit, word, year, sequences.next_value(f"doc:{unit.code}:{word}:{year}"))


def send_notice(*, entity: Entity, kind: str, title: str, body: str, sent_on: dt.date, doc_no: str = "",
                is_public: bool = False, list_entry: ListEntry | None = None,
                repair: RepairApplication | None = None) -> Notice:
    """Record a notice to ``entity`` and, after the commit, text it to the entity's phone."""
    notice = Notice.objects.create(entity=entity, kind=kind, title=title, body=body, sent_on=sent_on, doc_no=doc_no,
                                   is_public=is_public, list_entry=list_entry, repair=repair)
    _dispatch_after_commit([notice])
    return notice


def _dispatch_after_commit(notices: list[Notice]) -> None:
    """Text each notice to the entity's phone once the decision has committed (``core.notify``; the gateway is
    the bureau's SMS backend). The ``Notice`` row is the legal record; a failed SMS is logged by ``notify``."""
    if notices:
        # a generator: the phones are read after the commit, when the texts go out
        _text_after_commit((n.entity.phone, f"【{n.title}】{n.body}") for n in notices)


def _text_after_commit(messages: Iterable[tuple[str, str]], *, encrypted: bool = False) -> None:
    """Queue each (phone, text) for SMS in the caller's transaction (``core.notify.queue_sms``): a few go out when it
    commits, a batch (the July listing's) through the outbox at the gateway's pace; an entity without a phone is
    skipped. ``encrypted``: the phones as stored in the entity's column, queued without decrypting them."""
    from jianguan.core import notify

    notify.queue_sms(messages, source="credit", encrypted=encrypted)


# --- annual reports -------------------------------------------------------------------------------------------------


def _clean_report_data(data: dict) -> dict:
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise ValidationFailed(f"年度报告没有这些项目：{'、'.join(sorted(unknown))}")
    problems = []
    if not (data.get("address") or "").strip():
        problems.append({"field": "address", "message": "通信地址不能为空"})
    if not (data.get("phone") or "").strip():
        problems.append({"field": "phone", "message": "联系电话不能为空"})
    for f in FINANCIAL_FIELDS:
        value = data.get(f)
        if value is not None and f in ("total_assets", "total_liabilities", "revenue", "tax") and Decimal(value) < 0:
            problems.append({"field": f, "message": f"{AnnualReport._meta.get_field(f).verbose_name}不能为负数"})
    if (data.get("insured_employees") or 0) > (data.get("employees") or 0):
        problems.append({"field": "insured_employees", "message": "参保人数不能多于从业人数"})
    if problems:
        raise ValidationFailed("年度报告填报有误：" + "；".join(p["message"] for p in problems), details=problems)
    return data


def _check_can_report(entity: Entity, year: int, today: dt.date) -> None:
    if entity.status != EntityStatus.ACTIVE:
        raise DomainError(f"主体登记状态为「{entity.get_status_display()}」，无需也不能报送年度报告")
    if not periods.must_report(kind=entity.kind, established_on=entity.established_on, report_year=year):
        first = periods.first_report_year(entity.established_on)
        raise DomainError(f"该主体成立于{entity.established_on:%Y年%m月%d日}，自{first}年度起报送年度报告"
                          f"（当年设立登记的主体，自下一年起报送），不能报送{year}年度报告", field="year")
    start, _end = periods.window(year)
    if today < start:
        raise DomainError(f"{year}年度报告的报送期为{start:%Y年%m月%d日}起（每年1月1日至6月30日报送上一年度报告），"
                          f"今天（{today:%Y年%m月%d日}）不在报送期内", field="year")


@transaction.atomic
def report_file(*, actor, entity: Entity, year: int, data: dict, today: dt.date | None = None) -> AnnualReport:
    """File ``entity``'s annual report for ``year`` (first filing). After 30 June it is a late filing (逾期补报),
    which cures a listing for not filing that year's report."""
    today = _today(today)
    entity = Entity.objects.select_for_update(of=("self",)).select_related("unit", "registration_authority").get(pk=entity.pk)
    _check_can_report(entity, year, today)
    if AnnualReport.objects.filter(entity=entity, year=year).exists():
        raise DomainError(f"{year}年度报告已报送，不能重复报送；6月30日前可提交更正", code="already_filed")
    data = _clean_report_data(data)
    _start, end = periods.window(year)
    report = AnnualReport(entity=entity, year=year, version=1, is_current=True, filed_on=today,
                          filed_by=actor if getattr(actor, "is_authenticated", False) else None,
                          late=today > end, **data)
    report.save()
    audit.record(actor=actor, action="credit.report.filed", obj=report, unit=entity.unit,
                 changes={"year": [None, year], "late": [None, report.late],
                          "financials_all_zero": [None, report.financials_all_zero]})
    if report.late:
        _cure_report_listings(entity=entity, year=year, today=today)
    risk.schedule([entity.pk], on=today)
    return report


@transaction.atomic
def report_correct(*, actor, entity: Entity, year: int, data: dict, today: dt.date | None = None) -> AnnualReport:
    """Correct a filed report before the window closes: a new version; the old one stays as history."""
    today = _today(today)
    entity = Entity.objects.select_for_update(of=("self",)).select_related("unit").get(pk=entity.pk)
    current = AnnualReport.objects.filter(entity=entity, year=year, is_current=True).first()
    if current is None:
        raise DomainError(f"{year}年度报告尚未报送，不能更正；请先报送", code="not_filed")
    _start, end = periods.window(year)
    if today > end:
        raise DomainError(f"年度报告的更正须在报送期截止（{end:%Y年%m月%d日}）前提交，现已逾期，不能更正",
                          code="correction_closed")
    data = _clean_report_data(data)
    before = audit.snapshot(current, REPORT_FIELDS)
    current.is_current = False
    current.save(update_fields=["is_current"])
    report = AnnualReport(entity=entity, year=year, version=current.version + 1, is_current=True, filed_on=today,
                          filed_by=actor if getattr(actor, "is_authenticated", False) else None,
                          late=current.late, **data)
    report.save()
    audit.record(actor=actor, action="credit.report.corrected", obj=report, unit=entity.unit,
                 changes={"version": [current.version, report.version],
                          **redact_changes(audit.diff(before, audit.snapshot(report, REPORT_FIELDS)),
                                           REPORT_PERSONAL_MASKS)})
    risk.schedule([entity.pk], on=today)
    return report


def non_filers(year: int):
    """Active entities that had to file the report for ``year`` and have not (a queryset, set-based)."""
    on = dt.date(year + 1, 1, 1)
    kinds = list(rule("credit.report.required_kinds", on=on))
    offset = int(rule("credit.report.first_year_offset", on=on))
    filed = AnnualReport.objects.filter(entity=OuterRef("pk"), year=year, is_current=True)
    return (Entity.objects.filter(status=EntityStatus.ACTIVE, kind__in=kinds,
                                  established_on__lt=dt.date(year - offset + 1, 1, 1))
            .filter(~Exists(filed)))


@transaction.atomic
def report_remind(*, actor, entities, year: int, today: dt.date | None = None) -> int:
    """Send a reminder to each of ``entities`` (a queryset already limited to the actor's scope) that has not
    filed ``year``'s report. A second click on the same day sends nothing new."""
    today = _today(today)
    _start, end = periods.window(year)
    reminded_today = Notice.objects.filter(entity=OuterRef("pk"), kind=Notice.Kind.REPORT_REMINDER, sent_on=today)
    targets = list(entities.filter(pk__in=non_filers(year).values("pk")).filter(~Exists(reminded_today))
                   .only("pk", "name", "phone"))
    body = (f"请于{end:%Y年%m月%d日}前通过国家企业信用信息公示系统报送{year}年度报告。逾期未报送的，将依法列入经营异常名录"
            "（个体工商户标记为经营异常状态）。")
    notices = Notice.objects.bulk_create(
        [Notice(entity=e, kind=Notice.Kind.REPORT_REMINDER, title=f"{year}年度报告催报提醒", body=body,
                sent_on=today) for e in targets], batch_size=2000)
    _dispatch_after_commit(notices)
    audit.record(actor=actor, action="credit.report.reminded", object_type="credit.annualreport",
                 object_repr=f"{year}年度报告催报", unit=getattr(getattr(actor, "profile", None), "unit", None),
                 changes={"year": [None, year], "count": [None, len(targets)]})
    return len(targets)


# --- instant information --------------------------------------------------------------------------------------------


@transaction.atomic
def instant_info_record(*, actor, entity: Entity, kind: str, content: str, arose_on: dt.date) -> InstantInfo:
    """Record an item of instant information; its 20-working-day publication clock starts the day after it arose."""
    if kind not in InstantInfo.Kind.values:
        raise ValidationFailed(f"即时信息类别「{kind}」无效", field="kind")
    if not content.strip():
        raise ValidationFailed("信息内容不能为空", field="content")
    due = workdays.add_workdays(arose_on, int(rule("credit.instant.publish_workdays", on=arose_on)))
    info = InstantInfo.objects.create(entity=entity, kind=kind, content=content.strip(), arose_on=arose_on, due_on=due)
    audit.record(actor=actor, action="credit.instant.recorded", obj=info, unit=entity.unit,
                 changes={"kind": [None, kind], "arose_on": [None, arose_on], "due_on": [None, due]})
    return info


@transaction.atomic
def instant_info_publish(*, actor, info: InstantInfo, today: dt.date | None = None) -> InstantInfo:
    """Publish an item; publishing cures a listing for not publishing it."""
    today = _today(today)
    info = InstantInfo.objects.select_for_update(of=("self",)).select_related("entity__unit").get(pk=info.pk)
    if info.published_on:
        return info  # a second click does no harm
    info.published_on = today
    info.save(update_fields=["published_on"])
    audit.record(actor=actor, action="credit.instant.published", obj=info, unit=info.entity.unit,
                 changes={"published_on": [None, today], "late": [None, today > info.due_on]})
    for entry in ListEntry.objects.filter(entity=info.entity, instant_info=info, status=EntryStatus.ACTIVE):
        _remove_entry(actor="system", entry=entry, today=today, reason="已履行即时信息公示义务")
    risk.schedule([info.entity_id], on=today)
    return info


@transaction.atomic
def instant_info_order(*, actor, info: InstantInfo, today: dt.date | None = None) -> InstantInfo:
    """Order the entity to publish an overdue item within the ordered period (责令限期公示)."""
    today = _today(today)
    info = InstantInfo.objects.select_for_update(of=("self",)).select_related("entity__unit").get(pk=info.pk)
    if info.published_on:
        raise TransitionNotAllowed("该即时信息已公示，无需责令公示")
    if today <= info.due_on:
        raise DomainError(f"即时信息应自形成之日起20个工作日内公示（至{info.due_on:%Y年%m月%d日}），期限未届满，不能责令")
    if info.ordered_on:
        return info
    days = int(rule("credit.instant.order_days", on=today))
    info.ordered_on, info.order_due_on = today, workdays.period_end(today, days)
    info.save(update_fields=["ordered_on", "order_due_on"])
    send_notice(entity=info.entity, kind=Notice.Kind.INSTANT_ORDER, title="责令限期公示通知", sent_on=today,
                body=f"你单位未按规定公示{info.get_kind_display()}信息，请于{info.order_due_on:%Y年%m月%d日}前公示；"
                     "逾期未公示的，将列入经营异常名录。")
    audit.record(actor=actor, action="credit.instant.ordered", obj=info, unit=info.entity.unit,
                 changes={"order_due_on": [None, info.order_due_on]})
    return info


# --- abnormal operation list ----------------------------------------------------------------------------------------


def _list_kind_for(entity: Entity, ground: str, on: dt.date) -> str | None:
    """Individual businesses that did not file are marked 经营异常状态 instead of being listed (rule)."""
    if entity.kind == EntityKind.INDIVIDUAL and ground == Ground.REPORT_NOT_FILED:
        handling = rule("credit.report.individual_handling", on=on)
        if handling == "none":
            return None
        return ListKind.ABNORMAL if handling == "list" else ListKind.ABNORMAL_STATUS
    return ListKind.ABNORMAL


# Grounds that arise when a period runs out: the listing period counts from that period's last day (the start day,
# not counted), so day 1 is the first day of default — 30 June for the annual report (day 1 = 1 July), the last day
# of the ordered period for instant information. The other grounds count from the day the facts are verified.
EXPIRY_GROUNDS = (Ground.REPORT_NOT_FILED, Ground.INSTANT_NOT_PUBLISHED)


def listing_start(ground: str, arose_on: dt.date) -> dt.date:
    """The start day (not counted) of the 10-working-day listing period for a ground that arose on ``arose_on``."""
    return arose_on - dt.timedelta(days=1) if ground in EXPIRY_GROUNDS else arose_on


def _listing_due(arose_on: dt.date, ground: str = Ground.UNREACHABLE) -> dt.date | None:
    start = listing_start(ground, arose_on)
    try:
        return workdays.add_workdays(start, int(rule("credit.abnormal.listing_workdays", on=start)))
    except workdays.CalendarUnknown:
        return None


def removal_due(start: dt.date) -> dt.date | None:
    try:
        return workdays.add_workdays(start, int(rule("credit.abnormal.removal_workdays", on=start)))
    except workdays.CalendarUnknown:
        return None


def start_removal_clock(entry: ListEntry, *, on: dt.date, how: str) -> None:
    """The 5-working-day removal clock from the application or from finding the cause cured (first one wins)."""
    if entry.removal_requested_on is None and entry.list_kind != ListKind.SERIOUS:
        entry.removal_requested_on, entry.removal_requested_how = on, how
        entry.removal_due_on = removal_due(on)


@transaction.atomic
def list_cure_found(*, actor, entry: ListEntry, note: str, today: dt.date | None = None) -> ListEntry:
    """Record that the cause of an abnormal listing is found cured (e.g. the entity is reachable again at its
    registered address): removal is due within 5 working days of this finding."""
    today = _today(today)
    entry = ListEntry.objects.select_for_update(of=("self",)).select_related("deciding_unit").get(pk=entry.pk)
    if entry.status != EntryStatus.ACTIVE or entry.list_kind == ListKind.SERIOUS:
        raise TransitionNotAllowed("只有处于列入状态的经营异常名录记录才能登记事由已消除")
    if not (note or "").strip():
        raise ValidationFailed("请写明查实的情况", field="note")
    before = entry.removal_due_on
    start_removal_clock(entry, on=today, how="cure_found")
    entry.save(update_fields=["removal_requested_on", "removal_requested_how", "removal_due_on"])
    audit.record(actor=actor, action="credit.list.cure_found", obj=entry, unit=entry.deciding_unit,
                 changes={"removal_due_on": [before, entry.removal_due_on], "note": [None, note.strip()]})
    return entry


@transaction.atomic
def list_enter(*, actor, entity: Entity, ground: str, facts: str = "", today: dt.date | None = None,
               ground_arose_on: dt.date | None = None, report_year: int | None = None,
               instant_info: InstantInfo | None = None) -> ListEntry:
    """Decide to list ``entity`` on the abnormal operation list on ``ground`` (经营异常名录列入决定)."""
    today = _today(today)
    if ground not in ABNORMAL_GROUNDS:
        raise ValidationFailed(f"「{Ground(ground).label if ground in Ground.values else ground}」不是列入经营异常名录的事由"
                               "（四项事由：未按期报送年报、未按责令期限公示即时信息、公示信息弄虚作假、住所无法联系）",
                               field="ground")
    entity = Entity.objects.select_for_update(of=("self",)).select_related("unit", "registration_authority").get(pk=entity.pk)
    if entity.status != EntityStatus.ACTIVE:
        raise DomainError(f"主体登记状态为「{entity.get_status_display()}」，不能列入经营异常名录")
    list_kind = _list_kind_for(entity, ground, today)
    if list_kind is None:
        raise DomainError("按规则 credit.report.individual_handling（取值 none），个体工商户未报年报不作经营异常处理")
    if ListEntry.objects.filter(entity=entity, list_kind=list_kind, ground=ground, status__in=["proposed", "active"]).exists():
        raise DomainError(f"该主体已因「{Ground(ground).label}」列入{ListKind(list_kind).label}，"
                          "同一事由不能重复列入（同一主体、同一名录、同一事由只能有一条列入记录）", code="already_listed")
    if ground == Ground.REPORT_NOT_FILED:
        if report_year is None:
            report_year = periods.closed_year(today)
        if AnnualReport.objects.filter(entity=entity, year=report_year, is_current=True).exists():
            raise DomainError(f"该主体已报送{report_year}年度报告，不符合「未按规定期限公示年度报告」的列入条件")
        _s, end = periods.window(report_year)
        ground_arose_on = ground_arose_on or end + dt.timedelta(days=1)
    if ground == Ground.INSTANT_NOT_PUBLISHED and instant_info is not None and instant_info.published_on:
        raise DomainError("该即时信息已公示，不符合「未在责令期限内公示」的列入条件")
    entry = _create_entry(actor=actor, entity=entity, list_kind=list_kind, ground=ground, facts=facts, today=today,
                          ground_arose_on=ground_arose_on or today, report_year=report_year,
                          instant_info=instant_info)
    risk.schedule([entity.pk], on=today)
    return entry


def _create_entry(*, actor, entity, list_kind, ground, facts, today, ground_arose_on, report_year=None,
                  instant_info=None, doc_no: str | None = None) -> ListEntry:
    unit = deciding_unit(entity)
    doc_no = doc_no or next_doc_no(unit, DOC_WORDS[list_kind], today.year)
    entry = ListEntry.objects.create(
        entity=entity, list_kind=list_kind, ground=ground, status=EntryStatus.ACTIVE, facts=facts,
        report_year=report_year, instant_info=instant_info, ground_arose_on=ground_arose_on,
        listing_due_on=_listing_due(ground_arose_on, ground), deciding_unit=unit, listed_on=today, decision_no=doc_no,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None)
    name = ListKind(list_kind).label
    send_notice(entity=entity, kind=Notice.Kind.LISTED, title=f"列入{name}决定书", doc_no=doc_no, sent_on=today,
                list_entry=entry, is_public=True,
                body=f"{entity.name}（统一社会信用代码 {entity.uscc}）：因{Ground(ground).label}，依据《企业信息公示暂行条例》"
                     f"等规定，{unit.name}决定将你单位列入{name}（{doc_no}）。履行相关义务后，可申请移出。")
    audit.record(actor=actor, action="credit.list.entered", obj=entry, unit=unit,
                 changes={"list_kind": [None, list_kind], "ground": [None, ground], "decision_no": [None, doc_no],
                          "listed_on": [None, today], "report_year": [None, report_year]})
    return entry


def _remove_entry(*, actor, entry: ListEntry, today: dt.date, reason: str) -> ListEntry:
    unit = entry.deciding_unit
    start_removal_clock(entry, on=today, how="cure_found")
    entry.status = EntryStatus.REMOVED
    entry.removed_on = today
    entry.removal_reason = reason[:200]
    entry.removal_no = next_doc_no(unit, DOC_WORDS[entry.list_kind], today.year)
    entry.removed_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.save(update_fields=["status", "removed_on", "removal_reason", "removal_no", "removed_by",
                              "removal_requested_on", "removal_requested_how", "removal_due_on"])
    name = entry.get_list_kind_display()
    send_notice(entity=entry.entity, kind=Notice.Kind.REMOVED, title=f"移出{name}决定书", doc_no=entry.removal_no,
                sent_on=today, list_entry=entry, is_public=True,
                body=f"{entry.entity.name}：{reason}，{unit.name}决定将你单位移出{name}（{entry.removal_no}）。")
    audit.record(actor=actor, action="credit.list.removed", obj=entry, unit=unit,
                 changes={"status": ["active", "removed"], "removal_no": [None, entry.removal_no],
                          "reason": [None, reason]})
    return entry


@transaction.atomic
def list_remove(*, actor, entity: Entity, list_kind: str, ground: str, reason: str,
                today: dt.date | None = None) -> ListEntry:
    """Remove ``entity`` from a list on which it is listed on ``ground`` (the cause cured, or an error corrected)."""
    today = _today(today)
    if not reason.strip():
        raise ValidationFailed("请写明移出原因", field="reason")
    entry = (ListEntry.objects.select_for_update(of=("self",)).select_related("entity", "deciding_unit")
             .filter(entity=entity, list_kind=list_kind, ground=ground, status=EntryStatus.ACTIVE).first())
    if entry is None:
        raise TransitionNotAllowed(f"该主体未因「{Ground(ground).label}」列入{ListKind(list_kind).label}，不能移出"
                                   "（只能移出处于列入状态的记录）", code="not_listed")
    if list_kind == ListKind.SERIOUS:
        raise TransitionNotAllowed("严重违法失信名单须经信用修复申请或期限届满移出，不能直接移出")
    _check_cured(entry, today)
    _remove_entry(actor=actor, entry=entry, today=today, reason=reason)
    risk.schedule([entity.pk], on=today)
    return entry


def _check_cured(entry: ListEntry, today: dt.date) -> None:
    """A cause-based removal requires the cause cured: the late report filed, the information published."""
    if entry.ground == Ground.REPORT_NOT_FILED and entry.report_year and not AnnualReport.objects.filter(
            entity_id=entry.entity_id, year=entry.report_year, is_current=True).exists():
        raise DomainError(f"尚未补报{entry.report_year}年度报告：列入事由未消除，不能移出（须先补报年度报告）")
    if entry.ground == Ground.INSTANT_NOT_PUBLISHED and entry.instant_info_id and not entry.instant_info.published_on:
        raise DomainError("尚未公示责令公示的即时信息：列入事由未消除，不能移出")


@transaction.atomic
def reports_file_late_many(*, actor, reports: list[AnnualReport]) -> int:
    """Late filings (逾期补报) of many entities at once, each what ``report_file`` does for one — the report, its
    audit entry, and the cure of the listing for not filing that year (removed on the filing day with its own
    decision number, a 移出 notice texted after the commit, an audit entry) — set-based: for bulk loaders (the
    demo's late filers), not for the enterprise's own filing, which goes through ``report_file``'s checks."""
    if not reports:
        return 0
    bulk.create(reports, batch_size=2000)
    unit_of = dict(Entity.objects.filter(pk__in=[r.entity_id for r in reports]).values_list("pk", "unit_id"))
    audit.record_many({"actor": actor, "action": "credit.report.filed", "obj": r, "unit": unit_of.get(r.entity_id),
                       "changes": {"year": [None, r.year], "late": [None, r.late],
                                   "financials_all_zero": [None, r.financials_all_zero]}} for r in reports)
    filed = {(r.entity_id, r.year): r.filed_on for r in reports if r.late}
    entries = [e for e in ListEntry.objects.select_related("entity", "deciding_unit").filter(
        entity_id__in={k[0] for k in filed}, ground=Ground.REPORT_NOT_FILED, status=EntryStatus.ACTIVE)
        .order_by("deciding_unit_id", "id") if (e.entity_id, e.report_year) in filed]
    by_key: dict[tuple, list[ListEntry]] = {}
    for e in entries:
        on = filed[(e.entity_id, e.report_year)]
        by_key.setdefault((e.deciding_unit_id, e.list_kind, on.year), []).append(e)
    notices, audits = [], []
    for (_unit_id, list_kind, year), group in by_key.items():
        unit, word = group[0].deciding_unit, DOC_WORDS[list_kind]
        first = sequences.reserve_block(f"doc:{unit.code}:{word}:{year}", len(group))
        for i, e in enumerate(group):
            on = filed[(e.entity_id, e.report_year)]
            reason = f"已补报{e.report_year}年度报告"
            start_removal_clock(e, on=on, how="cure_found")
            e.status, e.removed_on, e.removal_reason = EntryStatus.REMOVED, on, reason
            e.removal_no = format_doc_no(unit, word, year, first + i)
            name = e.get_list_kind_display()
            notices.append(Notice(entity=e.entity, kind=Notice.Kind.REMOVED, title=f"移出{name}决定书",
                                  doc_no=e.removal_no, sent_on=on, list_entry=e, is_public=True,
                                  body=f"{e.entity.name}：{reason}，{unit.name}决定将你单位移出{name}（{e.removal_no}）。"))
            audits.append({"actor": "system", "action": "credit.list.removed", "obj": e, "unit": unit,
                           "changes": {"status": ["active", "removed"], "removal_no": [None, e.removal_no],
                                       "reason": [None, reason]}})
    bulk.update(entries, ["status", "removed_on", "removal_reason", "removal_no", "removal_requested_on",
                          "removal_requested_how", "removal_due_on"])
    bulk.create(notices)
    _dispatch_after_commit(notices)
    audit.record_many(audits)
    risk.schedule([r.entity_id for r in reports], on=max(r.filed_on for r in reports))
    return len(entries)


def _cure_report_listings(*, entity: Entity, year: int, today: dt.date) -> int:
    cured = 0
    for entry in ListEntry.objects.select_for_update(of=("self",)).select_related("entity", "deciding_unit").filter(
            entity=entity, ground=Ground.REPORT_NOT_FILED, report_year=year, status=EntryStatus.ACTIVE):
        _remove_entry(actor="system", entry=entry, today=today, reason=f"已补报{year}年度报告")
        cured += 1
    return cured


# --- serious illegal and dishonest list -----------------------------------------------------------------------------


@transaction.atomic
def serious_propose(*, actor, entity: Entity, ground: str, facts: str, penalty_ref: str = "",
                    today: dt.date | None = None, source_entry: ListEntry | None = None) -> ListEntry:
    """Propose listing ``entity`` on the serious list (after a heavy penalty, or three years on the abnormal list);
    the entity is told of the intended listing and may state its case before approval."""
    today = _today(today)
    if ground not in SERIOUS_GROUNDS:
        raise ValidationFailed("列入事由须为《市场监督管理严重违法失信名单管理办法》规定的情形", field="ground")
    if ground != Ground.ABNORMAL_THREE_YEARS and not penalty_ref.strip():
        raise ValidationFailed("因违法行为列入严重违法失信名单，须以较重行政处罚为前提：请填写处罚决定书文号",
                               field="penalty_ref")
    entity = Entity.objects.select_for_update(of=("self",)).select_related("unit", "registration_authority").get(pk=entity.pk)
    if ListEntry.objects.filter(entity=entity, list_kind=ListKind.SERIOUS, ground=ground,
                                status__in=["proposed", "active"]).exists():
        raise DomainError(f"该主体已因「{Ground(ground).label}」被提请或列入严重违法失信名单，同一事由不能重复列入",
                          code="already_listed")
    unit = deciding_unit(entity)
    entry = ListEntry.objects.create(
        entity=entity, list_kind=ListKind.SERIOUS, ground=ground, status=EntryStatus.PROPOSED, facts=facts,
        penalty_ref=penalty_ref.strip(), source_entry=source_entry, ground_arose_on=today, deciding_unit=unit,
        proposed_on=today, proposed_by=actor if getattr(actor, "is_authenticated", False) else None)
    send_notice(entity=entity, kind=Notice.Kind.SERIOUS_PROPOSED, title="拟列入严重违法失信名单告知书", sent_on=today,
                list_entry=entry,
                body=f"{entity.name}：因{Ground(ground).label}，{unit.name}拟将你单位列入严重违法失信名单。"
                     "你单位可在收到本告知书之日起五个工作日内提出陈述、申辩。")
    audit.record(actor=actor, action="credit.serious.proposed", obj=entry, unit=unit,
                 changes={"ground": [None, ground], "penalty_ref": [None, penalty_ref]})
    return entry


@transaction.atomic
def serious_approve(*, actor, entry: ListEntry, today: dt.date | None = None) -> ListEntry:
    """Approve a proposal: the entity is listed for the term of the rules in force."""
    today = _today(today)
    entry = ListEntry.objects.select_for_update(of=("self",)).select_related("entity", "deciding_unit").get(pk=entry.pk)
    if entry.list_kind != ListKind.SERIOUS:
        raise TransitionNotAllowed("只有严重违法失信名单的提请需要审批")
    if entry.status == EntryStatus.ACTIVE:
        return entry
    if entry.status != EntryStatus.PROPOSED:
        raise TransitionNotAllowed(f"该记录状态为「{entry.get_status_display()}」，不能批准列入")
    years = int(rule("credit.serious.term_years", on=today))
    entry.status = EntryStatus.ACTIVE
    entry.listed_on = today
    entry.term_ends_on = workdays.anniversary(today, years=years)  # still listed that day (Civil Code art. 202)
    entry.decision_no = next_doc_no(entry.deciding_unit, DOC_WORDS["serious"], today.year)
    entry.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.save(update_fields=["status", "listed_on", "term_ends_on", "decision_no", "decided_by"])
    send_notice(entity=entry.entity, kind=Notice.Kind.LISTED, title="列入严重违法失信名单决定书",
                doc_no=entry.decision_no, sent_on=today, list_entry=entry, is_public=True,
                body=f"{entry.entity.name}：因{entry.get_ground_display()}，{entry.deciding_unit.name}决定将你单位列入严重违法"
                     f"失信名单（{entry.decision_no}），列入期限至{entry.term_ends_on:%Y年%m月%d日}。")
    audit.record(actor=actor, action="credit.serious.listed", obj=entry, unit=entry.deciding_unit,
                 changes={"status": ["proposed", "active"], "decision_no": [None, entry.decision_no],
                          "term_ends_on": [None, entry.term_ends_on]})
    if entry.source_entry_id:
        source = ListEntry.objects.select_for_update(of=("self",)).select_related("entity", "deciding_unit").get(
            pk=entry.source_entry_id)
        if source.status == EntryStatus.ACTIVE:
            _remove_entry(actor=actor, entry=source, today=today, reason="届满3年未履行义务，已列入严重违法失信名单")
    risk.schedule([entry.entity_id], on=today)
    return entry


@transaction.atomic
def serious_reject(*, actor, entry: ListEntry, reason: str, today: dt.date | None = None) -> ListEntry:
    today = _today(today)
    entry = ListEntry.objects.select_for_update(of=("self",)).select_related("entity", "deciding_unit").get(pk=entry.pk)
    if entry.status == EntryStatus.REJECTED:
        return entry
    if entry.status != EntryStatus.PROPOSED:
        raise TransitionNotAllowed(f"该记录状态为「{entry.get_status_display()}」，不能作出不予列入决定")
    entry.status = EntryStatus.REJECTED
    entry.removal_reason = reason[:200]
    entry.removed_on = today
    entry.save(update_fields=["status", "removal_reason", "removed_on"])
    audit.record(actor=actor, action="credit.serious.rejected", obj=entry, unit=entry.deciding_unit,
                 changes={"status": ["proposed", "rejected"], "reason": [None, reason]})
    return entry


def serious_expire(*, entry: ListEntry, today: dt.date) -> ListEntry:
    """The term has ended: the entity leaves the serious list (called by the daily sweep)."""
    return _remove_entry(actor="system", entry=entry, today=today,
                         reason=f"列入期限已于{entry.term_ends_on:%Y年%m月%d日}届满")


# --- credit repair --------------------------------------------------------------------------------------------------


#: The penalty kinds whose publication cannot be stopped early (Order 45 art. 14 para. 3), by their names.
NO_EARLY_LABELS = {"suspension": "责令停产停业", "restrict_business": "限制开展生产经营活动", "restrict_employment": "限制从业",
                   "downgrade": "降低资质等级", "licence_revocation": "吊销许可证件", "closure": "责令关闭"}


def penalty_kinds(penalty_ref: str) -> list[str]:
    """The kinds of the penalty decision numbered ``penalty_ref`` (enforcement's record), [] when unknown."""
    from django.apps import apps

    if not penalty_ref or not apps.is_installed("jianguan.enforcement"):
        return []
    penalty = apps.get_model("enforcement", "Penalty")
    return list(penalty.objects.filter(decision_no=penalty_ref.strip()).values_list("kinds", flat=True).first() or [])


def repair_eligibility(*, kind: str, today: dt.date, list_entry: ListEntry | None = None,
                       penalty_sector: str = "", penalty_published_on: dt.date | None = None,
                       penalty_ref: str = "") -> None:
    """Raise ``DomainError`` naming the rule when a repair may not (yet) be granted.

    Waits are "满N个月/满N年": the period ends at the end of its last day (Civil Code art. 202), so the earliest day
    is the day after the anniversary."""
    if kind == RepairKind.LIST_REMOVAL:
        if list_entry is None:
            raise ValidationFailed("请选择申请移出的名录记录", field="list_entry")
        if list_entry.status != EntryStatus.ACTIVE:
            raise TransitionNotAllowed("该名录记录不在列入状态，无需修复")
        if list_entry.list_kind == ListKind.SERIOUS:
            years = int(rule("credit.serious.early_removal_years", on=today))
            earliest = workdays.day_after_anniversary(list_entry.listed_on, years=years)
            if today < earliest:
                raise DomainError(f"列入严重违法失信名单满{years}年后方可申请提前移出（{earliest:%Y年%m月%d日}起可申请），"
                                  "尚未届满最短期限", code="too_early")
        else:
            _check_cured(list_entry, today)
    elif kind == RepairKind.PENALTY_PUBLICATION:
        if penalty_published_on is None:
            raise ValidationFailed("请填写处罚信息公示日期", field="penalty_published_on")
        barred = sorted(set(penalty_kinds(penalty_ref)) & set(rule("credit.repair.no_early_kinds", on=today)))
        if barred:
            names = "、".join(NO_EARLY_LABELS.get(k, k) for k in barred)
            raise DomainError(f"该行政处罚决定包含{names}：此类处罚信息不得提前停止公示（不适用信用修复的最短公示期）",
                              code="not_repairable")
        special = penalty_sector in rule("credit.repair.special_sectors", on=today)
        key = "credit.repair.penalty_min_months_special" if special else "credit.repair.penalty_min_months"
        months = int(rule(key, on=today))
        earliest = workdays.day_after_anniversary(penalty_published_on, months=months)
        if today < earliest:
            sector = "食品、药品、特种设备领域" if special else "一般领域"
            raise DomainError(f"{sector}行政处罚信息公示满{months}个月后方可申请信用修复（{earliest:%Y年%m月%d日}起可申请），"
                              "尚未届满最短公示期", code="too_early")
    else:
        raise ValidationFailed(f"修复类型「{kind}」无效", field="kind")


@transaction.atomic
def repair_apply(*, actor, entity: Entity, kind: str, statement: str, list_entry: ListEntry | None = None,
                 penalty_ref: str = "", penalty_sector: str = "", penalty_published_on: dt.date | None = None,
                 today: dt.date | None = None) -> RepairApplication:
    """An application for credit repair, received by the unit that listed (whoever listed repairs)."""
    today = _today(today)
    entity = Entity.objects.select_for_update(of=("self",)).select_related("unit", "registration_authority").get(pk=entity.pk)
    if list_entry is not None and list_entry.entity_id != entity.pk:
        raise ValidationFailed("名录记录不属于该主体", field="list_entry")
    if not statement.strip():
        raise ValidationFailed("请填写申请理由并作出信用承诺", field="statement")
    if kind == RepairKind.PENALTY_PUBLICATION and not penalty_ref.strip():
        raise ValidationFailed("请填写行政处罚决定书文号", field="penalty_ref")
    repair_eligibility(kind=kind, today=today, list_entry=list_entry, penalty_sector=penalty_sector,
                       penalty_published_on=penalty_published_on, penalty_ref=penalty_ref)
    pending = RepairApplication.objects.filter(entity=entity, kind=kind, status=RepairStatus.PENDING)
    pending = pending.filter(list_entry=list_entry) if list_entry else pending.filter(penalty_ref=penalty_ref.strip())
    if pending.exists():
        raise DomainError("同一事项已有待审核的信用修复申请，不能重复申请", code="duplicate")
    app = RepairApplication.objects.create(
        entity=entity, kind=kind, list_entry=list_entry, penalty_ref=penalty_ref.strip(),
        penalty_sector=penalty_sector, penalty_published_on=penalty_published_on, applied_on=today,
        statement=statement.strip(), deciding_unit=list_entry.deciding_unit if list_entry else deciding_unit(entity),
        applied_by=actor if getattr(actor, "is_authenticated", False) else None)
    if list_entry is not None and list_entry.list_kind != ListKind.SERIOUS:
        # Removal from the abnormal list is due within 5 working days of the application.
        entry = ListEntry.objects.select_for_update(of=("self",)).get(pk=list_entry.pk)
        start_removal_clock(entry, on=today, how="application")
        entry.save(update_fields=["removal_requested_on", "removal_requested_how", "removal_due_on"])
    audit.record(actor=actor, action="credit.repair.applied", obj=app, unit=app.deciding_unit,
                 changes={"kind": [None, kind], "list_entry": [None, getattr(list_entry, "pk", None)],
                          "penalty_ref": [None, penalty_ref]})
    return app


@transaction.atomic
def repair_decide(*, actor, application: RepairApplication, approve: bool, reason: str = "",
                  today: dt.date | None = None) -> RepairApplication:
    """Grant or refuse a repair; a grant removes the entity from the list (or ends the penalty's publication)."""
    today = _today(today)
    app = RepairApplication.objects.select_for_update(of=("self",)).select_related("entity", "list_entry", "deciding_unit").get(
        pk=application.pk)
    target = RepairStatus.APPROVED if approve else RepairStatus.REJECTED
    if app.status == target:
        return app
    if app.status != RepairStatus.PENDING:
        raise TransitionNotAllowed(f"该申请已{app.get_status_display()}，不能再作决定")
    if not approve and not reason.strip():
        raise ValidationFailed("不予修复须写明理由", field="reason")
    if approve:
        repair_eligibility(kind=app.kind, today=today, list_entry=app.list_entry, penalty_sector=app.penalty_sector,
                           penalty_published_on=app.penalty_published_on, penalty_ref=app.penalty_ref)
    app.status = target
    app.decided_on = today
    app.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    app.decision_no = next_doc_no(app.deciding_unit, DOC_WORDS["repair"], today.year)
    app.decision_reason = reason.strip()[:200]
    app.save(update_fields=["status", "decided_on", "decided_by", "decision_no", "decision_reason"])
    if approve and app.list_entry_id:
        entry = ListEntry.objects.select_for_update(of=("self",)).select_related("entity", "deciding_unit").get(
            pk=app.list_entry_id)
        _remove_entry(actor=actor, entry=entry, today=today, reason=f"信用修复（{app.decision_no}）")
    outcome = "准予信用修复" if approve else f"不予信用修复。理由：{app.decision_reason}"
    send_notice(entity=app.entity, kind=Notice.Kind.REPAIR_DECISION, title="信用修复决定书", doc_no=app.decision_no,
                sent_on=today, repair=app, body=f"{app.entity.name}：你单位{app.get_kind_display()}的信用修复申请，"
                                                f"经审核，{outcome}（{app.decision_no}）。")
    audit.record(actor=actor, action="credit.repair.decided", obj=app, unit=app.deciding_unit,
                 changes={"status": ["pending", target], "decision_no": [None, app.decision_no],
                          "reason": [None, app.decision_reason]})
    risk.schedule([app.entity_id], on=today)
    return app


@transaction.atomic
def risk_recompute(*, actor, on: dt.date | None = None, classify=None) -> risk.Result:
    """Reclassify every entity now (the daily sweep does the same; staff may trigger it after a rule change).

    ``classify``: another engine for the scoring step (``risk_dask.Classifier``, ``jianguan risk recompute --engine
    dask``); the result is the same."""
    on = _today(on)
    result = risk.recompute(on=on, classify=classify)
    changes = {k: [None, v] for k, v in result.as_counts().items()}
    if classify is not None:
        changes["engine"] = [None, "dask"]
    audit.record(actor=actor, action="credit.risk.recomputed", object_type="credit.entityrisk",
                 object_repr="信用风险分类全量重算", changes=changes)
    return result
