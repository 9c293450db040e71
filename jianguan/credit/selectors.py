"""Reads of credit supervision that respect the user's scope. Views and the staff API use only these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q, QuerySet

from jianguan.core import aggregates
from jianguan.core import lists as core_lists
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule
from jianguan.core.scope import Scope, restrict, scope_filter, scope_for, scoped_units
from jianguan.registry.models import Entity, EntityStatus

from . import periods
from .models import (
    AnnualReport,
    EntityRisk,
    EntryStatus,
    InstantInfo,
    ListEntry,
    ListKind,
    RepairApplication,
    RiskClass,
)

CLASSES = [c.value for c in RiskClass]


def risks_for(user) -> QuerySet[EntityRisk]:
    return scope_filter(EntityRisk.objects.all(), user, "entity__unit")


def entries_for(user) -> QuerySet[ListEntry]:
    return scope_filter(ListEntry.objects.all(), user, "entity__unit")


def repairs_for(user) -> QuerySet[RepairApplication]:
    return scope_filter(RepairApplication.objects.all(), user, "entity__unit")


def instant_for(user) -> QuerySet[InstantInfo]:
    return scope_filter(InstantInfo.objects.all(), user, "entity__unit")


def reports_for(user) -> QuerySet[AnnualReport]:
    return scope_filter(AnnualReport.objects.all(), user, "entity__unit")


def _rollup_unit(units: dict[int, OrgUnit], unit_id: int, everything: bool) -> OrgUnit:
    """Group a station's numbers under its district for a city-level reader; keep stations for a district reader."""
    unit = units[unit_id]
    if everything and unit.kind == OrgUnit.Kind.STATION and unit.parent_id in units:
        return units[unit.parent_id]
    return unit


def _per_unit(user, rows, keys) -> list[dict]:
    scope = scope_for(user)
    units = {u.pk: u for u in OrgUnit.objects.all()}
    table: dict[int, dict] = {}
    for row in rows:
        unit = _rollup_unit(units, row["unit"], scope.everything)
        line = table.setdefault(unit.pk, {"unit": unit, **{k: 0 for k in keys}})
        for k in keys:
            line[k] += row[k] or 0
    return sorted(table.values(), key=lambda r: r["unit"].path)


@aggregates.register("credit.risk_classes", after=("credit-risk-reclassify",))
def _class_counts(scope: Scope) -> list[dict]:
    """Entities per risk class for each unit of ``scope`` (the unit's id under "unit"): a ``core.aggregates``
    aggregate, counted now at a city's size and read from the sweep's count at a province's."""
    rows = (restrict(EntityRisk.objects.all(), scope, "entity__unit").values(unit=F("entity__unit"))
            .annotate(**{c: Count("pk", filter=Q(risk_class=c)) for c in CLASSES}))
    return [dict(row) for row in rows]


def class_distribution(user) -> tuple[list[dict], dt.datetime | None]:
    """Entities per risk class for each unit in scope (stations rolled up into districts for city readers), and when
    they were counted (None: now)."""
    counted = aggregates.read("credit.risk_classes", scope_for(user))
    table = _per_unit(user, counted.rows, CLASSES)
    for line in table:
        line["total"] = sum(line[c] for c in CLASSES)
    return table, counted.computed_at


def required_entities(year: int) -> QuerySet[Entity]:
    on = dt.date(year + 1, 1, 1)
    offset = int(rule("credit.report.first_year_offset", on=on))
    return Entity.objects.filter(status=EntityStatus.ACTIVE, kind__in=list(rule("credit.report.required_kinds", on=on)),
                                 established_on__lt=dt.date(year - offset + 1, 1, 1))


def _recent_years(today: dt.date) -> list[tuple]:
    """The report years the filing page offers first: the latest that could be filed, and the one before."""
    latest = periods.latest_fileable_year(today)
    return [(latest,), (latest - 1,)]


