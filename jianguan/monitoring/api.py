"""Staff API of monitoring: the registers (core.registers) and handing a finding to enforcement as a lead."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import selectors, services
from .registers import CAPTURE, CHECK_FEES, MANAGE_FAKES, MONITOR_ADS, REGISTERS, VIEW_ADS, VIEW_FAKES, VIEW_FEES

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


class FeeRowOut(Schema):
    kind: str
    checks: int
    with_problems: int
    findings: int
    payers: int
    amount: Decimal
    ordered: Decimal
    refunded: Decimal


class FeeReportOut(Schema):
    campaign: int
    title: str
    rows: list[FeeRowOut]
    total: FeeRowOut


def _fee_row(row) -> dict:
    return {"kind": row.label, "checks": row.checks, "with_problems": row.with_problems, "findings": row.findings,
            "payers": row.payers, "amount": row.amount, "ordered": row.ordered, "refunded": row.refunded}


@router.get("/fees/campaigns/{pk}/statistics", response=FeeReportOut, summary="涉企收费专项行动统计（报送用）")
def fee_statistics(request, pk: int):
    if not request.auth.has_perm(VIEW_FEES):
        raise PermissionDenied("无权查看")
    campaign = selectors.fee_campaign_for(request.auth, pk)
    rows, total = selectors.fee_statistics(request.auth, campaign)
    return {"campaign": campaign.pk, "title": campaign.title, "rows": [_fee_row(r) for r in rows],
            "total": _fee_row(total)}


class RefundIn(Schema):
    amount: Decimal
    on: dt.date
    proof: str = ""


class FindingOut(Schema):
    finding: int
    amount: Decimal
    refund_ordered: Decimal
    refunded: Decimal


@router.post("/fees/findings/{pk}/{action}", response=FindingOut,
             summary="责令清退（action=order）或确认清退（action=confirm）；超出查实金额的清退被拒绝")
def fee_refund(request, pk: int, action: str, body: RefundIn):
    if not request.auth.has_perm(CHECK_FEES):
        raise PermissionDenied("无权执行此操作")
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    finding = get_object_or_404(selectors.fee_findings_for(request.auth), pk=pk)
    if action == "order":
        services.refund_order(actor=request.auth, finding=finding, amount=body.amount, on=body.on)
    elif action == "confirm":
        services.refund_confirm(actor=request.auth, finding=finding, amount=body.amount, refunded_on=body.on,
                                proof=body.proof)
    else:
        raise Http404
    finding.refresh_from_db()
    return {"finding": finding.pk, "amount": finding.amount, "refund_ordered": finding.refund_ordered,
            "refunded": finding.refunded}


class CounterfeitOut(Schema):
    campaign: int
    title: str
    product_line: str
    tasks: int
    samples: int
    cases: int
    goods: int
    value: Decimal
    destroyed: int
    destroyed_value: Decimal


def _counterfeit(campaign) -> dict:
    f = selectors.counterfeit_figures(campaign)
    return {"campaign": campaign.pk, "title": campaign.title, "product_line": campaign.product_line,
            "tasks": f.tasks, "samples": f.samples, "cases": f.cases, "goods": f.goods, "value": f.value,
            "destroyed": f.destroyed, "destroyed_value": f.destroyed_value}


@router.get("/counterfeits/{pk}", response=CounterfeitOut, summary="打击假冒伪劣行动概况")
def counterfeit(request, pk: int):
    if not request.auth.has_perm(VIEW_FAKES):
        raise PermissionDenied("无权查看")
    return _counterfeit(selectors.counterfeit_campaign_for(request.auth, pk))


class LinkIn(Schema):
    kind: str
    ref: str


@router.post("/counterfeits/{pk}/links", response=CounterfeitOut,
             summary="关联检查任务（编号）、不合格样品（样品编号）或案件（立案编号）；重复关联不重复添加")
def counterfeit_link(request, pk: int, body: LinkIn):
    if not request.auth.has_perm(MANAGE_FAKES):
        raise PermissionDenied("无权执行此操作")
    from .views import _linkable

    campaign = selectors.counterfeit_campaign_for(request.auth, pk)
    record = _linkable(request.auth, body.kind, body.ref)
    services.counterfeit_link(actor=request.auth, campaign=campaign, kind=body.kind, record=record)
    return _counterfeit(campaign)


api_routes(router, REGISTERS, tag="monitoring")
