"""Staff API of price monitoring: the outlet and report registers (a report in the wrong unit is a 422 naming the
field), the alerts with their series, and the public board's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import selectors
from .registers import REGISTERS

router = Router(tags=["prices"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class AlertOut(Schema):
    id: int
    outlet: str
    outlet_name: str
    goods: str
    started_on: dt.date
    last_on: dt.date
    ended_on: dt.date | None
    base_price: Decimal
    peak_price: Decimal
    limit_ratio: Decimal
    series: list[list[str]]
    lead: int | None


def _alert(a) -> dict:
    return {"id": a.pk, "outlet": a.outlet.entity.uscc, "outlet_name": a.outlet.entity.name, "goods": a.goods.code,
            "started_on": a.started_on, "last_on": a.last_on, "ended_on": a.ended_on, "base_price": a.base_price,
            "peak_price": a.peak_price, "limit_ratio": a.limit_ratio, "series": a.series, "lead": a.lead_id}


@router.get("/alerts", response=list[AlertOut], summary="价格异常预警（每次异常一条，附报价序列）")
def alerts(request, open_only: bool = False, limit: int = 100, offset: int = 0):
    _need(request.auth, "prices.view_outlet")
    qs = selectors.alerts_for(request.auth)
    if open_only:
        qs = qs.filter(ended_on__isnull=True)
    return [_alert(a) for a in qs.order_by("-started_on", "-id")[offset:offset + min(limit, 500)]]


@router.get("/alerts/{pk}", response=AlertOut, summary="一条价格异常预警及其证据序列")
def alert(request, pk: int):
    _need(request.auth, "prices.view_outlet")
    return _alert(selectors.alert_for(request.auth, pk))


api_routes(router, REGISTERS, tag="prices")
