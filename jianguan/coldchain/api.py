"""Staff API of cold-chain tracing: the batch and movement registers (core.registers), starting a trace, a trace's
holders and tasks, completing a task — the same services and selectors as the workbench."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
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


api_routes(router, REGISTERS, tag="coldchain")
