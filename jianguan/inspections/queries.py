"""Reads of inspections that respect the user's scope, and the object and inspector lists of a plan.

(This app's "selectors" module. It is named ``queries`` because ``draw.py`` lives in this directory and must run
as a standalone script — ``python3 draw.py verify bundle.json`` — and a ``selectors.py`` beside it would shadow the
standard library's ``selectors`` module, which ``multiprocessing`` imports.)

Scope: plans and batches belong to the unit that made the plan; tasks to the unit supervising the entity. A user
sees what lies in their scope (core.scope), and an inspector additionally the tasks of the teams they are on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.models import OrgUnit, StaffProfile
from jianguan.core.scope import get_in_scope_or_404, scope_filter, scope_for
from jianguan.registry.models import Entity, EntityStatus, Licence, LicenceStatus

from .models import (
    AssignmentMode,
    DrawBatch,
    InspectionPlan,
    InspectionTask,
    InspectorConflict,
    ListingProposal,
    TaskMember,
    TaskStatus,
)
from .rules import RISK_CLASSES

User = get_user_model()
DEFAULT_RISK_CLASS = "B"  # an entity without a risk-class record is sampled as "general risk"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


# --- Plans, batches, tasks ------------------------------------------------------------------------------------------


def plans_for(user) -> QuerySet[InspectionPlan]:
    return scope_filter(InspectionPlan.objects.select_related("unit"), user, "unit")


def plan_for(user, code: str) -> InspectionPlan:
    return get_in_scope_or_404(InspectionPlan.objects.select_related("unit"), user, "unit", code=code)


def batches_for(user) -> QuerySet[DrawBatch]:
    # The manifest and the bundle may hold millions of candidates: never load them for lists.
    return scope_filter(
        DrawBatch.objects.select_related("plan", "plan__unit").defer("manifest", "bundle"), user, "plan__unit"
    )


def batch_for(user, pk: int, *, full: bool = False) -> DrawBatch:
    qs = DrawBatch.objects.select_related("plan", "plan__unit", "redraw_of")
    if not full:
        qs = qs.defer("manifest", "bundle")
    return get_in_scope_or_404(qs, user, "plan__unit", pk=pk)


def tasks_for(user) -> QuerySet[InspectionTask]:
    """Tasks the user may see: those of teams they belong to, and — with ``inspections.view_inspectiontask`` — those
    of units in their scope. Scope alone is not enough: an administrator or a complaint handler of the same unit
    must not read the legal representative's mobile number and the findings (issue #14)."""
    qs = InspectionTask.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    own = TaskMember.objects.filter(inspector=user).values("task_id")
    if not user.has_perm("inspections.view_inspectiontask"):
        return qs.filter(pk__in=own)
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(Q(unit_id__in=scope.unit_ids) | Q(pk__in=own))


def task_list(user, *, mine: bool = False, status: str = "", batch: int | None = None) -> QuerySet[InspectionTask]:
    qs = tasks_for(user)
    if mine:
        qs = qs.filter(members__inspector=user)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=TaskStatus.VOID)
    if batch:
        qs = qs.filter(batch_id=batch)
    return (
        qs.select_related("entity", "unit", "batch", "batch__plan")
        .defer("batch__manifest", "batch__bundle")
        .prefetch_related(Prefetch("members", queryset=TaskMember.objects.select_related("inspector")))
        .order_by("status", "due_on", "batch_id", "position")
    )


