"""Reads of enforcement that respect the user's scope (a station its own cases, a district bureau its stations',
the city bureau everything). Views and the API use only these; outside the scope is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jianguan.core import lists, workdays
from jianguan.core.models import OrgUnit
from jianguan.core.scope import get_in_scope_or_404, scope_filter, scoped_units

from .models import (
    ACTIVE_CASE_STATUSES,
    OPEN_CASE_STATUSES,
    Campaign,
    Case,
    CaseOfficer,
    CaseStatus,
    Lead,
    LeadStatus,
    LegalReview,
    PaymentStatus,
    Penalty,
    Procedure,
    Seizure,
)
from .rules import case_type_label

PAGE_SIZE = 50
LIST_FIELDS = ("id", "number", "status", "case_type", "party_name", "title", "unit__short_name", "unit__name",
               "filed_on", "decision_deadline", "calendar_pending", "overdue", "clock_paused", "procedure")


def leads_for(user) -> QuerySet[Lead]:
    return scope_filter(Lead.objects.all(), user, "unit")


def lead_for(user, pk: int) -> Lead:
    return get_in_scope_or_404(Lead.objects.select_related("unit", "entity", "handler"), user, "unit", pk=pk)


def cases_for(user) -> QuerySet[Case]:
    return scope_filter(Case.objects.all(), user, "unit")


def case_for(user, pk: int) -> Case:
    """One case with what its page shows; 404 outside the user's scope."""
    return get_in_scope_or_404(
        Case.objects.select_related("unit", "lead", "entity", "filing_approved_by", "extension_approved_by"),
        user, "unit", pk=pk)


@dataclass(frozen=True)
class LeadFilters:
    status: str = ""
    source_kind: str = ""
    overdue: bool = False


def lead_search(user, f: LeadFilters) -> QuerySet[Lead]:
    qs = (leads_for(user).select_related("unit", "entity", "extension_approved_by")
          .prefetch_related("pauses"))  # what each row's deadline_explained reads
    if f.status == "open":
        qs = qs.filter(status__in=[LeadStatus.NEW, LeadStatus.CHECKING])
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.source_kind:
        qs = qs.filter(source_kind=f.source_kind)
    if f.overdue:
        qs = qs.filter(overdue=True)
    return qs.order_by("-id")


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    status: str = ""
    case_type: str = ""
    unit: str = ""
    officer: int | None = None
    campaign: str = ""
    overdue: bool = False
    mine: bool = False


def case_search(user, f: CaseFilters) -> QuerySet[Case]:
    """Cases in scope matching the filters, newest first (by id)."""
    qs = cases_for(user)
    q = f.q.strip()
    if q:
        qs = qs.filter(Q(number=q) | Q(party_name__contains=q))
    if f.unit:
        root = scoped_units(user).filter(code=f.unit).values_list("path", flat=True).first()
        if root is None:
            return qs.none()
        qs = qs.filter(unit__in=OrgUnit.objects.filter(path__startswith=root).values("id"))
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_CASE_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.case_type:
        qs = qs.filter(case_type=f.case_type)
    officer = user.pk if f.mine else f.officer
    if officer:
        qs = qs.filter(Exists(CaseOfficer.objects.filter(case=OuterRef("pk"), user_id=officer)))
    if f.campaign:
        # Resolved first, then a semi-join on the tag table's campaign index: the planner hashes the few tagged
        # ids instead of probing the tag table once per case on the way down the id index.
        campaign_id = Campaign.objects.filter(code=f.campaign).values_list("pk", flat=True).first()
        if campaign_id is None:
            return qs.none()
        qs = qs.filter(pk__in=Case.campaigns.through.objects.filter(campaign_id=campaign_id).values("case_id"))
    if f.overdue:
        qs = qs.filter(overdue=True)
    return qs.order_by("-id")


@dataclass(frozen=True)
class Page:
    rows: list
    next_before: int | None
    is_first: bool


def page_of(qs: QuerySet, *, before: int | None = None, size: int = PAGE_SIZE,
            today: dt.date | None = None) -> Page:
    """One page of cases (newest first), keyset on id: one query, no COUNT."""
    today = today or timezone.localdate()
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs.order_by("-id").values(*LIST_FIELDS)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    for row in rows:
        row["status_label"] = CaseStatus(row["status"]).label
        row["case_type_label"] = case_type_label(row["case_type"])
        open_ = row["status"] in OPEN_CASE_STATUSES
        row["days_left"] = (row["decision_deadline"] - today).days if open_ and row["decision_deadline"] else None
    explain_case_rows(rows, today=today)
    return Page(rows, rows[-1]["id"] if more else None, before is None)


