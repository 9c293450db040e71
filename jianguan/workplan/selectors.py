"""Reads of the key-work plan that respect the reader's scope.

The city bureau's staff see every task of a plan; a district bureau or station sees the plans that give its units a
task (as lead or co-operating unit), and in them those tasks only. Live figures are read for the plan's own scope
intersected with the reader's: a district reader sees its district's figures, never another's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from jianguan.core import lists
from jianguan.core.scope import Scope, scope_for

from . import metrics
from .models import Milestone, Notice, Plan, ProgressReport, Target, Task


def _task_scope_q(scope: Scope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}lead_unit__in": scope.unit_ids}) | Q(**{f"{prefix}co_units__in": scope.unit_ids})


def plans_for(user) -> QuerySet[Plan]:
    scope = scope_for(user)
    if scope.everything:
        return Plan.objects.all()
    if not scope.unit_ids:
        return Plan.objects.none()
    ids = Task.objects.filter(_task_scope_q(scope)).values("plan_id")
    return Plan.objects.filter(Q(unit__in=scope.unit_ids) | Q(pk__in=ids))


#: 重点工作计划: the latest year first.
PLAN_LIST = lists.Spec(
    key="workplan.plans", title="重点工作计划", default_sort="-year", default_note="最近年度的在前",
    export_permission="workplan.view_plan", page_size=30,
    columns=(
        lists.Column("year", "年度", sort=("year", "code"), width=8),
        lists.Column("title", "计划名称", sort="title", width=40),
        lists.Column("code", "计划编号", sort="code", width=16),
        lists.Column("unit", "制定单位", "unit.name", sort="unit__path", width=24),
        lists.Column("n_tasks", "任务", sort="n_tasks", width=8),
        lists.Column("status", "状态", "get_status_display", sort="status", width=12),
    ))


def plan_search(user, *, q: str = "", status: str = "", year: str = "") -> QuerySet[Plan]:
    """The plans ``user`` sees, with their number of tasks, matching a search, a status and a year."""
    from django.db.models import Count

    qs = plans_for(user).select_related("unit").annotate(n_tasks=Count("tasks", distinct=True))
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(code__contains=q))
    if status in Plan.Status.values:
        qs = qs.filter(status=status)
    if year.isdigit():
        qs = qs.filter(year=int(year))
    return qs


def plan_for(user, code: str) -> Plan:
    plan = plans_for(user).filter(code=code).select_related("unit").first()
    if plan is None:
        raise Http404
    return plan


def tasks_for(user, plan: Plan | None = None) -> QuerySet[Task]:
    scope = scope_for(user)
    qs = Task.objects.all() if plan is None else Task.objects.filter(plan=plan)
    if scope.everything:
        return qs
    if not scope.unit_ids:
        return qs.none()
    if plan is not None and plan.unit_id in scope.unit_ids:
        return qs
    return qs.filter(pk__in=Task.objects.filter(_task_scope_q(scope)).values("pk"))


def task_for(user, plan: Plan, code: str) -> Task:
    task = (tasks_for(user, plan).filter(code=code)
            .select_related("plan", "area", "lead_unit", "lead_person", "leader").first())
    if task is None:
        raise Http404
    return task


def reading_scope(user, plan: Plan) -> Scope:
    """The plan's scope, narrowed to the reader's."""
    plan_scope = metrics.scope_of_unit(plan.unit)
    mine = scope_for(user)
    if mine.everything:
        return plan_scope
    if plan_scope.everything:
        return mine
    return Scope(False, plan_scope.unit_ids & mine.unit_ids)


@dataclass
class TargetRow:
    target: Target
    value: Decimal | None
    met: bool | None
    live: bool
    url: str = ""
    computed_at: dt.datetime | None = None
    note: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass
class TaskRow:
    task: Task
    milestones: list[Milestone]
    targets: list[TargetRow]
    co_units: list = field(default_factory=list)

    @property
    def co_label(self) -> str:
        """The co-operating units as a line: every district bureau at once is "各县（市、区）局"."""
        districts = [u for u in self.co_units if u.kind == "district"]
        others = [u.short_name or u.name for u in self.co_units if u.kind != "district"]
        if len(districts) >= 5:
            others.append(f"各县（市、区）局（{len(districts)}个）")
        else:
            others += [u.short_name or u.name for u in districts]
        return "、".join(others)

    @property
    def next_milestone(self) -> Milestone | None:
        return next((m for m in self.milestones if not m.is_done), None)


@dataclass
class PlanTree:
    plan: Plan
    areas: list[tuple]  # (area, [TaskRow])
    summary: dict
    readings_at: dt.datetime | None


def target_rows(targets, readings: dict, ctx: metrics.Context) -> list[TargetRow]:
    out = []
    for t in targets:
        if t.metric:
            r = readings.get(t.metric)
            m = metrics.get(t.metric)
            value = r.value if r else None
            out.append(TargetRow(t, value, t.met(value), True, m.url(ctx) if m else "", r.computed_at if r else None,
                                 (r.note if r else "") or ("" if m else f"指标 {t.metric} 未登记"),
                                 r.numerator if r else None, r.denominator if r else None))
        else:
            out.append(TargetRow(t, t.reported_value, t.met(t.reported_value), False))
    return out


def plan_tree(user, plan: Plan, *, today: dt.date, unit: str = "", late_only: bool = False,
              fresh: bool = False) -> PlanTree:
    """The plan as a tree with each target's figure: live ones from the metric cache (one query) or computed."""
    tasks = (tasks_for(user, plan).select_related("area", "lead_unit", "lead_person", "leader")
             .prefetch_related("co_units", Prefetch("milestones", Milestone.objects.order_by("seq")),
                               Prefetch("targets", Target.objects.order_by("seq")))
             .order_by("area__seq", "seq"))
    if unit:
        tasks = tasks.filter(Q(lead_unit__code=unit) | Q(co_units__code=unit)).distinct()
    if late_only:
        tasks = tasks.filter(late=True)
    tasks = list(tasks)
    ctx = metrics.Context(reading_scope(user, plan), plan.year, today)
    keys = {t.metric for task in tasks for t in task.targets.all() if t.metric}
    readings = metrics.read_many(keys, ctx, fresh=fresh)
    areas: dict[int, tuple] = {}
    summary = {"tasks": 0, "done": 0, "ongoing": 0, "planned": 0, "late": 0, "targets": 0, "met": 0, "unmet": 0,
               "pending": 0, "milestones": 0, "milestones_done": 0, "milestones_overdue": 0}
    for task in tasks:
        rows = target_rows(task.targets.all(), readings, ctx)
        ms = list(task.milestones.all())
        row = TaskRow(task, ms, rows, list(task.co_units.all()))
        areas.setdefault(task.area_id, (task.area, []))[1].append(row)
        summary["tasks"] += 1
        summary[task.status] += 1
        summary["late"] += task.late
        summary["milestones"] += len(ms)
        summary["milestones_done"] += sum(m.is_done for m in ms)
        summary["milestones_overdue"] += sum(m.overdue and not m.is_done for m in ms)
        for r in rows:
            summary["targets"] += 1
            summary["met" if r.met else "pending" if r.met is None else "unmet"] += 1
    summary["done_pct"] = round(100 * summary["done"] / summary["tasks"]) if summary["tasks"] else 0
    stamps = [r.computed_at for r in readings.values() if r.computed_at]
    return PlanTree(plan, sorted(areas.values(), key=lambda a: a[0].seq), summary, min(stamps) if stamps else None)


