"""The dashboard's panels: each a function of (scope, today) returning plain JSON — figures, chart series and, for
every figure, the URL of the list behind it. ``register`` is the plug-in point for sector apps that want a whole
panel; a single figure is better registered as a metric (``workplan.metrics``), which the dashboard shows as a
tile anyway.

Panels are computed at most once per ``dashboard.max_age_minutes`` per scope and kept in ``Snapshot``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse

from jianguan.core import aggregates
from jianguan.core.models import OrgUnit
from jianguan.core.scope import Scope, restrict
from jianguan.workplan.metrics import query, within


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    fn: Callable[[Scope, dt.date], dict]
    order: int = 100
    permission: str | None = None


PANELS: dict[str, Panel] = {}


def register(key: str, title: str, fn: Callable[[Scope, dt.date], dict], *, order: int = 100,
             permission: str | None = None) -> Panel:
    p = Panel(key, title, fn, order, permission)
    PANELS[key] = p
    return p


def panel(key: str, title: str, **kwargs):
    def deco(fn):
        register(key, title, fn, **kwargs)
        return fn

    return deco


def ordered() -> list[Panel]:
    return sorted(PANELS.values(), key=lambda p: (p.order, p.key))


# --- helpers -----------------------------------------------------------------------------------------------------


def _months(today: dt.date, n: int = 12) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


def _month_end(d: dt.date) -> dt.date:
    return ((d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)) - dt.timedelta(days=1)


def _rollup(scope: Scope):
    """unit id → the unit its figures are shown under: districts for a city reader, stations for a district one."""
    units = {u.pk: u for u in OrgUnit.objects.all()}

    def up(unit_id: int) -> OrgUnit:
        u = units[unit_id]
        if scope.everything and u.kind == OrgUnit.Kind.STATION and u.parent_id:
            return units[u.parent_id]
        return u

    return up


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _pct(a, b) -> float | None:
    return round(100 * a / b, 1) if b else None


# --- built-in panels ---------------------------------------------------------------------------------------------


@aggregates.register("dashboard.established", variants=lambda today: [(_months(today)[0].isoformat(), today.isoformat())])
def _established_per_month(scope: Scope, start: str, end: str) -> list[dict]:
    """Per unit of ``scope``: entities established in each month from ``start`` to ``end`` (ISO dates)."""
    from jianguan.registry.models import Entity

    table: dict[int, dict] = {}
    for unit, month, n in (restrict(Entity.objects.filter(established_on__gte=start, established_on__lte=end), scope)
                           .annotate(m=TruncMonth("established_on")).values_list("unit", "m")
                           .annotate(n=Count("pk")).order_by()):
        table.setdefault(unit, {"unit": unit, "months": {}})["months"][f"{_day(month):%Y-%m}"] = n
    return list(table.values())


@panel("entities", "市场主体", order=10)
def entities(scope: Scope, today: dt.date) -> dict:
    """From the per-unit counts of ``core.aggregates`` (exact at a city's size; the sweep's at a province's, where
    counting 10,000,000 rows for the city and again for each district was most of the dashboard's refresh)."""
    from jianguan.registry import metrics as registry_metrics  # noqa: F401  (registers registry.active)
    from jianguan.registry.models import EntityKind, EntityStatus

    url = reverse("registry:entity_list")
    up = _rollup(scope)
    by_unit: dict[str, dict] = {}
    by_kind: dict[str, int] = {}
    total = 0
    for row in aggregates.read("registry.active", scope).rows:
        u = up(row["unit"])
        line = by_unit.setdefault(u.code, {"name": u.short_name or u.name, "path": u.path, "n": 0})
        for kind, n in row["by_kind"].items():
            line["n"] += n
            by_kind[kind] = by_kind.get(kind, 0) + n
            total += n
    months = _months(today)
    per_month: dict[str, int] = {}
    for row in aggregates.read("dashboard.established", scope, months[0].isoformat(), today.isoformat()).rows:
        for month, n in row["months"].items():
            per_month[month] = per_month.get(month, 0) + n
    labels = dict(EntityKind.choices)
    return {
        "total": total, "total_url": url + query({"status": EntityStatus.ACTIVE}),
        "by_unit": [{"label": v["name"], "value": v["n"],
                     "url": url + query({"unit": code, "status": EntityStatus.ACTIVE})}
                    for code, v in sorted(by_unit.items(), key=lambda kv: kv[1]["path"])],
        "by_kind": [{"label": labels.get(k, k), "value": n, "url": url + query({"kind": k, "status": EntityStatus.ACTIVE})}
                    for k, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))],
        "new_by_month": [{"label": f"{m:%Y-%m}", "value": per_month.get(f"{m:%Y-%m}", 0), "url": url} for m in months],
        "new_this_year": sum(v for k, v in per_month.items() if k.startswith(f"{today.year}-")),
    }