def explain_case_rows(rows: list[dict], *, today: dt.date) -> list[dict]:
    """``row["explained"]``: how each open case's decision deadline was counted (two queries for the page: the
    cases with their approvers, and their pauses)."""
    from . import clocks

    return workdays.explain_rows(
        rows, Case.objects.select_related("extension_approved_by").prefetch_related("pauses"),
        lambda c: clocks.case_deadline_explained(c, today=today),
        wanted=lambda r: r["status"] in OPEN_CASE_STATUSES)


def case_officers(case: Case) -> list[CaseOfficer]:
    return list(case.assignments.select_related("user", "user__profile"))


# --- the deadline board ------------------------------------------------------------------------------------------------


def _board_rows(qs: QuerySet, today: dt.date) -> list[dict]:
    from . import clocks

    rows = []
    for c in qs:
        note = ""
        if c.status in OPEN_CASE_STATUSES:
            what, due, provisional = "处理决定期限", c.decision_deadline, c.calendar_pending
        else:
            p = getattr(c, "penalty", None)
            if p is None:
                continue
            if c.status == CaseStatus.DECIDED:
                # Not served yet: the clock that runs is the service (APL art. 61); the payment period
                # (15 days, art. 67) starts only on receipt of the decision.
                what, due, provisional = "决定书送达期限", p.service_due, p.service_due_provisional
                if p.payment_status in (PaymentStatus.PENDING, PaymentStatus.OVERDUE):
                    note = "缴款期限：送达后起算"
            elif p.payment_status in (PaymentStatus.PENDING, PaymentStatus.OVERDUE):
                what, due, provisional = "缴款期限", p.payment_due, p.payment_due_provisional
            else:
                continue
        rows.append({"case": c, "what": what, "due": due, "days_left": None if due is None else (due - today).days,
                     "late": bool(due and due < today), "paused": c.clock_paused, "provisional": provisional,
                     "note": note, "explained": clocks.case_deadline_explained(c, today=today)})
    rows.sort(key=lambda r: (not r["late"], r["due"] is None, r["due"] or today, r["case"].pk))
    return rows


def board(user, *, today: dt.date | None = None, officer_id: int | None = None) -> dict:
    """Open cases with the days left, overdue first: the user's own; a head or leader also every officer of the
    units in scope, grouped by officer. Also the seizures about to run out."""
    today = today or timezone.localdate()
    base = (cases_for(user).filter(status__in=ACTIVE_CASE_STATUSES)
            .select_related("unit", "penalty", "extension_approved_by")
            .prefetch_related("assignments__user", "pauses", "services"))  # what deadline_explained reads
    mine = _board_rows(base.filter(assignments__user=user), today)
    groups = []
    if user.has_perm("enforcement.approve_case"):
        per_officer: dict[int, dict] = {}
        qs = base if officer_id is None else base.filter(assignments__user_id=officer_id)
        for row in _board_rows(qs, today):
            for a in row["case"].assignments.all():
                if officer_id is not None and a.user_id != officer_id:
                    continue
                g = per_officer.setdefault(a.user_id, {"officer": a.user, "rows": [], "late": 0})
                g["rows"].append(row)
                g["late"] += row["late"]
        groups = sorted(per_officer.values(), key=lambda g: (-g["late"], g["officer"].get_username()))
    seizures = list(scope_filter(Seizure.objects.filter(status__in=[Seizure.Status.ACTIVE, Seizure.Status.EXTENDED],
                                                        ends_on__lte=today + dt.timedelta(days=7)),
                                 user, "case__unit").select_related("case", "extension_approved_by")
                     .prefetch_related("pauses").order_by("ends_on")[:50])
    from . import clocks

    for s in seizures:
        s.days_left = (s.ends_on - today).days
        s.explained = clocks.seizure_explained(s, today=today)
    return {"mine": mine, "groups": groups, "seizures": seizures, "pushes": push_clocks(user, today=today),
            "removals": removal_clocks(user, today=today), "today": today}


