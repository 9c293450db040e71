"""Staff API of food safety supervision: the 三小 register (core.registers) and its renewal and cancellation —
the same services and selectors as the workbench."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import selectors, services
from .registers import MANAGE, REGISTERS, VIEW

router = Router(tags=["food"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class SmallOut(Schema):
    id: int
    number: str
    kind: str
    name: str
    county: str
    issued_on: dt.date
    valid_until: dt.date
    renewals: int
    status: str


def _small(reg) -> dict:
    return {"id": reg.pk, "number": reg.number, "kind": reg.kind, "name": reg.name, "county": reg.county.code,
            "issued_on": reg.issued_on, "valid_until": reg.valid_until, "renewals": reg.renewals,
            "status": reg.status}


class RenewIn(Schema):
    expected_until: dt.date  # the expiry the caller saw: a repeated request is refused, not renewed twice


class CancelIn(Schema):
    reason: str


@router.post("/smalls/{pk}/renew", response=SmallOut, summary="三小登记延续（同一编号，有效期顺延）")
def small_renew(request, pk: int, payload: RenewIn):
    _need(request.auth, VIEW)
    _need(request.auth, MANAGE)
    reg = selectors.small_for(request.auth, pk)
    reg = services.small_renew(actor=request.auth, registration=reg, expected_until=payload.expected_until,
                               today=timezone.localdate())
    return _small(selectors.small_for(request.auth, reg.pk))


@router.post("/smalls/{pk}/cancel", response=SmallOut, summary="三小登记注销（重复注销不变）")
def small_cancel(request, pk: int, payload: CancelIn):
    _need(request.auth, VIEW)
    _need(request.auth, MANAGE)
    reg = selectors.small_for(request.auth, pk)
    services.small_cancel(actor=request.auth, registration=reg, reason=payload.reason, on=timezone.localdate())
    return _small(selectors.small_for(request.auth, reg.pk))


class GradingIn(Schema):
    entity: str  # the caterer's USCC
    inspected_on: dt.date
    answers: dict[str, bool]  # every item of the checklist rule in force: code → conforms
    note: str = ""


class GradingOut(Schema):
    id: int
    entity: str
    name: str
    inspected_on: dt.date
    score: Decimal
    grade: str
    grade_label: str
    annual_level: str | None


def _grading(g) -> dict:
    annual = selectors.annual_of(g)
    return {"id": g.pk, "entity": g.entity.uscc, "name": g.entity.name, "inspected_on": g.inspected_on,
            "score": g.score, "grade": g.grade, "grade_label": g.get_grade_display(),
            "annual_level": annual.level if annual else None}


@router.get("/gradings", response=list[GradingOut], summary="量化分级检查（本单位范围，最近在前；limit ≤ 500）")
def gradings(request, limit: int = 100, offset: int = 0):
    _need(request.auth, "food.view_gradinginspection")
    limit, offset = max(1, min(limit, 500)), max(offset, 0)
    qs = (selectors.gradings_for(request.auth).select_related("entity__food_annual_grade")
          .order_by("-inspected_on", "-id"))[offset:offset + limit]
    return [_grading(g) for g in qs]


@router.post("/gradings", response=GradingOut, summary="量化分级检查评定（检查表须逐项填写，否则拒绝）")
def grading_create(request, payload: GradingIn):
    from jianguan.core.errors import ValidationFailed
    from jianguan.registry.models import Entity

    _need(request.auth, "food.grade_catering")
    entity = Entity.objects.filter(uscc=payload.entity.strip().upper()).first()
    if entity is None:
        raise ValidationFailed(f"统一社会信用代码 {payload.entity} 未在市场主体名录中", field="entity")
    g = services.grading_record(actor=request.auth, entity=entity, inspected_on=payload.inspected_on,
                                answers=payload.answers, note=payload.note)
    return _grading(selectors.grading_for(request.auth, g.pk))


api_routes(router, REGISTERS, tag="food")