@panel("startup", "企业开办", order=20)
def startup(scope: Scope, today: dt.date) -> dict:
    from django.utils import timezone

    from jianguan.startup.models import Application

    qs = within(Application.objects.all(), scope, "registration_authority")
    pending = qs.filter(state=Application.State.IN_REVIEW)
    counts = pending.aggregate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=timezone.now())))
    return {"pending": counts["n"], "pending_late": counts["late"],
            "url": reverse("startup:list"), "stats_url": reverse("startup:stats")}


@panel("risk", "信用风险分类", order=30)
def risk(scope: Scope, today: dt.date) -> dict:
    """From the per-unit class counts the risk page shows (``credit.risk_classes``, ``core.aggregates``)."""
    from jianguan.credit import selectors as credit_selectors  # noqa: F401  (registers credit.risk_classes)
    from jianguan.credit.models import RiskClass

    counts: dict[str, int] = {}
    for row in aggregates.read("credit.risk_classes", scope).rows:
        for c, _label in RiskClass.choices:
            counts[c] = counts.get(c, 0) + (row.get(c) or 0)
    url = reverse("credit:home")
    return {"classes": [{"label": f"{c}类 {label}", "value": counts.get(c, 0), "url": url}
                        for c, label in RiskClass.choices]}


@panel("inspections", "双随机抽查", order=40)
def inspections(scope: Scope, today: dt.date) -> dict:
    from jianguan.inspections.models import InspectionTask, TaskStatus

    rows = dict(within(InspectionTask.objects.filter(batch__plan__year=today.year).exclude(status=TaskStatus.VOID),
                       scope).values_list("status").annotate(n=Count("pk")).order_by())
    overdue = within(InspectionTask.objects.filter(batch__plan__year=today.year, overdue=True,
                                                   status__in=(TaskStatus.ASSIGNED, TaskStatus.RECORDED)),
                     scope).count()
    url = reverse("inspections:task_list")
    labels = dict(TaskStatus.choices)
    statuses = [s for s in TaskStatus.values if s != TaskStatus.VOID]
    return {"by_status": [{"label": labels[s], "value": rows.get(s, 0), "url": url + query({"all": 1, "status": s})}
                          for s in statuses],
            "total": sum(rows.get(s, 0) for s in statuses), "overdue": overdue,
            "plans_url": reverse("inspections:plan_list")}