def task_for(user, pk: int) -> InspectionTask:
    from django.http import Http404

    task = (
        tasks_for(user)
        .select_related("entity", "entity__unit", "unit", "batch", "batch__plan")
        .defer("batch__manifest", "batch__bundle")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def open_tasks_of(user) -> QuerySet[InspectionTask]:
    """The inspector's own tasks still waiting for a result or a confirmation."""
    return (
        InspectionTask.objects.filter(members__inspector=user, status__in=(TaskStatus.ASSIGNED, TaskStatus.RECORDED))
        .select_related("entity")
        .order_by("due_on", "id")
    )


def proposals_for(user) -> QuerySet[ListingProposal]:
    return scope_filter(
        ListingProposal.objects.select_related("entity", "unit", "task", "task__batch__plan").defer(
            "task__batch__manifest", "task__batch__bundle"
        ),
        user,
        "unit",
    )


# --- The inspector list (执法检查人员名录库) ---------------------------------------------------------------------------


@dataclass
class InspectorRow:
    profile: StaffProfile
    valid: bool
    reason: str = ""


def inspector_profiles(units: QuerySet[OrgUnit] | list[int]) -> QuerySet[StaffProfile]:
    """Active staff with the inspector role in ``units``."""
    return (
        StaffProfile.objects.filter(unit__in=units, user__is_active=True, user__groups__name="inspector")
        .select_related("user", "unit")
        .order_by("unit__path", "staff_code")
        .distinct()
    )


def inspector_rows(profiles, on: dt.date) -> list[InspectorRow]:
    """Each inspector with whether they may be drawn on ``on`` and, if not, why (named in the batch's report)."""
    rows = []
    for profile in profiles:
        if not profile.credential_no:
            rows.append(InspectorRow(profile, False, "无行政执法证"))
        elif profile.credential_expiry is None or profile.credential_expiry < on:
            expiry = profile.credential_expiry.isoformat() if profile.credential_expiry else "未填写"
            rows.append(InspectorRow(profile, False, f"执法证已过期（有效期至 {expiry}）"))
        elif not profile.staff_code.isascii():
            rows.append(InspectorRow(profile, False, "工号含非 ASCII 字符，不能写入抽取清单"))
        else:
            rows.append(InspectorRow(profile, True))
    return rows


def inspectors_for(user) -> QuerySet[StaffProfile]:
    """The inspector list as the user may see it (their scope)."""
    scope = scope_for(user)
    units = OrgUnit.objects.all() if scope.everything else OrgUnit.objects.filter(id__in=scope.unit_ids)
    return inspector_profiles(units)


def inspector_list_rows(profiles: list, on: dt.date | None = None) -> None:
    """``prepare`` of the inspector list: whether each may be drawn and why not, as ``valid`` / ``reason`` /
    ``drawable`` (a word for the export) on the profile itself."""
    from django.utils import timezone

    for row in inspector_rows(profiles, on or timezone.localdate()):
        p = row.profile
        p.valid, p.reason = row.valid, row.reason
        p.drawable = "可抽取" if row.valid else f"不参加抽取：{row.reason}"


def inspector_list_queryset(user) -> QuerySet[StaffProfile]:
    """The inspector list in the user's scope with each one's number of declared conflicts (a subquery: the list
    costs the same queries whatever its length)."""
    from django.db.models import Count, Subquery
    from django.db.models.functions import Coalesce

    from .models import InspectorConflict

    declared = (InspectorConflict.objects.filter(inspector=OuterRef("user_id")).order_by()
                .values("inspector").annotate(n=Count("id")).values("n"))
    return inspectors_for(user).annotate(
        conflicts=Coalesce(Subquery(declared, output_field=IntegerField()), 0))


#: 抽查事项清单 (一单): in the bureau's own order (排序, then code), the checklist in full in the export.
ITEM_LIST = lists.Spec(
    key="inspections.items", title="抽查事项清单", default_sort="sort", default_note="按清单顺序",
    export_permission="inspections.view_inspectionitem",
    columns=(
        lists.Column("code", "编码", sort="code", width=12),
        lists.Column("name", "抽查事项", sort=("name", "code"), width=30),
        lists.Column("department", "责任部门", sort=("department", "sort", "code"), width=20),
        lists.Column("object_type", "检查对象", sort=("object_type", "sort", "code"), width=20),
        lists.Column("method", "方式", "get_method_display", sort=("method", "sort", "code"), width=12),
        lists.Column("legal_basis", "检查依据", width=50),
        lists.Column("checklist", "检查内容", lambda i: "\n".join(str(x) for x in i.checklist or ()), header=False,
                     width=60),
        lists.Column("frequency", "抽查频次", header=False, width=16),
        lists.Column("state", "状态", lambda i: "启用" if i.is_active else "停用", sort=("is_active", "sort", "code"),
                     width=8),
        lists.Column("sort", "排序", sort=("sort", "code"), header=False, width=8),
    ))


#: 检查人员名录库: by unit and staff number, as the manifest lists them.
INSPECTOR_LIST = lists.Spec(
    key="inspections.inspectors", title="执法检查人员名录库", default_sort="unit", default_note="按单位和工号",
    export_permission="inspections.view_inspectionplan", prepare=inspector_list_rows,
    columns=(
        lists.Column("staff_code", "工号", sort="staff_code", width=12),
        lists.Column("name", "姓名", lambda p: p.user.get_full_name() or p.user.username,
                     sort=("user__first_name", "staff_code"), width=12),
        lists.Column("unit", "单位", "unit.name", sort=("unit__path", "staff_code"), width=24),
        lists.Column("credential_no", "执法证号", sort="credential_no", width=18),
        lists.Column("credential_expiry", "有效期至", sort=("credential_expiry", "staff_code"), width=12),
        lists.Column("specialties", "专业领域", width=20),
        lists.Column("conflicts", "回避声明", sort=("conflicts", "staff_code"), width=10),
        lists.Column("drawable", "可否抽取", width=30),
    ))


def _conflict_state(c) -> str:
    return "已过期" if c.valid_until and c.valid_until < timezone.localdate() else "有效"


#: 我的回避声明: the latest declared first; the declarant's own, whatever the scope.
CONFLICT_LIST = lists.Spec(
    key="inspections.conflicts", title="回避声明", default_sort="-declared_on", default_note="最近声明的在前",
    export_permission="inspections.record_results",
    columns=(
        lists.Column("entity", "市场主体", "entity.name", sort=("entity__name",), width=30),
        lists.Column("uscc", "统一社会信用代码", "entity.uscc", sort="entity__uscc", header=False, width=20),
        lists.Column("reason", "事由", width=30),
        lists.Column("declared_on", "声明日期", sort="declared_on", width=12),
        lists.Column("valid_until", "有效期至", lambda c: c.valid_until or "长期", sort="valid_until", width=12),
        lists.Column("state", "状态", _conflict_state, width=8),
    ))


def conflicts_of(user) -> QuerySet[InspectorConflict]:
    """The conflicts ``user`` declared (回避声明), with their entities."""
    return InspectorConflict.objects.filter(inspector=user).select_related("entity")


# --- The object list of a plan (检查对象名录库) ------------------------------------------------------------------------


def plan_unit_ids(plan: InspectionPlan) -> list[int]:
    """The supervising units whose entities and inspectors the plan draws from (subtrees included)."""
    roots = list(plan.filter_units.values_list("path", flat=True)) or [plan.unit.path]
    condition = Q()
    for path in roots:
        condition |= Q(path__startswith=path)
    # Never beyond the planning unit's own subtree, whatever the filter says.
    return list(OrgUnit.objects.filter(condition, path__startswith=plan.unit.path).values_list("id", flat=True))


def pool_queryset(plan: InspectionPlan, on: dt.date, item_ids: list[int] | None = None) -> QuerySet[Entity]:
    """The entities the plan may draw on ``on``: the filters minus the exclusions.

    Exclusions: set up less than ``min_age_months`` ago; inspected (a task of a drawn batch that was not voided)
    for one of the plan's items within ``exclusion_months``.
    """
    statuses = plan.filter_statuses or [EntityStatus.ACTIVE]
    qs = Entity.objects.filter(unit_id__in=plan_unit_ids(plan), status__in=statuses)
    if plan.filter_kinds:
        qs = qs.filter(kind__in=plan.filter_kinds)
    if plan.filter_industries:
        qs = qs.filter(Q(industry_id__in=plan.filter_industries) | Q(industry__parent_id__in=plan.filter_industries))
    if plan.filter_licence_kinds:
        qs = qs.filter(
            Exists(
                Licence.objects.filter(
                    entity=OuterRef("pk"), kind_id__in=plan.filter_licence_kinds, status=LicenceStatus.VALID
                )
            )
        )
    if plan.min_age_months:
        qs = qs.filter(established_on__lte=months_before(on, plan.min_age_months))
    if plan.exclusion_months:
        if item_ids is None:
            item_ids = list(plan.items.values_list("id", flat=True))
        cutoff = timezone.make_aware(dt.datetime.combine(months_before(on, plan.exclusion_months), dt.time.min))
        recent = InspectionTask.objects.filter(
            entity=OuterRef("pk"),
            batch__drawn_at__gte=cutoff,
            batch__plan__items__in=item_ids,
        ).exclude(status=TaskStatus.VOID)
        qs = qs.filter(~Exists(recent))
    return qs


# Sector apps may raise a candidate's stratum (a drug focus list: its holders are drawn at the higher class's ratio).
# ``fn(plan, on) -> {uscc: risk class}``; a candidate is drawn in the higher of its own class and any raise. The raise
# happens before the manifest is frozen, so the draw stays verifiable from the manifest alone.
STRATUM_RAISERS: list = []


def register_stratum_raiser(fn) -> None:
    """Register ``fn(plan, on) -> {uscc: risk class}`` (see ``STRATUM_RAISERS``). Idempotent per function."""
    if fn not in STRATUM_RAISERS:
        STRATUM_RAISERS.append(fn)


def raised_classes(plan: InspectionPlan, on: dt.date) -> dict[str, str]:
    """{uscc: the highest class any registered raiser gives it} for ``plan`` on ``on``."""
    order = {name: i for i, name in enumerate(RISK_CLASSES)}
    raised: dict[str, str] = {}
    for fn in STRATUM_RAISERS:
        for code, risk_class in fn(plan, on).items():
            if risk_class in order and order[risk_class] > order.get(raised.get(code, ""), -1):
                raised[code] = risk_class
    return raised


@dataclass
class Pool:
    """The object list of a plan, split into risk-class strata, with the inspectors and conflicts of a manifest."""

    strata: dict[str, list[dict]]
    sizes: dict[str, int]
    inspectors: list[dict] = field(default_factory=list)
    inspector_rows: list[InspectorRow] = field(default_factory=list)
    conflicts: list[list[str]] = field(default_factory=list)
    short_units: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # candidates left out (non-ASCII code)
    raised: int = 0  # candidates drawn in a higher stratum than their own class (STRATUM_RAISERS)


def build_pool(plan: InspectionPlan, on: dt.date, *, with_inspectors: bool = True) -> Pool:
    """Read the pool in one pass: (code, supervising unit code, risk class) per entity, stratified by risk class.

    In "按所分配" mode a candidate's unit is the code of the station (or bureau) supervising it, and an inspector's
    the code of their own unit, so teams come from the unit that supervises the entity. In "全局统一分配" mode every
    candidate and inspector carries the planning unit's code, so any inspector of the plan may meet any candidate.
    """
    pooled = plan.assignment == AssignmentMode.POOLED
    plan_code = plan.unit.code
    strata: dict[str, list[dict]] = {name: [] for name in RISK_CLASSES}
    skipped = []
    rows = pool_queryset(plan, on).values_list("uscc", "unit__code", "risk__risk_class")
    entity_units: dict[str, str] = {}
    raises = raised_classes(plan, on)
    order = {name: i for i, name in enumerate(RISK_CLASSES)}
    raised = 0
    for code, unit_code, risk_class in rows.iterator(chunk_size=20000):
        if not code.isascii():
            skipped.append(code)
            continue
        unit = plan_code if pooled else unit_code
        up = raises.get(code) if raises else None
        if up is not None and order[up] > order.get(risk_class or DEFAULT_RISK_CLASS, 1):
            risk_class = up
            raised += 1
        strata.get(risk_class or DEFAULT_RISK_CLASS, strata[DEFAULT_RISK_CLASS]).append({"id": code, "unit": unit})
        entity_units[code] = unit
    pool = Pool(strata=strata, sizes={name: len(c) for name, c in strata.items()}, skipped=skipped, raised=raised)
    if not with_inspectors:
        return pool

    # Pooled: every inspector of the planning unit's subtree; by station: those of the units the pool comes from.
    unit_ids = (
        OrgUnit.objects.filter(path__startswith=plan.unit.path).values_list("id", flat=True)
        if pooled
        else plan_unit_ids(plan)
    )
    pool.inspector_rows = inspector_rows(inspector_profiles(unit_ids), on)
    valid = [row.profile for row in pool.inspector_rows if row.valid]
    pool.inspectors = [{"id": p.staff_code, "unit": plan_code if pooled else p.unit.code} for p in valid]
    by_user = {p.user_id: p.staff_code for p in valid}

    pairs: set[tuple[str, str]] = set()
    declared = (
        InspectorConflict.objects.filter(inspector_id__in=by_user)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), declared_on__lte=on)
        .values_list("inspector_id", "entity__uscc")
    )
    for user_id, code in declared:
        if code in entity_units:
            pairs.add((by_user[user_id], code))
    since = timezone.make_aware(dt.datetime.combine(months_before(on, conflict_months(on)), dt.time.min))
    recent = (
        TaskMember.objects.filter(inspector_id__in=by_user, task__batch__drawn_at__gte=since)
        .exclude(task__status=TaskStatus.VOID)
        .values_list("inspector_id", "task__entity__uscc")
    )
    for user_id, code in recent:
        if code in entity_units:
            pairs.add((by_user[user_id], code))
    pool.conflicts = sorted([inspector, candidate] for inspector, candidate in pairs)

    # Units whose drawn entities cannot get a full team: said before the draw, so nobody is surprised after it.
    per_unit: dict[str, int] = defaultdict(int)
    for inspector in pool.inspectors:
        per_unit[inspector["unit"]] += 1
    candidate_units = {c["unit"] for candidates in strata.values() for c in candidates}
    names = dict(OrgUnit.objects.filter(code__in=candidate_units).values_list("code", "name"))
    pool.short_units = [
        {"unit": code, "name": names.get(code, code), "inspectors": per_unit.get(code, 0)}
        for code in sorted(candidate_units)
        if per_unit.get(code, 0) < plan.team_size
    ]
    return pool