SOON = dt.timedelta(days=7)


def push_clocks(user, *, today: dt.date, limit: int = 50) -> list:
    """Decisions about a party of another province not yet pushed to its system whose deadline (Order 45 art. 10)
    ends within 7 days or was missed (``push_overdue``, set by the nightly job) — overdue first, each with its
    explanation. Two queries."""
    from .document_models import Publication
    from .publication import push_explained

    pubs = list(scope_filter(Publication.objects.exclude(other_province="").filter(pushed_on__isnull=True)
                             .filter(Q(push_overdue=True) | Q(push_due__lte=today + SOON)), user, "unit")
                .select_related("penalty", "push_extension_approved_by")
                .order_by("-push_overdue", "push_due", "id")[:limit])
    for p in pubs:
        p.days_left = (p.push_due - today).days if p.push_due else None
        p.late = p.push_overdue or bool(p.push_due and p.push_due < today)
        p.explained = push_explained(p)
    return pubs


def removal_clocks(user, *, today: dt.date, limit: int = 50) -> list:
    """The abnormal-list removals due within 7 days or overdue (credit's own selector), when credit is installed."""
    from django.apps import apps

    if not apps.is_installed("jianguan.credit"):
        return []
    from jianguan.credit.selectors import removal_clocks as credit_removal_clocks

    return credit_removal_clocks(user, today=today, limit=limit)


def due_items(user, *, today: dt.date | None = None, limit: int = 8) -> list[dict]:
    """The home card: the user's open cases and leads with the nearest deadlines."""
    today = today or timezone.localdate()
    rows = []
    for c in (cases_for(user).filter(status__in=OPEN_CASE_STATUSES, assignments__user=user)
              .order_by("decision_deadline")[:limit]):
        rows.append({"label": c.number, "party": c.party_name, "what": "处理决定期限", "due": c.decision_deadline,
                     "provisional": c.calendar_pending, "url_name": "enforcement:case", "pk": c.pk})
    leads = leads_for(user) if user.has_perm("enforcement.view_lead") else leads_for(user).none()
    for lead in (leads.filter(status__in=[LeadStatus.NEW, LeadStatus.CHECKING])
                 .filter(Q(handler=user) | Q(handler__isnull=True)).select_related("entity")
                 .order_by("filing_deadline")[:limit]):
        rows.append({"label": f"线索 #{lead.pk}", "party": lead.party, "what": "立案决定期限",
                     "due": lead.filing_deadline, "provisional": lead.calendar_pending, "url_name": "enforcement:lead",
                     "pk": lead.pk})
    if user.has_perm("enforcement.approve_case"):
        for p in push_clocks(user, today=today, limit=limit):
            rows.append({"label": p.decision_no, "party": p.party_name, "what": "外省推送期限", "due": p.push_due,
                         "provisional": p.push_due_provisional, "url_name": "enforcement:case",
                         "pk": p.penalty.case_id})
    for r in rows:
        r["days_left"] = None if r["due"] is None else (r["due"] - today).days
        r["late"] = bool(r["due"] and r["due"] < today)
    rows.sort(key=lambda r: (r["due"] is None, r["due"] or today))
    return rows[:limit]


# --- the workbench lists (core.lists: total, sorting, export of exactly what is shown) -----------------------------


def prepare_case_rows(rows: list[dict], today: dt.date | None = None) -> None:
    """Labels and days left on case rows read with ``LIST_FIELDS`` (the page and the export alike)."""
    today = today or timezone.localdate()
    for row in rows:
        row["status_label"] = CaseStatus(row["status"]).label
        row["case_type_label"] = case_type_label(row["case_type"])
        open_ = row["status"] in OPEN_CASE_STATUSES
        row["days_left"] = (row["decision_deadline"] - today).days if open_ and row["decision_deadline"] else None
        row["unit_label"] = row["unit__short_name"] or row["unit__name"]
        row["deadline_text"] = (f"{row['decision_deadline']:%Y-%m-%d}{'（暂定）' if row['calendar_pending'] else ''}"
                                if open_ and row["decision_deadline"] else "")


def _case_list_rows(qs):
    return qs.values(*LIST_FIELDS)


