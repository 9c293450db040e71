"""Staff API of food safety supervision: the 三小 register (core.registers) and its renewal and cancellation —
the same services and selectors as the workbench."""

from __future__ import annotations

import datetime as dt

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


api_routes(router, REGISTERS, tag="food")