@panel("cases", "行政执法", order=50)
def cases(scope: Scope, today: dt.date) -> dict:
    from jianguan.enforcement.models import OPEN_CASE_STATUSES, Case, Penalty
    from jianguan.enforcement.rules import case_type_label

    url = reverse("enforcement:cases")
    start = dt.date(today.year, 1, 1)
    qs = within(Case.objects.filter(Q(filed_on__gte=start) | Q(status__in=OPEN_CASE_STATUSES)), scope)
    rows = (qs.values("case_type").annotate(
        open_ok=Count("pk", filter=Q(status__in=OPEN_CASE_STATUSES, overdue=False)),
        open_late=Count("pk", filter=Q(status__in=OPEN_CASE_STATUSES, overdue=True)),
        decided=Count("pk", filter=~Q(status__in=OPEN_CASE_STATUSES))).order_by())
    fines = within(Penalty.objects.filter(decided_on__gte=start, decided_on__lte=today), scope).aggregate(
        f=Sum("fine_amount"), c=Sum("confiscated_amount"), n=Count("pk"))
    types = sorted(rows, key=lambda r: -(r["open_ok"] + r["open_late"] + r["decided"]))
    return {
        "types": [{"label": case_type_label(r["case_type"]), "code": r["case_type"],
                   "url": url + query({"case_type": r["case_type"]})} for r in types],
        "series": [
            {"name": "办理中（期限内）", "values": [r["open_ok"] for r in types], "url": url + query({"status": "open"})},
            {"name": "办理中（超期）", "values": [r["open_late"] for r in types], "url": url + query({"overdue": "on"})},
            {"name": "已作出决定", "values": [r["decided"] for r in types], "url": url},
        ],
        "open_late": sum(r["open_late"] for r in types), "open_late_url": url + query({"overdue": "on"}),
        "filed_this_year": within(Case.objects.filter(filed_on__gte=start, filed_on__lte=today), scope).count(),
        "penalties": fines["n"], "fines_wan": round(float((fines["f"] or 0) + (fines["c"] or 0)) / 10000, 2),
        "url": url,
    }


@panel("complaints", "投诉举报", order=60)
def complaints(scope: Scope, today: dt.date) -> dict:
    from jianguan.complaints.models import Complaint, Kind

    months = _months(today)
    qs = within(Complaint.objects.filter(received_on__gte=months[0], received_on__lte=today), scope)
    per = {}
    for r in (qs.annotate(m=TruncMonth("received_on")).values("m", "kind").annotate(n=Count("pk")).order_by()):
        per[(_day(r["m"]), r["kind"])] = r["n"]
    url = reverse("complaints:list")
    year = within(Complaint.objects.filter(received_on__gte=dt.date(today.year, 1, 1), received_on__lte=today),
                  scope)
    agg = year.aggregate(n=Count("pk"), money=Sum("money_recovered"),
                         decided=Count("pk", filter=Q(kind=Kind.COMPLAINT, decided_on__isnull=False,
                                                       accept_due__isnull=False)),
                         on_time=Count("pk", filter=Q(kind=Kind.COMPLAINT, decided_on__isnull=False,
                                                       accept_due__isnull=False,
                                                       decided_on__lte=F("accept_due"))))

    def link(m, kind=""):
        return url + query({"date_from": m.isoformat(), "date_to": _month_end(m).isoformat(), "kind": kind})

    return {
        "months": [f"{m:%Y-%m}" for m in months],
        "series": [{"name": label, "values": [{"value": per.get((m, k), 0), "url": link(m, k)} for m in months]}
                   for k, label in Kind.choices],
        "this_year": agg["n"], "money_wan": round(float(agg["money"] or 0) / 10000, 2),
        "response_rate": _pct(agg["on_time"], agg["decided"]),
        "url": url + query({"date_from": dt.date(today.year, 1, 1).isoformat(), "date_to": today.isoformat()}),
        "overdue_url": url + query({"overdue": "on"}),
    }


@panel("kpis", "关键指标", order=5)
def kpis(scope: Scope, today: dt.date) -> dict:
    """Every registered metric (the sector apps' too) for this year, each linked to its records."""
    from jianguan.workplan import metrics

    ctx = metrics.Context(scope, today.year, today)
    readings = metrics.read_many(metrics.registered(), ctx)
    out = []
    first = ["registry", "startup", "credit", "inspections", "enforcement", "complaints"]

    def place(item):  # the core apps in the order of the seed article's work, then the sector apps by name
        app = item[0].split(".", 1)[0]
        return (first.index(app) if app in first else len(first), app, item[0])

    for key, m in sorted(metrics.registered().items(), key=place):
        r = readings[key]
        out.append({"key": key, "label": m.label, "unit": m.unit, "better": m.better, "url": m.url(ctx),
                     "value": None if r.value is None else float(r.value), "note": r.note,
                     "numerator": None if r.numerator is None else float(r.numerator),
                     "denominator": None if r.denominator is None else float(r.denominator)})
    return {"items": out}
