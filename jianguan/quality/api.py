"""Staff API of quality improvement: the registers (core.registers), recording and following up a visit, and the
coverage per park — the same services and selectors as the workbench."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import selectors, services
from .registers import REGISTERS

router = Router(tags=["quality"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class VisitOut(Schema):
    id: int
    park: str
    entity: str
    status: str
    planned_on: dt.date
    visited_on: dt.date | None
    problem_count: int
    follow_up_due: dt.date | None
    followed_up_on: dt.date | None
    solved: int


def _visit(v) -> dict:
    return {"id": v.pk, "park": v.park.name, "entity": v.entity.uscc, "status": v.status, "planned_on": v.planned_on,
            "visited_on": v.visited_on, "problem_count": v.problem_count, "follow_up_due": v.follow_up_due,
            "followed_up_on": v.followed_up_on, "solved": v.solved}


class RecordIn(Schema):
    visited_on: dt.date
    problem_count: int = 0
    problems: str = ""
    help_given: str = ""


class FollowUpIn(Schema):
    followed_up_on: dt.date
    solved: int = 0
    note: str


@router.post("/visits/{pk}/record", response=VisitOut, summary="记录走访（发现问题、帮扶措施）")
def visit_record(request, pk: int, payload: RecordIn):
    _need(request.auth, "quality.record_visits")
    visit = selectors.visit_for(request.auth, pk)
    return _visit(services.visit_record(actor=request.auth, visit=visit, **payload.dict()))


@router.post("/visits/{pk}/follow-up", response=VisitOut, summary="跟踪回访")
def visit_follow_up(request, pk: int, payload: FollowUpIn):
    _need(request.auth, "quality.record_visits")
    visit = selectors.visit_for(request.auth, pk)
    return _visit(services.visit_follow_up(actor=request.auth, visit=visit, **payload.dict()))


class CoverageOut(Schema):
    park: str
    enterprises_in_park: int
    planned: int
    done: int
    enterprises_visited: int
    coverage_percent: Decimal
    problems: int
    solved: int
    overdue: int


@router.get("/coverage", response=list[CoverageOut], summary="进园区入百企园区覆盖情况")
def coverage(request, year: int = Query(..., ge=2000, le=2100)):
    _need(request.auth, "quality.view_park")
    return [{"park": r["park"].name, "enterprises_in_park": r["park"].enterprises, "planned": r["planned"],
             "done": r["done"], "enterprises_visited": r["enterprises"], "coverage_percent": r["coverage"],
             "problems": r["problems"], "solved": r["solved"], "overdue": r["overdue"]}
            for r in selectors.coverage(request.auth, year=year)]


api_routes(router, REGISTERS, tag="quality")
