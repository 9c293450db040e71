"""Staff API of drug supervision: the registers (objects, focus list, reports), a report's review, campaigns — the
same services and selectors as the workbench."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.errors import ValidationFailed
from jianguan.core.registers import api_routes
from jianguan.core.scope import scoped_units

from . import selectors, services
from .registers import REGISTERS

router = Router(tags=["drugs"], auth=staff_auth)


def _need(user, *perms: str) -> None:
    if not all(user.has_perm(p) for p in perms):
        raise PermissionDenied("无权执行此操作")


class AssessIn(Schema):
    assessment: str


class EventOut(Schema):
    id: int
    number: str
    kind: str
    severity: str
    unit: str
    received_on: dt.date
    review_due: dt.date
    review_due_provisional: bool
    late_report: bool
    status: str
    assessed_on: dt.date | None


def _event(e) -> dict:
    return {"id": e.pk, "number": e.number, "kind": e.kind, "severity": e.severity, "unit": e.unit.code,
            "received_on": e.received_on, "review_due": e.review_due, "review_due_provisional": e.calendar_pending,
            "late_report": e.late_report, "status": e.status, "assessed_on": e.assessed_on}


@router.get("/events/{pk}/clock", response=EventOut, summary="报告的分办单位、审核评价期限和状态")
def event_clock(request, pk: int):
    _need(request.auth, "drugs.view_supervisedobject")
    return _event(selectors.event_for(request.auth, pk))


@router.post("/events/{pk}/assess", response=EventOut, summary="审核评价（重复提交不改变结果）")
def event_assess(request, pk: int, payload: AssessIn):
    _need(request.auth, "drugs.view_supervisedobject", "drugs.handle_event")
    event = selectors.event_for(request.auth, pk)
    return _event(services.event_assess(actor=request.auth, event=event, assessment=payload.assessment))


class CampaignIn(Schema):
    kind: str
    year: int
    unit: str  # the organising unit's code
    title: str = ""


class CampaignOut(Schema):
    id: int
    kind: str
    year: int
    unit: str
    plan: str


@router.get("/campaigns", response=list[CampaignOut], summary="专项检查及其抽查计划")
def campaigns(request):
    _need(request.auth, "drugs.view_supervisedobject")
    return [{"id": c.pk, "kind": c.kind, "year": c.year, "unit": c.unit.code, "plan": c.plan.code}
            for c in selectors.campaigns_for(request.auth)]


@router.post("/campaigns", response=CampaignOut, summary="建立专项检查（同时建立带专项标签的双随机抽查计划）")
def campaign_create(request, payload: CampaignIn):
    _need(request.auth, "drugs.manage_object", "inspections.manage_plans")
    unit = scoped_units(request.auth).filter(code=payload.unit).first()
    if unit is None:
        raise ValidationFailed(f"单位代码 {payload.unit} 不在本单位范围内", field="unit")
    c = services.campaign_create(actor=request.auth, kind=payload.kind, year=payload.year, unit=unit,
                                 title=payload.title)
    return {"id": c.pk, "kind": c.kind, "year": c.year, "unit": unit.code, "plan": c.plan.code}


api_routes(router, REGISTERS, tag="drugs")
