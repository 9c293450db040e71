"""API of metrology at /api/v1/metrology/ (staff): instruments in scope with due filters, and verification records
through the same service as the workbench."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from jianguan.api.auth import staff_auth

from . import selectors, services

router = Router(tags=["metrology"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class InstrumentOut(Schema):
    id: int
    serial: str
    kind: str
    owner: str
    location: str
    status: str
    last_verified_on: dt.date | None
    last_conclusion: str
    next_due: dt.date | None


class VerificationIn(Schema):
    verified_on: dt.date
    body: str
    certificate_no: str
    conclusion: str


def _out(i) -> dict:
    return {"id": i["id"], "serial": i["serial"], "kind": i["kind"], "owner": i["owner__name"],
            "location": i["location"], "status": i["status"], "last_verified_on": i["last_verified_on"],
            "last_conclusion": i["last_conclusion"], "next_due": i["next_due"]}


@router.get("/instruments", response=list[InstrumentOut], summary="强制检定计量器具（due=overdue/soon）")
def list_instruments(request: HttpRequest, due: str = "", offset: int = 0, limit: int = 50):
    _need(request.auth, "metrology.view_instrument")
    qs = selectors.instruments(request.auth)
    if due in ("overdue", "soon"):
        qs = selectors.due_filter(qs, due, timezone.localdate()).order_by("next_due", "id")
    else:
        qs = qs.order_by("serial")
    start = max(offset, 0)
    return [_out(r) for r in qs.values(*selectors.FIELDS)[start:start + max(1, min(limit, 500))]]


@router.post("/instruments/{instrument_id}/verifications", response={201: InstrumentOut}, summary="登记检定")
def add_verification(request: HttpRequest, instrument_id: int, payload: VerificationIn):
    _need(request.auth, "metrology.manage_instrument")
    instrument = selectors.instrument_for(request.auth, instrument_id)
    services.verification_record(actor=request.auth, instrument=instrument, **payload.dict())
    return 201, _out(selectors.instruments(request.auth).filter(pk=instrument_id).values(*selectors.FIELDS).get())