CASE_LIST = lists.Spec(
    key="enforcement.cases", title="行政处罚案件", default_sort="-filed", default_note="最新立案在前",
    export_permission="enforcement.view_case", prepare=prepare_case_rows,
    columns=(
        lists.Column("number", "立案编号", sort="number", width=22),
        lists.Column("party", "当事人", "party_name", sort="party_name", width=30),
        lists.Column("title", "案由", width=36),
        lists.Column("type", "类型", "case_type_label", sort="case_type"),
        lists.Column("unit", "承办单位", "unit_label", sort="unit__path", width=18),
        lists.Column("filed", "立案日期", "filed_on", sort="filed_on", width=12),
        lists.Column("status", "状态", "status_label", sort="status"),
        lists.Column("deadline", "处理期限", "deadline_text", sort="decision_deadline", width=16),
    ))


def prepare_lead_rows(rows: list[Lead]) -> None:
    for lead in rows:
        lead.party_text = lead.party
        lead.deadline_text = (f"{lead.filing_deadline:%Y-%m-%d}{'（暂定）' if lead.calendar_pending else ''}"
                              if lead.filing_deadline else "")


LEAD_LIST = lists.Spec(
    key="enforcement.leads", title="案源线索",
    # A work queue: the filing decision due first.
    default_sort="deadline", default_note="立案决定期限最近的在前", export_permission="enforcement.view_lead", prepare=prepare_lead_rows,
    columns=(
        lists.Column("id", "编号", "pk", sort="id", width=8),
        lists.Column("source", "来源", "get_source_kind_display", sort="source_kind"),
        lists.Column("party", "当事人", "party_text", width=30),
        lists.Column("description", "线索内容", "description", width=40, header=False),
        lists.Column("unit", "承办单位", lambda lead: lead.unit.short_name or lead.unit.name, sort="unit__path",
                     width=18),
        lists.Column("discovered", "发现日期", "discovered_on", sort="discovered_on", width=12),
        lists.Column("deadline", "立案决定期限", "deadline_text", sort="filing_deadline", width=16),
        lists.Column("status", "状态", "get_status_display", sort="status"),
    ))


# --- the legal reviewer's queue (法制审核) ------------------------------------------------------------------------------


