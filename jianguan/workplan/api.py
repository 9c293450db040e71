"""Staff API of the key-work plan: the plans, a plan's tree with every target's figure (live ones with the URL of
their records and the time computed), a progress report (without files; the workbench takes those) and the office's
review. The same selectors and services as the workbench; outside the reader's scope a plan or task is a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from jianguan.api.auth import staff_auth

from . import selectors, services

router = Router(tags=["workplan"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class PlanOut(Schema):
    code: str
    year: int
    title: str
    unit: str
    status: str


class TargetOut(Schema):
    label: str
    kind: str
    direction: str
    goal: Decimal
    unit: str
    metric: str
    value: Decimal | None
    met: bool | None
    records_url: str
    computed_at: dt.datetime | None


class MilestoneOut(Schema):
    seq: int
    title: str
    due_on: dt.date
    status: str
    done_on: dt.date | None
    overdue: bool


class TaskOut(Schema):
    code: str
    area: str
    title: str
    lead_unit: str
    co_units: list[str]
    lead_person: str
    status: str
    progress: int
    late: bool
    milestones: list[MilestoneOut]
    targets: list[TargetOut]


class TreeOut(Schema):
    plan: PlanOut
    summary: dict
    tasks: list[TaskOut]


class ReportIn(Schema):
    text: str
    progress: int
    milestone: int | None = None
    completes_milestone: bool = False
    values: dict[str, str] = {}
    idempotency_key: str | None = None


class ReportOut(Schema):
    id: int
    task: str
    status: str
    progress: int
    submitted_on: dt.date
    review_note: str


class ReviewIn(Schema):
    accept: bool
    note: str = ""


def _plan_out(p) -> dict:
    return {"code": p.code, "year": p.year, "title": p.title, "unit": p.unit.name, "status": p.status}


def _report_out(r) -> dict:
    return {"id": r.pk, "task": r.task.code, "status": r.status, "progress": r.progress,
            "submitted_on": r.submitted_on, "review_note": r.review_note}


@router.get("/plans", response=list[PlanOut], summary="重点工作计划（数据范围内）")
def plans(request: HttpRequest):
    _need(request.user, "workplan.view_plan")
    return [_plan_out(p) for p in selectors.plans_for(request.user).select_related("unit")]


@router.get("/plans/{code}", response=TreeOut, summary="计划任务树：节点、量化指标及其完成值（系统指标附明细链接和统计时间）")
def tree(request: HttpRequest, code: str):
    _need(request.user, "workplan.view_plan")
    plan = selectors.plan_for(request.user, code)
    t = selectors.plan_tree(request.user, plan, today=timezone.localdate())
    tasks = []
    for area, rows in t.areas:
        for row in rows:
            task = row.task
            tasks.append({
                "code": task.code, "area": area.title, "title": task.title, "lead_unit": task.lead_unit.name,
                "co_units": [u.name for u in row.co_units],
                "lead_person": (task.lead_person.get_full_name() or task.lead_person.username)
                if task.lead_person else "",
                "status": task.status, "progress": task.progress, "late": task.late,
                "milestones": [{"seq": m.seq, "title": m.title, "due_on": m.due_on, "status": m.status,
                                "done_on": m.done_on, "overdue": m.overdue} for m in row.milestones],
                "targets": [{"label": r.target.label, "kind": r.target.kind, "direction": r.target.direction,
                             "goal": r.target.goal, "unit": r.target.unit_label, "metric": r.target.metric,
                             "value": r.value, "met": r.met, "records_url": r.url, "computed_at": r.computed_at}
                            for r in row.targets],
            })
    return {"plan": _plan_out(plan), "summary": t.summary, "tasks": tasks}


@router.post("/plans/{code}/tasks/{task_code}/reports", response={201: ReportOut},
             summary="报送进展（佐证材料请在工作台上传）；同一 idempotency_key 重复提交返回原报告")
def report(request: HttpRequest, code: str, task_code: str, body: ReportIn):
    _need(request.user, "workplan.view_plan")
    plan = selectors.plan_for(request.user, code)
    task = selectors.task_for(request.user, plan, task_code)
    milestone = get_object_or_404(task.milestones, pk=body.milestone) if body.milestone else None
    r = services.report_submit(actor=request.user, task=task, text=body.text, progress=body.progress,
                               milestone=milestone, completes_milestone=body.completes_milestone,
                               values=body.values, idempotency_key=body.idempotency_key)
    return 201, _report_out(r)


@router.post("/reports/{pk}/review", response=ReportOut, summary="督查室审核进展报告：通过或退回（退回须写明理由）")
def review(request: HttpRequest, pk: int, body: ReviewIn):
    _need(request.user, "workplan.review_report")
    r = get_object_or_404(selectors.reports_for(request.user).select_related("task"), pk=pk)
    r = services.report_review(actor=request.user, report=r, accept=body.accept, note=body.note)
    return _report_out(r)