def reports_for(user) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=tasks_for(user))


def review_queue(user) -> QuerySet[ProgressReport]:
    return (reports_for(user).filter(status=ProgressReport.Status.SUBMITTED)
            .select_related("task", "task__plan", "unit", "author", "milestone").order_by("submitted_at"))


def notices_for(user, *, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(recipient=user).select_related("task", "task__plan", "milestone")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def _reported_task(r) -> str:
    return f"{r.task.code} {r.task.title}"


#: 进展审核: a work queue — the report waiting longest first (the office reviews in the order received).
REVIEW_LIST = lists.Spec(
    key="workplan.review", title="进展审核", default_sort="submitted", default_note="最早报送的在前（等待最久）",
    export_permission="workplan.review_report",
    columns=(
        lists.Column("submitted", "报送日期", "submitted_on", sort=("submitted_at",), width=12),
        lists.Column("year", "计划年度", "task.plan.year", header=False, width=8),
        lists.Column("task", "任务", _reported_task, sort=("task__plan__year", "task__code", "submitted_at"), width=36),
        lists.Column("text", "进展情况", header=False, width=60),
        lists.Column("unit", "报送单位", "unit.name", sort=("unit__path", "submitted_at"), width=24),
        lists.Column("author", "报送人", lambda r: r.author.get_full_name() or r.author.username, width=12),
        lists.Column("progress", "进度（%）", "progress", sort=("progress", "submitted_at"), width=10),
        lists.Column("milestone", "对应节点", "milestone.title", header=False, width=30),
        lists.Column("milestone_due", "节点时限", "milestone.due_on", sort=("milestone__due_on", "submitted_at"),
                     width=12),
        lists.Column("completes", "报节点完成", "completes_milestone", header=False, width=10),
        lists.Column("values", "报送指标（项）", lambda r: len(r.values or {}), header=False, width=12),
        lists.Column("files", "附件（个）", lambda r: len(r.files.all()), header=False, width=10),
    ))


def review_search(user, *, q: str = "", unit: str = "", completes: bool = False) -> QuerySet[ProgressReport]:
    """The reports waiting for ``user``'s review, matching a search (task code or title, the text), the reporting
    unit's code and whether they report a milestone done; with their files."""
    qs = review_queue(user).prefetch_related("files")
    if q:
        qs = qs.filter(Q(task__code__contains=q) | Q(task__title__contains=q) | Q(text__contains=q))
    if unit:
        qs = qs.filter(unit__code=unit)
    if completes:
        qs = qs.filter(completes_milestone=True)
    return qs


def _unread_first():
    from django.db.models import Case, IntegerField, Value, When

    return Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())