def review_queue(user) -> QuerySet[LegalReview]:
    """The open legal reviews (法制审核, Order 2 art. 60) of cases in ``user``'s scope: one per case in 法制审核中."""
    qs = LegalReview.objects.filter(result="", case__status=CaseStatus.LEGAL_REVIEW)
    return scope_filter(qs, user, "case__unit").select_related("case", "case__unit", "submitted_by")


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def prepare_review_rows(rows: list[LegalReview], today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    for r in rows:
        r.days_left = (r.due_on - today).days if r.due_on else None
        r.late = r.days_left is not None and r.days_left < 0
        r.submitted_by_name = _person(r.submitted_by)
        r.unit_label = r.case.unit.short_name or r.case.unit.name


REVIEW_QUEUE = lists.Spec(
    key="enforcement.reviews", title="待法制审核案件", default_sort="due", default_note="审核期限最近的在前",
    export_permission="enforcement.review_case", prepare=prepare_review_rows,
    columns=(
        lists.Column("number", "立案编号", "case.number", sort="case__number", width=22),
        lists.Column("party", "当事人", "case.party_name", sort="case__party_name", width=30),
        lists.Column("title", "案由", "case.title", width=36),
        lists.Column("unit", "承办单位", "unit_label", sort="case__unit__path", width=18),
        lists.Column("submitted", "送审日期", "submitted_on", sort="submitted_on", width=12),
        lists.Column("by", "送审人", "submitted_by_name", width=12),
        lists.Column("due", "审核期限", "due_on", sort="due_on", width=12),
    ))


# --- progress steps on the case page ---------------------------------------------------------------------------------

CASE_STEPS = ["立案", "调查取证", "法制审核", "告知/听证", "处罚决定", "送达执行", "结案"]
#: Where each status stands: the index of the step under way (len: every step done).
_CASE_AT = {CaseStatus.FILED: 1, CaseStatus.INVESTIGATED: 2, CaseStatus.LEGAL_REVIEW: 2, CaseStatus.REVIEWED: 3,
            CaseStatus.NOTIFIED: 3, CaseStatus.HEARING: 3, CaseStatus.DECIDED: 5, CaseStatus.SERVED: 5,
            CaseStatus.EXECUTED: 6, CaseStatus.CLOSED: 7}
_CASE_NOTE = {CaseStatus.INVESTIGATED: "调查终结，待送审", CaseStatus.LEGAL_REVIEW: "审核中",
              CaseStatus.REVIEWED: "审核通过，待告知", CaseStatus.NOTIFIED: "已告知，等待陈述申辩",
              CaseStatus.HEARING: "听证中", CaseStatus.DECIDED: "决定书待送达", CaseStatus.SERVED: "执行中",
              CaseStatus.EXECUTED: "执行完毕，待结案"}


def case_steps(case) -> list:
    from jianguan.core.steps import progress

    return progress(CASE_STEPS, _CASE_AT.get(case.status, 0), note=_CASE_NOTE.get(case.status, ""))


# --- 当场处罚 and penalty publication (core.lists) ---------------------------------------------------------------------

#: 当场处罚 (simplified procedure) decided in the user's scope: the latest first.
SIMPLIFIED_LIST = lists.Spec(
    key="enforcement.simplified", title="当场处罚（简易程序）", default_sort="-decided_on", default_note="最近作出的在前",
    export_permission="enforcement.view_case", page_size=30,
    columns=(
        lists.Column("decision_no", "决定书文号", sort="decision_no", width=24),
        lists.Column("decided_on", "决定日期", sort="decided_on", width=12),
        lists.Column("party", "当事人", "party_name", sort="party_name", width=30),
        lists.Column("title", "案由", "case.title", sort="case__title", width=30),
        lists.Column("kinds", "处罚种类", "kind_labels", width=14),
        lists.Column("fine_amount", "罚款（元）", sort="fine_amount", width=10),
        lists.Column("payment", "缴纳", "get_payment_status_display", sort="payment_status", width=12),
        lists.Column("unit", "决定机关", "unit.name", sort="unit__path", width=20, header=False),
    ))


def simplified_penalties(user, q: str = "") -> QuerySet[Penalty]:
    """The on-the-spot penalties (简易程序) decided in ``user``'s scope, matching ``q`` (number, party, cause)."""
    qs = scope_filter(Penalty.objects.filter(case__procedure=Procedure.SIMPLIFIED)
                      .select_related("case", "unit"), user, "unit")
    if q:
        qs = qs.filter(Q(decision_no__contains=q) | Q(party_name__contains=q) | Q(case__title__contains=q))
    return qs


def _publication_period(p) -> str:
    return f"{p.published_on:%Y-%m-%d} 至 {p.ends_on:%Y-%m-%d}" if p.published_on and p.ends_on else ""


def _publication_end(p) -> str:
    return f"{p.get_end_reason_display()}（{p.ended_on:%Y-%m-%d}）{p.end_note}" if p.ended_on else ""


_PUBLICATION_COLUMNS = (
    lists.Column("decision_no", "决定书文号", sort="decision_no", width=24),
    lists.Column("party", "当事人（公示名称）", "party_name", sort="party_name", width=30),
    lists.Column("uscc", "统一社会信用代码", width=20, header=False),
    lists.Column("kinds", "处罚种类", sort="kinds", width=16),
    lists.Column("decided_on", "决定日期", sort="decided_on", width=12),
    lists.Column("deadline", "公示期限", sort="deadline", width=12),
    lists.Column("published_on", "公示期", _publication_period, sort=("published_on", "ends_on"), width=26),
    lists.Column("ended", "停止公示", _publication_end, width=30, header=False),
    lists.Column("status", "状态", "get_status_display", width=10, header=False),
)

#: Penalty notices waiting to be published: the deadline first (the overdue on top).
PUBLICATION_PENDING_LIST = lists.Spec(
    key="enforcement.publications", title="行政处罚信息公示", default_sort="deadline",
    default_note="公示期限最近的在前（已超期的在最前）", export_permission="enforcement.view_case",
    columns=_PUBLICATION_COLUMNS)

#: Published and ended notices: the latest published first.
PUBLICATION_LIST = lists.Spec(
    key="enforcement.publications", title="行政处罚信息公示", default_sort="-published_on",
    default_note="最近公示的在前", export_permission="enforcement.view_case", columns=_PUBLICATION_COLUMNS)