@aggregates.register("credit.filing", variants=_recent_years)
def _filing_counts(scope: Scope, year: int) -> list[dict]:
    """Per unit of ``scope``: entities that had to file ``year``'s report, how many filed, late, all-zero (an
    aggregate of ``core.aggregates``)."""
    required = restrict(required_entities(year), scope, "unit")
    due = required.values("unit").annotate(required=Count("pk"))
    filed = (restrict(AnnualReport.objects.all(), scope, "entity__unit")
             .filter(year=year, is_current=True, entity__in=required)
             .values(unit=F("entity__unit"))
             .annotate(filed=Count("pk"), late=Count("pk", filter=Q(late=True)),
                       zero=Count("pk", filter=Q(financials_all_zero=True))))
    merged: dict[int, dict] = defaultdict(lambda: {"required": 0, "filed": 0, "late": 0, "zero": 0})
    for row in due:
        merged[row["unit"]]["required"] = row["required"]
    for row in filed:
        merged[row["unit"]].update(filed=row["filed"], late=row["late"], zero=row["zero"])
    return [{"unit": k, **v} for k, v in merged.items()]


def filing_counts(user, year: int) -> aggregates.Result:
    """The per-unit filing figures of ``year`` for ``user``'s scope (raw rows, ``core.aggregates``)."""
    return aggregates.read("credit.filing", scope_for(user), year)


def filing_rates(user, year: int, counted: aggregates.Result | None = None) -> tuple[list[dict], dt.datetime | None]:
    """Per unit in scope: entities that had to file ``year``'s report, how many filed, how many late, the rate; and
    when they were counted (None: now). ``counted``: ``filing_counts`` already read."""
    counted = counted or filing_counts(user, year)
    table = _per_unit(user, counted.rows, ["required", "filed", "late", "zero"])
    for line in table:
        line["missing"] = line["required"] - line["filed"]
        line["rate"] = round(100 * line["filed"] / line["required"], 1) if line["required"] else None
    return table, counted.computed_at


def filing_total(user, counted: aggregates.Result, *, status: str = "", unit: str = "") -> int:
    """How many rows ``filing_search`` gives for a status and a unit (no name filter), from the per-unit figures
    rather than by counting the entities again."""
    rows = counted.rows
    if unit:
        root = scoped_units(user).filter(code=unit).values_list("path", flat=True).first()
        inside = set(OrgUnit.objects.filter(path__startswith=root).values_list("id", flat=True)) if root else set()
        rows = [r for r in rows if r["unit"] in inside]
    if status == "missing":
        return sum(r["required"] - r["filed"] for r in rows)
    return sum(r[{"": "required", "filed": "filed", "late": "late", "zero": "zero"}[status]] for r in rows)


def filing_segments(qs: QuerySet[Entity], year: int, status: str = "", total: int | None = None,
                    units: list[int] | None = None) -> core_lists.Segments:
    """``filing_search``'s rows in FILING_LIST's default order — the non-filers, then the late filers, then those
    filed in time, each by name — as segments an index on the name can serve (``core.lists.Segments``). ``units``:
    the few units the rows are limited to (a district's: ``registry.selectors.search_units``), each segment then
    read unit by unit along ``entity_unit_name`` (``core.lists.ByUnit``); None for the city."""
    from django.db.models import Exists, OuterRef

    current = AnnualReport.objects.filter(entity=OuterRef("pk"), year=year, is_current=True)
    parts = {"missing": qs.filter(~Exists(current)), "late": qs.filter(Exists(current.filter(late=True))),
             "in_time": qs.filter(Exists(current.filter(late=False)))}
    wanted = {"": ["missing", "late", "in_time"], "missing": ["missing"], "filed": ["late", "in_time"],
              "late": ["late"], "zero": ["late", "in_time"]}[status]
    if units:
        return core_lists.Segments([core_lists.ByUnit(parts[k], units, ("name", "id")) for k in wanted], total)
    return core_lists.Segments([parts[k].order_by("name", "pk") for k in wanted], total)


def abnormal_entries(user) -> QuerySet[ListEntry]:
    return entries_for(user).filter(list_kind__in=[ListKind.ABNORMAL, ListKind.ABNORMAL_STATUS])


