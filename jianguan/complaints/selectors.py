"""Reads of complaints that respect the user's scope, and the statistics (staff analytics, public company figures).

Personal data: a consumer's name and phone are shown in full on the complaint page to complaint handlers in scope;
lists show them masked. A reporter's identity is shown to the report's assigned handler only — nowhere else, not
in lists, exports or the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule
from jianguan.core.scope import get_in_scope_or_404, scope_filter, scoped_units
from jianguan.registry.masking import mask_phone

from .models import Category, Complaint, Kind, Status

PAGE_SIZE = 50
LIST_FIELDS = ("id", "number", "kind", "channel", "status", "category", "entity_name", "person_name", "anonymous",
               "unit__name", "unit__short_name", "received_on", "accept_due", "check_due", "mediation_due",
               "calendar_pending", "overdue", "handler_id", "possible_duplicate_of_id")


def complaints_for(user) -> QuerySet[Complaint]:
    """Complaints and reports handled by a unit in ``user``'s scope."""
    return scope_filter(Complaint.objects.all(), user, "unit")


def complaint_for(user, number: str) -> Complaint:
    """One complaint by number; 404 outside the user's scope."""
    return get_in_scope_or_404(
        Complaint.objects.select_related("unit", "handler", "entity", "division", "possible_duplicate_of"),
        user, "unit", number=number)


def can_see_identity(user, complaint: Complaint) -> bool:
    """Whether ``user`` may see the consumer's / reporter's name and contact details."""
    if complaint.kind == Kind.REPORT:
        return complaint.handler_id is not None and complaint.handler_id == user.pk
    return user.has_perm("complaints.handle_complaint")


def mask_name(name: str) -> str:
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def identity(user, complaint: Complaint) -> dict:
    """The person's details as ``user`` may see them."""
    if complaint.anonymous:
        return {"visible": True, "anonymous": True, "name": "匿名", "phone": "", "email": "", "address": ""}
    if can_see_identity(user, complaint):
        from jianguan.core import audit

        audit.record_personal_read(actor=user, obj=complaint, fields=["person_name", "person_phone", "person_email",
                                                                       "person_address"], unit=complaint.unit_id)
        return {"visible": True, "anonymous": False, "name": complaint.person_name, "phone": complaint.person_phone,
                "email": complaint.person_email, "address": complaint.person_address}
    if complaint.kind == Kind.REPORT:
        return {"visible": False, "anonymous": False, "name": "（举报人信息仅承办人可见）", "phone": "", "email": "",
                "address": ""}
    return {"visible": False, "anonymous": False, "name": mask_name(complaint.person_name),
            "phone": mask_phone(complaint.person_phone), "email": "", "address": ""}


def business_address(user, complaint: Complaint) -> dict:
    """The complained-about business's address as ``user`` may see it. When the business is not registered (often a
    person's place) or is an individual business, it is a natural person's address, personal data: in clear as a
    logged read for staff with ``registry.view_entity_personal``, else masked (``masking.shown_personal``, as on the
    case page) — and for the complaint handlers, who must find the business; a registered organisation's address is
    not personal."""
    from jianguan.registry.masking import can_see_personal, is_natural_person, shown_personal

    address = complaint.entity_address
    if not address or not is_natural_person(complaint.entity):
        return {"address": address, "masked": False}
    allowed = can_see_personal(user) or user.has_perm("complaints.handle_complaint")
    shown, masked = shown_personal(user, complaint, {"entity_address": address}, unit=complaint.unit_id,
                                   allowed=allowed)
    return {"address": shown["entity_address"], "masked": masked}


def list_name(row: dict) -> str:
    """The person column of a list row: reporters never, consumers masked."""
    if row["kind"] == Kind.REPORT:
        return "匿名" if row["anonymous"] else "（保密）"
    return mask_name(row["person_name"])


@dataclass(frozen=True)
class Filters:
    q: str = ""
    kind: str = ""
    status: str = ""
    category: str = ""
    unit: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False
    mine: bool = False


