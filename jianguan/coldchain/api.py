"""Staff API of cold-chain tracing: the batch and movement registers (core.registers), starting a trace, a trace's
holders and tasks, completing a task — the same services and selectors as the workbench. Under ``/my/``, the
holder's own API (an enterprise token, ``qy_…``): its movements in and out and its tasks when a batch is traced,
through the same services as its portal pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from jianguan.api.auth import enterprise_auth, staff_auth
from jianguan.core.errors import ValidationFailed
from jianguan.core.registers import api_routes
from jianguan.registry.models import Entity

from . import selectors, services
from .registers import REGISTERS

router = Router(tags=["coldchain"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class TraceIn(Schema):
    reason: str
    origin: str  # the USCC of the holder where the problem was found
    detected_on: dt.date
    note: str = ""


class TaskOut(Schema):
    id: int
    kind: str
    label: str
    due_at: dt.datetime
    done_at: dt.datetime | None
    result: str
    #: the holder's own report back (portal), waiting for staff to confirm it
    report: str = ""
    reported_at: dt.datetime | None = None


class HolderOut(Schema):
    entity: str
    name: str
    place: str
    hops: int | None
    held: Decimal
    tasks: list[TaskOut]


class IncidentOut(Schema):
    id: int
    batch: str
    reason: str
    origin: str
    started_at: dt.datetime
    closed_at: dt.datetime | None
    holders: list[HolderOut]


def _incident(user, incident) -> dict:
    holders = [{"entity": h.entity.uscc, "name": h.entity.name, "place": h.place, "hops": h.hops, "held": h.held,
                "tasks": [{"id": t.pk, "kind": t.kind, "label": t.label, "due_at": t.due_at, "done_at": t.done_at,
                           "result": t.result, "report": t.report, "reported_at": t.reported_at}
                          for t in h.tasks.all()]}
               for h in selectors.incident_holders(user, incident)]
    return {"id": incident.pk, "batch": incident.batch.tracing_code, "reason": incident.reason,
            "origin": incident.origin.uscc, "started_at": incident.started_at, "closed_at": incident.closed_at,
            "holders": holders}


@router.post("/batches/{pk}/trace", response=IncidentOut, summary="启动追溯（检出阳性或召回），下发各持有单位处置任务")
def trace(request, pk: int, payload: TraceIn):
    _need(request.auth, "coldchain.view_batch")
    _need(request.auth, "coldchain.trace_batch")
    batch = selectors.batch_for(request.auth, pk)
    origin = Entity.objects.filter(uscc=payload.origin.strip().upper()).first()
    if origin is None:
        raise ValidationFailed(f"统一社会信用代码 {payload.origin} 未在市场主体名录中", field="origin")
    incident = services.trace_start(actor=request.auth, batch=batch, reason=payload.reason, origin=origin,
                                    detected_on=payload.detected_on, note=payload.note)
    return _incident(request.auth, selectors.incident_for(request.auth, incident.pk))


@router.get("/traces/{pk}", response=IncidentOut, summary="追溯结果：各持有单位及其处置任务和时限")
def trace_detail(request, pk: int):
    _need(request.auth, "coldchain.view_batch")
    return _incident(request.auth, selectors.incident_for(request.auth, pk))


class DoneIn(Schema):
    result: str


@router.post("/tasks/{pk}/done", response=TaskOut, summary="处置任务完成（全部完成即闭环）")
def task_done(request, pk: int, payload: DoneIn):
    _need(request.auth, "coldchain.trace_batch")
    task = get_object_or_404(selectors.tasks_for(request.auth), pk=pk)
    task = services.task_complete(actor=request.auth, task=task, result=payload.result)
    return {"id": task.pk, "kind": task.kind, "label": task.label, "due_at": task.due_at, "done_at": task.done_at,
            "result": task.result, "report": task.report, "reported_at": task.reported_at}


# --- the holder's own API (enterprise token) --------------------------------------------------------------------


class MyMovementIn(Schema):
    tracing_code: str
    direction: str  # in | out
    quantity: Decimal
    moved_on: dt.date
    counterparty: str = ""  # USCC of the supplier (in) or the receiver (out); empty for sales to consumers
    note: str = ""


class MyMovementOut(Schema):
    id: int
    tracing_code: str
    product: str
    direction: str
    quantity: Decimal
    measure: str
    moved_on: dt.date
    counterparty: str


def _my_movement(m) -> dict:
    return {"id": m.pk, "tracing_code": m.batch.tracing_code, "product": m.batch.product, "direction": m.direction,
            "quantity": m.quantity, "measure": m.batch.measure, "moved_on": m.moved_on,
            "counterparty": m.counterparty.uscc if m.counterparty_id else ""}


@router.post("/my/movements", auth=enterprise_auth, response=MyMovementOut,
             summary="持有单位登记本单位一次入库或出库（企业 API 令牌）")
def my_movement(request, payload: MyMovementIn):
    try:
        batch = services.batch_by_code(payload.tracing_code)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="tracing_code") from None
    party = None
    if payload.counterparty.strip():
        party = Entity.objects.filter(uscc=payload.counterparty.strip().upper()).first()
        if party is None:
            raise ValidationFailed(f"统一社会信用代码 {payload.counterparty} 未在市场主体名录中", field="counterparty")
    move = services.movement_record(actor=request.auth, batch=batch, holder=request.entity,
                                    direction=payload.direction, quantity=payload.quantity,
                                    moved_on=payload.moved_on, counterparty=party, note=payload.note)
    return _my_movement(move)


@router.get("/my/movements", auth=enterprise_auth, response=list[MyMovementOut],
            summary="本单位最近的出入库（最多 500 条，新的在前）")
def my_movements(request):
    from jianguan.core import registers

    rows = (registers.live(selectors.movements_of_holder(request.entity)).select_related("batch", "counterparty")
            .order_by("-moved_on", "-id")[:500])
    return [_my_movement(m) for m in rows]


class MyTaskOut(TaskOut):
    tracing_code: str
    product: str
    closed: bool


def _my_task(t) -> dict:
    incident = t.holder.incident
    return {"id": t.pk, "kind": t.kind, "label": t.label, "due_at": t.due_at, "done_at": t.done_at,
            "result": t.result, "report": t.report, "reported_at": t.reported_at,
            "tracing_code": incident.batch.tracing_code, "product": incident.batch.product,
            "closed": incident.closed_at is not None}


@router.get("/my/tasks", auth=enterprise_auth, response=list[MyTaskOut],
            summary="本单位的追溯处置任务和时限（封存、通知、消杀、报告）")
def my_tasks(request):
    return [_my_task(t) for t in selectors.tasks_of_holder(request.entity)[:500]]


class ReportIn(Schema):
    report: str


@router.post("/my/tasks/{pk}/report", auth=enterprise_auth, response=MyTaskOut,
             summary="报告本单位一项处置任务的处置情况（由监管部门确认完成）")
def my_task_report(request, pk: int, payload: ReportIn):
    task = get_object_or_404(selectors.tasks_of_holder(request.entity), pk=pk)
    services.task_report(actor=request.auth, task=task, report=payload.report)
    return _my_task(selectors.tasks_of_holder(request.entity).get(pk=pk))


api_routes(router, REGISTERS, tag="coldchain")