def serious_entries(user) -> QuerySet[ListEntry]:
    return entries_for(user).filter(list_kind=ListKind.SERIOUS)


def units_for_filter(user) -> QuerySet[OrgUnit]:
    return scoped_units(user).filter(kind__in=[OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STATION])


def removal_clocks(user, *, today: dt.date, limit: int = 50, soon: int = 7) -> list[ListEntry]:
    """Abnormal-list entries whose removal (5 working days from the application or from finding the cause cured) is
    due within ``soon`` days or overdue (``removal_overdue``, set by the nightly job) — overdue first, each with its
    ``explained`` (computed from the entry's own fields). One query; empty without the permission to see lists."""
    from django.db.models import Q

    from . import clocks

    if not user.has_perm("credit.view_listentry"):
        return []
    entries = list(entries_for(user).filter(status=EntryStatus.ACTIVE).exclude(list_kind=ListKind.SERIOUS)
                   .filter(Q(removal_overdue=True) | Q(removal_due_on__lte=today + dt.timedelta(days=soon)))
                   .select_related("entity").order_by("-removal_overdue", "removal_due_on", "id")[:limit])
    for e in entries:
        e.days_left = (e.removal_due_on - today).days if e.removal_due_on else None
        e.late = e.removal_overdue or bool(e.removal_due_on and e.removal_due_on < today)
        e.explained = clocks.removal_explained(e)
    return entries


# --- the abnormal-operations list on the workbench (core.lists) -------------------------------------------------------


def _listed(entry) -> str:
    return " ".join(x for x in (f"{entry.listed_on:%Y-%m-%d}" if entry.listed_on else "", entry.decision_no) if x)


def _ground(entry) -> str:
    return entry.get_ground_display() + (f"（{entry.report_year}年度）" if entry.report_year else "")


def _status(entry) -> str:
    removed = f" {entry.removed_on:%Y-%m-%d} {entry.removal_reason}".rstrip() if entry.removed_on else ""
    return entry.get_status_display() + removed


def _clock(entry) -> str:
    """The clock that runs on the entry now (``clocks.deadline_explained``), as the list and its export show it."""
    from . import clocks

    explained = clocks.deadline_explained(entry)
    if explained is None or explained.due_on is None or entry.status != EntryStatus.ACTIVE:
        return ""
    return f"{explained.what}：{explained.due_on:%Y-%m-%d}"


ABNORMAL_LIST = core_lists.Spec(
    key="credit.abnormal", title="经营异常名录", default_sort="-listed", default_note="最近列入的在前",
    export_permission="credit.view_listentry",
    columns=(
        core_lists.Column("entity", "主体", "entity.name", sort="entity__name", width=32),
        core_lists.Column("uscc", "统一社会信用代码", "entity.uscc", sort="entity__uscc", width=20, header=False),
        core_lists.Column("kind", "名录", "get_list_kind_display", width=14),
        core_lists.Column("ground", "事由", _ground, sort="ground", width=24),
        core_lists.Column("listed", "列入日期 / 文号", _listed, sort=("listed_on", "proposed_on"), width=28),
        core_lists.Column("unit", "决定机关", lambda e: e.deciding_unit.short_name or e.deciding_unit.name
                          if e.deciding_unit_id else "", sort="deciding_unit__path", width=18),
        core_lists.Column("status", "状态", _status, sort="status", width=16),
        core_lists.Column("clock", "移出期限 / 届满", _clock, width=30),
    ))


def _serious_dates(entry) -> str:
    parts = [f"提请 {entry.proposed_on:%Y-%m-%d}" if entry.proposed_on else "",
             f"列入 {entry.listed_on:%Y-%m-%d} {entry.decision_no}".rstrip() if entry.listed_on else ""]
    return "；".join(p for p in parts if p)


