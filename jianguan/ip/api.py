"""Staff API of the IP department: the registers (core.registers), the IP facts of a case, the identification
pause and the campaign statistics — the same services and selectors as the workbench."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes
from jianguan.enforcement import selectors as enforcement_selectors

from . import selectors, services
from .registers import REGISTERS

router = Router(tags=["ip"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class FactsIn(Schema):
    right_kind: str
    registration_no: str
    right_holder: str
    goods: str = ""
    goods_seized_qty: int = 0
    goods_seized_unit: str = "件"


class FactsOut(Schema):
    case: str
    right_kind: str
    registration_no: str
    right_holder: str
    goods: str
    goods_seized_qty: int
    goods_seized_unit: str
    decision_deadline: dt.date | None
    clock_paused: bool


class IdentificationIn(Schema):
    on: dt.date
    note: str = ""


def _facts_out(case, facts) -> dict:
    case.refresh_from_db(fields=["decision_deadline", "clock_paused"])
    return {"case": case.number, "right_kind": facts.right_kind if facts else "",
            "registration_no": facts.registration_no if facts else "",
            "right_holder": facts.right_holder if facts else "", "goods": facts.goods if facts else "",
            "goods_seized_qty": facts.goods_seized_qty if facts else 0,
            "goods_seized_unit": facts.goods_seized_unit if facts else "",
            "decision_deadline": case.decision_deadline, "clock_paused": case.clock_paused}


@router.get("/cases/{pk}/facts", response=FactsOut, summary="知识产权案件要素")
def facts_get(request, pk: int):
    _need(request.auth, "enforcement.view_case")
    case = selectors.ip_case_for(request.auth, pk)
    return _facts_out(case, selectors.case_facts(case))


@router.put("/cases/{pk}/facts", response=FactsOut, summary="登记或更正知识产权案件要素")
def facts_put(request, pk: int, payload: FactsIn):
    _need(request.auth, "ip.record_ip_facts")
    case = selectors.ip_case_for(request.auth, pk)
    facts = services.case_facts_save(actor=request.auth, case=case, **payload.dict())
    return _facts_out(case, facts)


@router.post("/cases/{pk}/identification/start", response=FactsOut, summary="送权利人辨认（办案期限暂停）")
def identification_start(request, pk: int, payload: IdentificationIn):
    _need(request.auth, "ip.record_ip_facts")
    case = selectors.ip_case_for(request.auth, pk)
    services.identification_start(actor=request.auth, case=case, starts_on=payload.on, note=payload.note)
    return _facts_out(case, selectors.case_facts(case))


@router.post("/cases/{pk}/identification/end", response=FactsOut, summary="权利人辨认结束（办案期限恢复）")
def identification_end(request, pk: int, payload: IdentificationIn):
    _need(request.auth, "ip.record_ip_facts")
    case = selectors.ip_case_for(request.auth, pk)
    services.identification_end(actor=request.auth, case=case, ends_on=payload.on)
    return _facts_out(case, selectors.case_facts(case))


class LeadClockOut(Schema):
    lead: int
    filing_deadline: dt.date | None
    paused_workdays: int
    clock_paused: bool


def _lead_out(lead) -> dict:
    lead.refresh_from_db(fields=["filing_deadline", "paused_workdays", "clock_paused"])
    return {"lead": lead.pk, "filing_deadline": lead.filing_deadline, "paused_workdays": lead.paused_workdays,
            "clock_paused": lead.clock_paused}


@router.post("/leads/{pk}/identification/start", response=LeadClockOut,
             summary="线索核查中送权利人辨认（立案决定期限暂停）")
def lead_identification_start(request, pk: int, payload: IdentificationIn):
    _need(request.auth, "ip.record_ip_facts")
    _need(request.auth, "enforcement.handle_lead")
    lead = enforcement_selectors.lead_for(request.auth, pk)
    services.identification_start(actor=request.auth, lead=lead, starts_on=payload.on, note=payload.note)
    return _lead_out(lead)


@router.post("/leads/{pk}/identification/end", response=LeadClockOut, summary="线索的权利人辨认结束（期限恢复）")
def lead_identification_end(request, pk: int, payload: IdentificationIn):
    _need(request.auth, "ip.record_ip_facts")
    _need(request.auth, "enforcement.handle_lead")
    lead = enforcement_selectors.lead_for(request.auth, pk)
    services.identification_end(actor=request.auth, lead=lead, ends_on=payload.on)
    return _lead_out(lead)


class StatsIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    start: dt.date | None = None
    end: dt.date | None = None


class UnitRow(Schema):
    unit: str
    cases: int
    closed: int
    goods_value: Decimal
    fines: Decimal
    confiscated: Decimal
    seized: int
    transferred: int


class CampaignOut(Schema):
    code: str
    name: str
    cases: int
    closed: int
    goods_value: Decimal
    fines: Decimal
    confiscated: Decimal
    seized: int
    transferred: int
    units: list[UnitRow]


@router.get("/statistics", response=list[CampaignOut], summary="知识产权专项行动统计（护航、雷霆）")
def statistics(request, params: Query[StatsIn]):
    _need(request.auth, "ip.view_ip_statistics")
    return selectors.campaign_statistics(request.auth, year=params.year, start=params.start, end=params.end)


api_routes(router, REGISTERS, tag="ip")
