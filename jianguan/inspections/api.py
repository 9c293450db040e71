"""The inspections API: plans, batches (the draw's steps), tasks and results. Same services as the workbench.

``router`` (staff, token or session) is mounted at /api/v1/inspections/; ``public_router`` (no auth: published
plan notices and bundles) at /api/v1/public/inspections/.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from jianguan.api.auth import staff_auth

from . import queries, services
from .models import DrawBatch, InspectionPlan, TaskStatus

router = Router(tags=["inspections"], auth=staff_auth)
public_router = Router(tags=["inspections-public"])


def _require(request, perm: str) -> None:
    if not request.auth.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class StratumOut(Schema):
    name: str
    size: int
    quota: int
    ratio: str


class BatchOut(Schema):
    id: int
    plan: str
    number: int
    status: str
    beacon: str
    commitment: str
    randomness: str
    bundle_sha256: str
    strata: list[StratumOut]
    unassigned: list[str]
    results_due_on: dt.date | None


class PlanOut(Schema):
    code: str
    year: int
    unit: str
    title: str
    status: str
    assignment: str
    team_size: int
    max_tasks: int
    items: list[str]
    batches: list[BatchOut]


class TaskOut(Schema):
    id: int
    batch: int
    entity_uscc: str
    entity_name: str
    stratum: str
    status: str
    due_on: dt.date | None
    inspectors: list[str]


class RandomnessIn(Schema):
    randomness: str


class ResultItemIn(Schema):
    item: int
    category: str
    notes: str = ""


class ResultIn(Schema):
    inspected_on: dt.date
    notes: str = ""
    results: list[ResultItemIn]


class EntityResultIn(ResultIn):
    uscc: str


def _batch(b: DrawBatch) -> dict:
    return {
        "id": b.pk,
        "plan": b.plan.code,
        "number": b.number,
        "status": b.status,
        "beacon": b.beacon,
        "commitment": b.commitment,
        "randomness": b.randomness,
        "bundle_sha256": b.bundle_sha256,
        "strata": [{k: s[k] for k in ("name", "size", "quota", "ratio")} for s in b.strata],
        "unassigned": b.unassigned,
        "results_due_on": b.results_due_on,
    }


def _plan(p: InspectionPlan, batches) -> dict:
    return {
        "code": p.code,
        "year": p.year,
        "unit": p.unit.code,
        "title": p.title,
        "status": p.status,
        "assignment": p.assignment,
        "team_size": p.team_size,
        "max_tasks": p.max_tasks,
        "items": [i.code for i in p.items.all()],
        "batches": [_batch(b) for b in batches],
    }


def _task(t) -> dict:
    return {
        "id": t.pk,
        "batch": t.batch_id,
        "entity_uscc": t.entity.uscc,
        "entity_name": t.entity.name,
        "stratum": t.stratum,
        "status": t.status,
        "due_on": t.due_on,
        "inspectors": [m.staff_code for m in t.members.all()],
    }


@router.get("/plans", response=list[PlanOut], summary="我可见的抽查计划")
def plans(request: HttpRequest):
    _require(request, "inspections.view_inspectionplan")
    qs = queries.plans_for(request.auth).prefetch_related("items").order_by("-year", "code")[:200]
    return [_plan(p, p.batches.defer("manifest", "bundle").select_related("plan")) for p in qs]


@router.get("/plans/{code}", response=PlanOut, summary="抽查计划（超出数据范围时为 404）")
def plan(request: HttpRequest, code: str):
    _require(request, "inspections.view_inspectionplan")
    p = queries.plan_for(request.auth, code)
    return _plan(p, p.batches.defer("manifest", "bundle").select_related("plan"))


@router.get("/batches/{pk}", response=BatchOut, summary="抽取批次")
def batch(request: HttpRequest, pk: int):
    _require(request, "inspections.view_inspectionplan")
    return _batch(queries.batch_for(request.auth, pk))


@router.post("/batches/{pk}/freeze", response=BatchOut, summary="冻结抽取清单并公示承诺值")
def batch_freeze(request: HttpRequest, pk: int):
    _require(request, "inspections.manage_plans")
    return _batch(services.batch_freeze(actor=request.auth, batch=queries.batch_for(request.auth, pk)))


@router.post("/batches/{pk}/randomness", response=BatchOut, summary="录入随机数并抽取（只能录入一次）")
def batch_randomness(request: HttpRequest, pk: int, body: RandomnessIn):
    _require(request, "inspections.manage_plans")
    return _batch(
        services.batch_draw(actor=request.auth, batch=queries.batch_for(request.auth, pk), randomness=body.randomness)
    )


@router.get("/batches/{pk}/bundle", summary="抽取结果包（原样）")
def batch_bundle(request: HttpRequest, pk: int):
    _require(request, "inspections.view_inspectionplan")
    b = queries.batch_for(request.auth, pk, full=True)
    if not b.bundle:
        return HttpResponse(
            json.dumps({"error": {"code": "not_found", "message": "尚未抽取"}}, ensure_ascii=False),
            status=404,
            content_type="application/json",
        )
    return HttpResponse(b.bundle.encode(), content_type="application/json; charset=utf-8")


@router.get("/tasks", response=list[TaskOut], summary="检查任务（默认只列本人的）")
def tasks(request: HttpRequest, mine: bool = True, status: str = ""):
    qs = queries.task_list(request.auth, mine=mine, status=status)[:500]
    return [_task(t) for t in qs]


def _record(request, task, body: ResultIn):
    services.result_record(
        actor=request.auth,
        task=task,
        inspected_on=body.inspected_on,
        notes=body.notes,
        results=[r.dict() for r in body.results],
    )
    task.refresh_from_db()
    return _task(task)


@router.post("/tasks/{pk}/result", response=TaskOut, summary="录入检查结果（检查组成员）")
def task_result(request: HttpRequest, pk: int, body: ResultIn):
    return _record(request, queries.task_for(request.auth, pk), body)


@router.post("/tasks/{pk}/confirm", response=TaskOut, summary="确认检查结果（检查组成员）")
def task_confirm(request: HttpRequest, pk: int):
    task = services.result_confirm(actor=request.auth, task=queries.task_for(request.auth, pk))
    return _task(task)


@router.post("/batches/{pk}/results", response=TaskOut, summary="按统一社会信用代码录入检查结果（未抽中的主体拒绝）")
def batch_result(request: HttpRequest, pk: int, body: EntityResultIn):
    b = queries.batch_for(request.auth, pk)
    task = services.task_for_entity(batch=b, uscc=body.uscc)
    if task.status == TaskStatus.VOID:
        raise PermissionDenied("任务已作废")
    return _record(request, task, body)


# --- public ---------------------------------------------------------------------------------------------------------


class PublicBatchOut(Schema):
    plan: str
    number: int
    status: str
    beacon: str
    commitment: str
    randomness: str
    bundle_sha256: str
    strata: list[StratumOut]


@public_router.get(
    "/plans/{code}/batches/{number}",
    response=PublicBatchOut,
    auth=None,
    summary="公示的抽取批次：承诺值、随机源、结果包摘要",
)
def public_batch(request: HttpRequest, code: str, number: int):
    from .public_views import PUBLIC_BATCH_STATUSES

    b = get_object_or_404(
        DrawBatch.objects.select_related("plan").defer("manifest", "bundle"),
        plan__code=code,
        number=number,
        status__in=PUBLIC_BATCH_STATUSES,
        plan__status__in=(InspectionPlan.Status.PUBLISHED, InspectionPlan.Status.CLOSED),
    )
    published = b.status in (DrawBatch.Status.PUBLISHED, DrawBatch.Status.SUPERSEDED)
    return {
        "plan": b.plan.code,
        "number": b.number,
        "status": b.status,
        "beacon": b.beacon,
        "commitment": b.commitment,
        "randomness": b.randomness if published else "",
        "bundle_sha256": b.bundle_sha256 if published else "",
        "strata": [{k: s[k] for k in ("name", "size", "quota", "ratio")} for s in b.strata],
    }