SERIOUS_LIST = core_lists.Spec(
    key="credit.serious", title="严重违法失信名单", default_sort="-dates", default_note="最近提请的在前",
    export_permission="credit.view_listentry",
    columns=(
        core_lists.Column("entity", "主体", "entity.name", sort="entity__name", width=32),
        core_lists.Column("uscc", "统一社会信用代码", "entity.uscc", sort="entity__uscc", width=20, header=False),
        core_lists.Column("ground", "情形", "get_ground_display", sort="ground", width=24),
        core_lists.Column("penalty", "处罚决定书文号", "penalty_ref", width=24, header=False),
        core_lists.Column("dates", "提请 / 列入", _serious_dates, sort=("proposed_on", "listed_on"), width=30),
        core_lists.Column("term", "期限届满", "term_ends_on", sort="term_ends_on", width=12),
        core_lists.Column("status", "状态", "get_status_display", sort="status", width=10),
    ))


def _unit(entity) -> str:
    return entity.unit.short_name or entity.unit.name


RISK_CLASS_LIST = core_lists.Spec(
    key="credit.risk_class", title="信用风险分类主体", default_sort="-score", default_note="分值最高的在前",
    export_permission="credit.view_entityrisk",
    columns=(
        core_lists.Column("entity", "主体", "entity.name", sort="entity__name", width=32),
        core_lists.Column("uscc", "统一社会信用代码", "entity.uscc", sort="entity__uscc", width=20, header=False),
        core_lists.Column("unit", "监管单位", lambda r: _unit(r.entity), sort="entity__unit__path", width=18),
        core_lists.Column("risk_class", "分类", "risk_class", width=6, header=False),
        core_lists.Column("score", "分值", sort="score", width=8),
        core_lists.Column("reasons", "依据", "reasons_text", width=60),
    ))

ZERO_LIST = core_lists.Spec(
    key="credit.zero", title="年报财务数据全为零的主体", default_sort="entity", default_note="按主体名称",
    export_permission="credit.view_annualreport",
    columns=(
        core_lists.Column("entity", "主体", "entity.name", sort="entity__name", width=32),
        core_lists.Column("uscc", "统一社会信用代码", "entity.uscc", sort="entity__uscc", width=20, header=False),
        core_lists.Column("unit", "监管单位", lambda r: _unit(r.entity), sort="entity__unit__path", width=18),
        core_lists.Column("filed_on", "报送日期", sort="filed_on", width=12),
        core_lists.Column("late", "逾期报送", "late", width=8, header=False),
        core_lists.Column("employees", "从业人数", sort="employees", width=10),
    ))


def _filing(entity) -> str:
    return "未报" if entity.r_filed_on is None else "逾期补报" if entity.r_late else "已报"


#: 年报报送情况, the entities that had to file: a chase list — the non-filers first, then the late ones, by name.
FILING_LIST = core_lists.Spec(
    key="credit.filing", title="年报报送情况", default_sort="filing", default_note="未报的在前，其次逾期补报，按名称",
    export_permission="credit.view_annualreport",
    columns=(
        core_lists.Column("entity", "主体", "name", sort="name", width=32),
        core_lists.Column("uscc", "统一社会信用代码", sort="uscc", width=20, header=False),
        core_lists.Column("unit", "监管单位", _unit, sort=("unit__path", "name"), width=18),
        core_lists.Column("established_on", "成立日期", sort=("established_on", "name"), width=12),
        core_lists.Column("filing", "报送情况", _filing, sort=("filing_rank", "name"), width=10),
        core_lists.Column("filed_on", "报送日期", "r_filed_on", sort=("r_filed_on", "name"), width=12),
        core_lists.Column("zero", "财务全零", lambda e: None if e.r_filed_on is None else bool(e.r_zero), width=10,
                          header=False),
    ))

#: The filters of FILING_LIST's ``status``.
FILING_STATES = (("missing", "未报"), ("filed", "已报（含逾期补报）"), ("late", "逾期补报"), ("zero", "财务数据全为零"))