#: 督办提醒: unread first, the latest first within each.
NOTICE_LIST = lists.Spec(
    key="workplan.notices", title="督办提醒", default_sort="state", default_note="未读的在前，最近的在前",
    export_permission="core.access_workbench",  # one's own notices, like the page: every member of staff
    columns=(
        lists.Column("sent_on", "日期", sort="sent_on", width=12),
        lists.Column("kind", "类型", "get_kind_display", sort=("kind", F("sent_on").desc()), width=20),
        lists.Column("message", "内容", width=60),
        lists.Column("task", "任务", lambda n: f"{n.task.plan.year} · {n.task.code} {n.task.title}",
                     sort=("task__plan__year", "task__code", F("sent_on").desc()), width=36),
        lists.Column("milestone_due", "节点时限", "milestone.due_on",
                     sort=("milestone__due_on", F("sent_on").desc()), width=12),
        lists.Column("state", "状态", lambda n: "已读" if n.read_at else "未读",
                     sort=(_unread_first(), F("sent_on").desc()), width=8),
        lists.Column("read_at", "已读时间", header=False, width=16),
    ))


def notice_search(user, *, q: str = "", kind: str = "", state: str = "") -> QuerySet[Notice]:
    """``user``'s own notices matching a search (the message, the task), a kind and read or unread."""
    qs = notices_for(user, unread_only=state == "unread")
    if state == "read":
        qs = qs.filter(read_at__isnull=False)
    if kind in Notice.Kind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(message__contains=q) | Q(task__code__contains=q) | Q(task__title__contains=q))
    return qs


def late_tasks(user, plan: Plan) -> QuerySet[Task]:
    return (tasks_for(user, plan).filter(late=True).select_related("lead_unit", "area")
            .order_by("area__seq", "seq"))


def current_plan(user, today: dt.date) -> Plan | None:
    """The reader's plan for this year (the city's when several), for the dashboard and the home card."""
    qs = plans_for(user).filter(year=today.year, status=Plan.Status.ACTIVE).select_related("unit")
    return qs.order_by("unit__path", "code").first()