def conflict_months(on: dt.date) -> int:
    from jianguan.core.rules import rule

    return int(rule("inspections.conflict_months", on=on))


def strata_summary(plan: InspectionPlan, sizes: dict[str, int]) -> list[dict]:
    """[{"name", "size", "quota", "ratio", "percent", "override"}] per risk class, as in the plan notice."""
    return [
        {
            "name": name,
            "size": sizes.get(name, 0),
            "quota": plan.quota(name, sizes.get(name, 0)),
            "ratio": str(plan.ratio(name)),
            "percent": format((plan.ratio(name) * 100).normalize(), "f") + "%",
            "override": name in plan.quota_overrides,
        }
        for name in RISK_CLASSES
    ]


def selected_of(batch: DrawBatch) -> list[dict]:
    """The bundle's ``selected`` list (assignment order) of a drawn batch."""
    import json

    if not batch.bundle:
        return []
    return json.loads(batch.bundle)["selected"]


# --- the task list (core.lists) ---------------------------------------------------------------------------------------

#: Open tasks first (to inspect, then to confirm), then done ones; within each the due date first.
TASK_STATUS_RANK = Case(When(status=TaskStatus.ASSIGNED, then=Value(0)), When(status=TaskStatus.RECORDED, then=Value(1)),
                        default=Value(2), output_field=IntegerField())