def filing_search(user, year: int, *, status: str = "", unit: str = "", q: str = "") -> QuerySet[Entity]:
    """The entities in ``user``'s scope that had to file ``year``'s annual report, each with its current report's
    date, lateness and all-zero flag (``r_filed_on``, ``r_late``, ``r_zero``, ``filing_rank``: 0 not filed, 1 late,
    2 filed), matching a status of FILING_STATES, a unit's code (its sub-units included) and a name or code."""
    from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When

    current = AnnualReport.objects.filter(entity=OuterRef("pk"), year=year, is_current=True)
    qs = (scope_filter(required_entities(year), user, "unit").select_related("unit")
          .annotate(r_filed_on=Subquery(current.values("filed_on")[:1]), r_late=Subquery(current.values("late")[:1]),
                    r_zero=Subquery(current.values("financials_all_zero")[:1]))
          .annotate(filing_rank=Case(When(r_filed_on__isnull=True, then=Value(0)), When(r_late=True, then=Value(1)),
                                     default=Value(2), output_field=IntegerField())))
    if status == "missing":
        qs = qs.filter(~Exists(current))
    elif status == "filed":
        qs = qs.filter(Exists(current))
    elif status == "late":
        qs = qs.filter(Exists(current.filter(late=True)))
    elif status == "zero":
        qs = qs.filter(Exists(current.filter(financials_all_zero=True)))
    if unit:
        root = scoped_units(user).filter(code=unit).values_list("path", flat=True).first()
        qs = qs.filter(unit__path__startswith=root) if root else qs.none()
    if q:
        qs = qs.filter(name__contains=q) if len(q) != 18 else qs.filter(uscc=q.upper())
    return qs


def _repair_matter(a) -> str:
    if a.list_entry_id:
        return f"{a.list_entry.get_list_kind_display()}：{a.list_entry.decision_no}"
    return f"{a.penalty_ref}（{a.get_penalty_sector_display()}，公示于 {a.penalty_published_on:%Y-%m-%d}）"


#: 信用修复: pending applications are a work queue, the oldest application first.
REPAIR_LIST = core_lists.Spec(
    key="credit.repairs", title="信用修复申请", default_sort="applied_on", default_note="申请最早的在前",
    export_permission="credit.view_repairapplication",
    columns=(
        core_lists.Column("entity", "主体", "entity.name", sort="entity__name", width=32),
        core_lists.Column("uscc", "统一社会信用代码", "entity.uscc", width=20, header=False),
        core_lists.Column("kind", "类型 / 事项", lambda a: f"{a.get_kind_display()} {_repair_matter(a)}",
                          sort="kind", width=40),
        core_lists.Column("applied_on", "申请日期", sort="applied_on", width=12),
        core_lists.Column("unit", "受理机关", lambda a: a.deciding_unit.short_name or a.deciding_unit.name
                          if a.deciding_unit_id else "", sort="deciding_unit__path", width=18),
        core_lists.Column("status", "状态", lambda a: " ".join(x for x in (a.get_status_display(), a.decision_no)
                                                                if x), sort="status", width=16),
    ))

#: 即时信息 past its clock: a work queue, the longest overdue first.
INSTANT_LIST = core_lists.Spec(
    key="credit.instant", title="逾期未公示的即时信息", default_sort="due_on", default_note="应公示截止最早的在前",
    export_permission="credit.view_instantinfo",
    columns=(
        core_lists.Column("entity", "主体", "entity.name", sort="entity__name", width=32),
        core_lists.Column("uscc", "统一社会信用代码", "entity.uscc", width=20, header=False),
        core_lists.Column("kind", "类别", "get_kind_display", sort="kind", width=20),
        core_lists.Column("arose_on", "形成日期", sort="arose_on", width=12),
        core_lists.Column("due_on", "应公示截止", sort="due_on", width=12),
        core_lists.Column("ordered", "责令公示", lambda i: f"{i.ordered_on:%Y-%m-%d}，期限至 {i.order_due_on:%Y-%m-%d}"
                          if i.ordered_on else "", sort="ordered_on", width=28),
    ))
