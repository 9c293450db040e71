"""Staff API of monitoring: the registers (core.registers) and handing a finding to enforcement as a lead."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import selectors, services
from .registers import CAPTURE, REGISTERS

router = Router(tags=["monitoring"], auth=staff_auth)


class LeadOut(Schema):
    finding: int
    lead: int
    lead_status: str


@router.post("/findings/{pk}/lead", response=LeadOut, summary="网络交易监测发现移交执法线索")
def finding_lead(request, pk: int):
    if not request.auth.has_perm(CAPTURE):
        raise PermissionDenied("无权执行此操作")
    finding = selectors.finding_for(request.auth, pk)
    lead = services.finding_to_lead(actor=request.auth, finding=finding)
    return {"finding": finding.pk, "lead": lead.pk, "lead_status": lead.status}


api_routes(router, REGISTERS, tag="monitoring")