def complaint_search(user, f: Filters) -> QuerySet[Complaint]:
    """Complaints in scope matching the filters, newest first (by id)."""
    qs = complaints_for(user)
    q = f.q.strip()
    if q:
        if q.upper().startswith(str(rule("complaints.number_prefix")) + "-"):
            qs = qs.filter(number=q.upper())
        elif q.isdigit() and len(q) >= 8:
            qs = qs.filter(national_no=q)
        else:
            qs = qs.filter(entity_name__contains=q)
    if f.unit:
        root = scoped_units(user).filter(code=f.unit).values_list("path", flat=True).first()
        if root is None:
            return qs.none()
        qs = qs.filter(unit__in=OrgUnit.objects.filter(path__startswith=root).values("id"))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.date_from:
        qs = qs.filter(received_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(received_on__lte=f.date_to)
    if f.overdue:
        qs = qs.filter(overdue=True)
    if f.mine:
        qs = qs.filter(handler=user)
    return qs.order_by("-id")


@dataclass(frozen=True)
class Page:
    rows: list
    next_before: int | None
    is_first: bool


def page_of(qs: QuerySet, *, before: int | None = None, size: int = PAGE_SIZE, by_received: bool = False) -> Page:
    """One page of ``qs`` with keyset paging, no COUNT: newest registered first (ids below ``before``), or with
    ``by_received`` latest received first ((received_on, id) below that of the row ``before``) — what the
    workbench list's "最新在前" means: an imported 2025 complaint registered today sits below this year's."""
    order = ("-id",)
    if by_received:
        order = ("-received_on", "-id")
        if before is not None:
            mark = qs.model.objects.filter(id=before).values_list("received_on", flat=True).first()
            if mark is not None:
                qs = qs.filter(Q(received_on__lt=mark) | Q(received_on=mark, id__lt=before))
    elif before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs.order_by(*order).values(*LIST_FIELDS)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    prepare_rows(rows)
    explain_rows(rows)
    return Page(rows, rows[-1]["id"] if more else None, before is None)


def prepare_rows(rows: list[dict]) -> None:
    """Labels, the masked person and the running deadline on rows read with ``LIST_FIELDS``."""
    for row in rows:
        row["person"] = list_name(row)
        row["status_label"] = Status(row["status"]).label
        row["kind_label"] = Kind(row["kind"]).label
        row["category_label"] = Category(row["category"]).label
        row["due"] = _row_due(row)
        row["provisional"] = row["calendar_pending"] and row["due"] is not None
        row["unit_label"] = row["unit__short_name"] or row["unit__name"]
        row["due_text"] = (f"{row['due']:%Y-%m-%d}{'（暂定）' if row['provisional'] else ''}"
                           f"{'（超期）' if row['overdue'] else ''}" if row["due"] else "")


LIST = lists.Spec(
    key="complaints.list", title="投诉举报", default_sort="-received", default_note="按收到日期最新在前",
    export_permission="complaints.view_complaint", prepare=prepare_rows,
    columns=(
        lists.Column("number", "编号", sort="number", width=20),
        lists.Column("kind", "类型", "kind_label", sort="kind", width=8),
        lists.Column("entity", "被投诉（举报）人", "entity_name", sort="entity_name", width=30),
        lists.Column("person", "投诉（举报）人", width=12),
        lists.Column("category", "类别", "category_label", sort="category"),
        lists.Column("unit", "处理单位", "unit_label", sort="unit__path", width=18),
        lists.Column("received", "收到日期", "received_on", sort="received_on", width=12),
        lists.Column("status", "状态", "status_label", sort="status"),
        lists.Column("due", "期限", "due_text", width=18),
    ))


def explain_rows(rows: list[dict]) -> list[dict]:
    """``row["explained"]``: how each shown deadline was counted, for the whole page in three queries (the
    complaints with the approver of a report check's extension, their transfers, their mediation pauses)."""
    from jianguan.core import workdays

    from .clocks import deadline_explained

    return workdays.explain_rows(
        rows, Complaint.objects.select_related("check_extension_approved_by").prefetch_related("transfers", "pauses"),
        deadline_explained, wanted=lambda r: r["due"] is not None)


def _row_due(row: dict):
    if row["status"] == Status.RECEIVED:
        return row["check_due"] if row["kind"] == Kind.REPORT else row["accept_due"]
    if row["status"] == Status.ACCEPTED:
        return row["mediation_due"]
    if row["status"] == Status.VERIFYING:
        return row["check_due"]
    return None


def history(complaint: Complaint):
    return list(complaint.events.order_by("at", "id"))


def due_items(user, *, today: dt.date | None = None, limit: int = 8) -> list[dict]:
    """The open complaints a handler should act on next: theirs and their unit's unclaimed ones, soonest first."""
    today = today or timezone.localdate()
    qs = complaints_for(user).filter(status__in=(Status.RECEIVED, Status.ACCEPTED, Status.VERIFYING)).filter(
        Q(handler=user) | Q(handler__isnull=True))
    rows = []
    for row in qs.order_by("-id").values(*LIST_FIELDS)[:200]:
        due = _row_due(row)
        rows.append({"number": row["number"], "entity_name": row["entity_name"], "status": Status(row["status"]).label,
                     "due": due, "late": bool(due and due < today), "provisional": row["calendar_pending"]})
    rows.sort(key=lambda r: (r["due"] is None, r["due"] or today))
    return rows[:limit]


# --- analytics for leaders (scoped, GROUP BY only) --------------------------------------------------------------------


def analytics(user, *, date_from: dt.date, date_to: dt.date, today: dt.date | None = None) -> dict:
    """Hot topics, industries, businesses, money recovered and clock compliance per unit, over a period."""
    from jianguan.registry.models import Industry

    today = today or timezone.localdate()
    base = complaints_for(user).filter(received_on__gte=date_from, received_on__lte=date_to)
    complaints = base.filter(kind=Kind.COMPLAINT)
    money = Coalesce(Sum("money_recovered"), Value(Decimal("0")), output_field=DecimalField())
    totals = base.aggregate(
        complaints=Count("id", filter=Q(kind=Kind.COMPLAINT)), reports=Count("id", filter=Q(kind=Kind.REPORT)),
        accepted=Count("id", filter=Q(kind=Kind.COMPLAINT, status__in=(Status.ACCEPTED, Status.AGREED,
                                                                        Status.TERMINATED, Status.CLOSED))),
        agreed=Count("id", filter=Q(kind=Kind.COMPLAINT, ended_on__isnull=False, agreement__gt="")),
        leads=Count("id", filter=Q(kind=Kind.REPORT, lead_id__isnull=False)),
        money=money)
    categories = [{"code": r["category"], "label": Category(r["category"]).label, "n": r["n"]}
                  for r in base.values("category").annotate(n=Count("id")).order_by("-n", "category")]
    industry_rows = list(base.filter(entity__isnull=False).values("entity__industry__parent_id")
                         .annotate(n=Count("id")).order_by("-n")[:12])
    names = dict(Industry.objects.filter(code__in=[r["entity__industry__parent_id"] for r in industry_rows])
                 .values_list("code", "name"))
    industries = [{"label": names.get(r["entity__industry__parent_id"]) or "其他", "n": r["n"]}
                  for r in industry_rows]
    unregistered = base.filter(entity__isnull=True).count()
    if unregistered:
        industries.append({"label": "未登记经营者", "n": unregistered})
    # A ranked table, not a donut of a dozen slices: rank, count, share of all complaints and reports of the period.
    industries.sort(key=lambda r: -r["n"])
    whole = totals["complaints"] + totals["reports"]
    for rank, row in enumerate(industries, 1):
        row["rank"] = rank
        row["share"] = round(100 * row["n"] / whole, 1) if whole else 0.0
    businesses = list(base.values("entity_name").annotate(n=Count("id"), money=money).order_by("-n", "entity_name")[:10])
    money_rows = (complaints.filter(ended_on__isnull=False, money_recovered__gt=0)
                  .annotate(month=TruncMonth("ended_on")).values("month").annotate(money=money).order_by("month"))
    by_month = {r["month"].strftime("%Y-%m"): float(r["money"]) for r in money_rows if r["month"]}
    # Every month of the period (and any later month a complaint of the period ended in) gets its bar, zero or not.
    last = max([date_to.strftime("%Y-%m"), *by_month])
    money_by_month, year, month = [], date_from.year, date_from.month
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        money_by_month.append({"month": key, "money": by_month.get(key, 0.0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    clock_rows = complaints.values("unit_id").annotate(
        decided=Count("id", filter=Q(decided_on__isnull=False)),
        on_time=Count("id", filter=Q(decided_on__isnull=False, decided_on__lte=F("accept_due"))),
        waiting_late=Count("id", filter=Q(status=Status.RECEIVED, accept_due__lt=today)),
        ended=Count("id", filter=Q(ended_on__isnull=False)),
        ended_on_time=Count("id", filter=Q(ended_on__isnull=False, ended_on__lte=F("mediation_due"))),
    ).order_by("unit_id")
    unit_names = dict(OrgUnit.objects.filter(id__in=[r["unit_id"] for r in clock_rows]).values_list("id", "name"))
    clocks = []
    for r in clock_rows:
        decided = r["decided"]
        clocks.append({"unit": unit_names.get(r["unit_id"], ""), "decided": decided, "on_time": r["on_time"],
                       "rate": round(100 * r["on_time"] / decided, 1) if decided else None,
                       "waiting_late": r["waiting_late"], "ended": r["ended"],
                       "ended_rate": round(100 * r["ended_on_time"] / r["ended"], 1) if r["ended"] else None})
    clocks.sort(key=lambda c: (c["rate"] is None, c["rate"] if c["rate"] is not None else 0))
    return {"totals": totals, "categories": categories, "industries": industries, "businesses": businesses,
            "money_by_month": money_by_month, "clocks": clocks}


# --- public statistics: company level, complaints only, never a person or a story -----------------------------------

RESOLVED = (Status.AGREED,)
ACCEPTED_OR_LATER = (Status.ACCEPTED, Status.AGREED, Status.TERMINATED, Status.CLOSED)


def _stats_aggregates() -> dict:
    money = Coalesce(Sum("money_recovered"), Value(Decimal("0")), output_field=DecimalField())
    return {
        "total": Count("id"),
        "accepted": Count("id", filter=Q(decided_on__isnull=False, refusal_reason="")),
        "resolved": Count("id", filter=Q(ended_on__isnull=False, agreement__gt="")),
        "money": money,
    }


def _rates(row: dict) -> dict:
    total, accepted = row["total"], row["accepted"]
    return {
        "total": total,
        "accepted": accepted,
        "acceptance_rate": round(100 * accepted / total, 1) if total else None,
        "resolved": row["resolved"],
        "resolution_rate": round(100 * row["resolved"] / accepted, 1) if accepted else None,
        "money_recovered": row["money"],
    }


def public_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 12 months (365 days) up to ``today``."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=364), today


def public_stats_for(entity, *, today: dt.date | None = None) -> dict | None:
    """Complaint figures of one business over the last 12 months, for public pages (the portal's entity record):
    counts, acceptance and resolution rates, money recovered. Reports are not counted (they are enforcement
    matters), and nothing about any complaint's content or person is returned. None below the publication
    threshold (rule ``complaints.public_stats_min_count``), so that a single complaint cannot be singled out."""
    start, end = public_window(today)
    row = (Complaint.objects.filter(entity=entity, kind=Kind.COMPLAINT, received_on__gte=start, received_on__lte=end)
           .aggregate(**_stats_aggregates()))
    if row["total"] < int(rule("complaints.public_stats_min_count", on=end)):
        return None
    return {"entity_name": entity.name, "uscc": entity.uscc, "period": (start, end), **_rates(row)}


def public_stats_table(*, q: str = "", limit: int = 50, today: dt.date | None = None) -> dict:
    """The businesses with the most complaints in the last 12 months (at or above the threshold), or those whose
    name contains ``q``. Registered businesses only: free-text names are not checked facts."""
    start, end = public_window(today)
    minimum = int(rule("complaints.public_stats_min_count", on=end))
    qs = Complaint.objects.filter(kind=Kind.COMPLAINT, entity__isnull=False, received_on__gte=start,
                                  received_on__lte=end)
    if q:
        qs = qs.filter(entity__name__contains=q)
    rows = (qs.values("entity_id", "entity__name", "entity__uscc").annotate(**_stats_aggregates())
            .filter(total__gte=minimum).order_by("-total", "entity_id")[:limit])
    overall = Complaint.objects.filter(kind=Kind.COMPLAINT, received_on__gte=start,
                                       received_on__lte=end).aggregate(**_stats_aggregates())
    return {
        "period": (start, end),
        "minimum": minimum,
        "overall": _rates(overall),
        "rows": [{"entity_name": r["entity__name"], "uscc": r["entity__uscc"], **_rates(r)} for r in rows],
    }


def complaint_count_since(entity_id: int, since: dt.date) -> int:
    return Complaint.objects.filter(entity_id=entity_id, kind=Kind.COMPLAINT, received_on__gte=since).count()


# --- progress steps on the complaint page ----------------------------------------------------------------------------


def complaint_steps(c) -> list:
    """A complaint: 收到 → 受理 → 调解 → 办结 (stopped at 受理 when refused); a report: 收到 → 核查 → 处理 → 办结."""
    from jianguan.core.steps import progress

    from .models import Kind, Status

    if c.kind == Kind.COMPLAINT:
        labels = ["收到", "受理", "调解", "办结"]
        if c.status == Status.REFUSED:
            return progress(labels, 1, stopped="不予受理")
        at = {Status.RECEIVED: 1, Status.ACCEPTED: 2, Status.AGREED: 3, Status.TERMINATED: 3,
              Status.CLOSED: 4}.get(c.status, 1)
        note = {Status.AGREED: "调解成功", Status.TERMINATED: "终止调解"}.get(c.status, "")
        return progress(labels, at, note=note)
    labels = ["收到", "核查", "处理", "办结"]
    at = {Status.RECEIVED: 1, Status.VERIFYING: 1, Status.LEAD: 3, Status.DISMISSED: 3,
          Status.CLOSED: 4}.get(c.status, 1)
    note = {Status.LEAD: "已转为执法线索", Status.DISMISSED: "核查未发现违法"}.get(c.status, "")
    return progress(labels, at, note=note)