def _members(task) -> str:
    return "、".join(m.inspector.get_full_name() or m.inspector.username for m in task.members.all())


def _due_text(task) -> str:
    if not task.due_on:
        return ""
    return f"{task.due_on:%Y-%m-%d}{'（暂定）' if task.due_provisional else ''}{'（已逾期）' if task.overdue else ''}"


TASK_LIST = lists.Spec(
    key="inspections.tasks", title="双随机检查任务", default_sort="status",
    default_note="待检查、待确认的在前，期限最近的在前", export_permission="inspections.view_inspectiontask",
    page_size=30,
    columns=(
        lists.Column("entity", "检查对象", "entity.name", sort="entity__name", width=32),
        lists.Column("uscc", "统一社会信用代码", "entity.uscc", width=20, header=False),
        lists.Column("unit", "监管单位", "unit.name", width=18, header=False),
        lists.Column("stratum", "分层", sort="stratum", width=10),
        lists.Column("members", "检查组", _members, width=20),
        lists.Column("due", "期限", _due_text, sort="due_on", width=16),
        lists.Column("status", "状态", "get_status_display", sort=(TASK_STATUS_RANK, "due_on"), width=10),
    ))


PLAN_LIST = lists.Spec(
    key="inspections.plans", title="双随机抽查计划", default_sort="-year", default_note="最近年度的在前",
    export_permission="inspections.view_inspectionplan",
    columns=(
        lists.Column("code", "计划编号", sort="code", width=20),
        lists.Column("title", "名称", sort="title", width=36),
        lists.Column("unit", "制定单位", "unit.name", sort="unit__path", width=24),
        lists.Column("year", "年度", sort=("year", "code"), width=8),
        lists.Column("item_count", "事项", sort="item_count", width=8),
        lists.Column("batch_count", "批次", sort="batch_count", width=8),
        lists.Column("status", "状态", "get_status_display", sort="status", width=10),
    ))

#: 列入经营异常名录建议: a work queue for the credit officer, the earliest finding first.
PROPOSAL_LIST = lists.Spec(
    key="inspections.proposals", title="列入经营异常名录建议", default_sort="found_on", default_note="发现最早的在前",
    export_permission="inspections.view_listingproposal",
    columns=(
        lists.Column("entity", "市场主体", "entity.name", sort="entity__name", width=32),
        lists.Column("uscc", "统一社会信用代码", "entity.uscc", width=20, header=False),
        lists.Column("unit", "单位", "unit.name", width=20, header=False),
        lists.Column("found_on", "发现日期", sort="found_on", width=12),
        lists.Column("source", "来源", lambda p: str(p.task.batch), width=36),
        lists.Column("status", "状态", "get_status_display", sort="status", width=10),
        lists.Column("note", "审核意见", "decision_note", width=30, header=False),
    ))
