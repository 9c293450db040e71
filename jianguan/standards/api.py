"""Staff API of standardization: the registers (core.registers), pilot milestones and local-standard stages —
the same services as the workbench."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import services
from .models import LocalStandard, Milestone, PilotProject
from .registers import REGISTERS

router = Router(tags=["standards"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class MilestoneIn(Schema):
    name: str
    due_on: dt.date


class MilestoneDoneIn(Schema):
    done_on: dt.date
    note: str = ""


class MilestoneOut(Schema):
    id: int
    name: str
    due_on: dt.date
    done_on: dt.date | None


@router.post("/pilots/{pk}/milestones", response={201: MilestoneOut}, summary="试点示范项目增加节点")
def milestone_add(request, pk: int, payload: MilestoneIn):
    _need(request.auth, "standards.manage_standards")
    project = get_object_or_404(PilotProject, pk=pk)
    return 201, services.milestone_add(actor=request.auth, project=project, **payload.dict())


@router.post("/milestones/{pk}/done", response=MilestoneOut, summary="完成试点示范项目节点")
def milestone_done(request, pk: int, payload: MilestoneDoneIn):
    _need(request.auth, "standards.manage_standards")
    return services.milestone_done(actor=request.auth, milestone=get_object_or_404(Milestone, pk=pk),
                                   **payload.dict())


class AdvanceIn(Schema):
    to: str
    on: dt.date
    comments_until: dt.date | None = None
    comments_received: int | None = None
    number: str = ""


class LocalOut(Schema):
    id: int
    title: str
    stage: str
    number: str
    comments_until: dt.date | None
    published_on: dt.date | None


@router.post("/local/{pk}/advance", response=LocalOut, summary="地方标准进入下一阶段")
def local_advance(request, pk: int, payload: AdvanceIn):
    _need(request.auth, "standards.manage_standards")
    return services.local_standard_advance(actor=request.auth, standard=get_object_or_404(LocalStandard, pk=pk),
                                           **payload.dict())


api_routes(router, REGISTERS, tag="standards")
