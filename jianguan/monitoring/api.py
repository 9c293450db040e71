"""Staff API of monitoring: the registers (core.registers) and handing a finding to enforcement as a lead."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import selectors, services
from .registers import CAPTURE, MONITOR_ADS, REGISTERS, VIEW_ADS

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


class AdLeadOut(Schema):
    ad: int
    lead: int
    lead_status: str


@router.post("/ads/{pk}/lead", response=AdLeadOut, summary="违法广告移交执法线索（重复提交返回同一线索）")
def ad_lead(request, pk: int):
    if not request.auth.has_perm(MONITOR_ADS):
        raise PermissionDenied("无权执行此操作")
    ad = selectors.ad_for(request.auth, pk)
    lead = services.ad_to_lead(actor=request.auth, ad=ad)
    return {"ad": ad.pk, "lead": lead.pk, "lead_status": lead.status}


class CellOut(Schema):
    medium: str
    category: str
    ads: int
    violations: int
    leads: int


class AdStatisticsOut(Schema):
    year: int
    ads: int
    violations: int
    leads: int
    cells: list[CellOut]
    by_article: dict[str, int]


@router.get("/ads/statistics", response=AdStatisticsOut, summary="广告监测统计（按媒介和类别）")
def ad_statistics(request, year: int):
    if not request.auth.has_perm(VIEW_ADS):
        raise PermissionDenied("无权查看")
    stats = selectors.ad_statistics(selectors.ads_for(request.auth), year)
    return {"year": year, "ads": stats.total.ads, "violations": stats.total.violations, "leads": stats.total.leads,
            "cells": [{"medium": m, "category": c, "ads": v.ads, "violations": v.violations, "leads": v.leads}
                      for (m, c), v in sorted(stats.cells.items())],
            "by_article": {a.title: n for a, n in stats.by_article}}


api_routes(router, REGISTERS, tag="monitoring")
