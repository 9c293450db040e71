"""Staff API of monitoring: the registers (core.registers) and handing a finding to enforcement as a lead."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import selectors, services
from .registers import (
    CAPTURE,
    CHECK_FEES,
    MANAGE_FAKES,
    MONITOR_ADS,
    REGISTERS,
    VIEW,
    VIEW_ADS,
    VIEW_FAKES,
    VIEW_FEES,
)

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
def ad_statistics(request, year: int = Query(..., ge=2000, le=2100)):
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


class FeeCampaignOut(Schema):
    id: int
    title: str
    year: int
    kinds: list[str]
    started_on: dt.date
    report_due: dt.date
    unit: str
    checks: int


@router.get("/fees/campaigns", response=list[FeeCampaignOut], summary="涉企收费检查专项行动（本单位及上级单位组织的）")
def fee_campaigns(request, year: int | None = None):
    if not request.auth.has_perm(VIEW_FEES):
        raise PermissionDenied("无权查看")
    from django.db.models import Count

    qs = selectors.fee_campaigns_for(request.auth).annotate(n=Count("checks"))
    if year:
        qs = qs.filter(year=year)
    return [{"id": c.pk, "title": c.title, "year": c.year, "kinds": c.kinds, "started_on": c.started_on,
             "report_due": c.report_due, "unit": c.unit.short_name or c.unit.name, "checks": c.n} for c in qs]


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


class FeeLeadOut(Schema):
    finding: int
    lead: int
    lead_status: str


@router.post("/fees/findings/{pk}/lead", response=FeeLeadOut,
             summary="违规收费问题移交执法线索（重复提交返回同一线索）")
def fee_lead(request, pk: int):
    if not request.auth.has_perm(CHECK_FEES):
        raise PermissionDenied("无权执行此操作")
    from django.shortcuts import get_object_or_404

    finding = get_object_or_404(selectors.fee_findings_for(request.auth), pk=pk)
    lead = services.fee_finding_to_lead(actor=request.auth, finding=finding)
    return {"finding": finding.pk, "lead": lead.pk, "lead_status": lead.status}


@router.post("/fees/findings/{pk}/{action}", response=FindingOut,
             summary="责令清退（action=order）或确认清退（action=confirm）；超出查实金额的清退被拒绝（422），已全额清退的问题再清退 409")
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


class CounterfeitListOut(Schema):
    id: int
    title: str
    product_line: str
    market: str
    started_on: dt.date
    ended_on: dt.date | None
    unit: str


@router.get("/counterfeits", response=list[CounterfeitListOut], summary="打击假冒伪劣行动（本单位及上级单位组织的）")
def counterfeits(request):
    if not request.auth.has_perm(VIEW_FAKES):
        raise PermissionDenied("无权查看")
    return [{"id": c.pk, "title": c.title, "product_line": c.product_line, "market": c.market,
             "started_on": c.started_on, "ended_on": c.ended_on, "unit": c.unit.short_name or c.unit.name}
            for c in selectors.counterfeit_campaigns_for(request.auth)]


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


# --- monitoring rounds -------------------------------------------------------------------------------------------------


class RoundTargetOut(Schema):
    shop: int
    platform: str
    shop_name: str
    url: str
    entity_uscc: str
    entity_name: str
    licence_displayed: bool
    ticket: str
    finding: int | None
    finding_status: str | None
    lead: int | None


class RoundOut(Schema):
    id: int
    code: str
    title: str
    method: str
    platform: str
    quota: int
    status: str
    status_label: str
    unit: str
    beacon: str
    commitment: str
    randomness: str
    bundle_sha256: str
    created_at: dt.datetime
    frozen_at: dt.datetime | None
    drawn_at: dt.datetime | None
    shops: int
    findings: int


class RoundDetailOut(RoundOut):
    targets: list[RoundTargetOut]


class RoundPageOut(Schema):
    count: int
    items: list[RoundOut]


class RoundFilters(Schema):
    status: str = Field("", description="draft 待冻结名单 / committed 已公示承诺值 / ready 监测中；空为全部")
    method: str = Field("", description="plan 按计划指定 / draw 可验证随机抽取；空为全部")
    offset: int = 0
    limit: int = Field(50, description="每页条数，1–200")


class RoundIn(Schema):
    code: str
    title: str
    method: str = Field(..., description="plan（按计划指定，须列出 shops）或 draw（可验证随机抽取，须给出 quota）")
    shops: list[str] = Field(default_factory=list, description="按计划指定时：网店台账中的店铺网址")
    quota: int = Field(0, description="随机抽取时：抽取店铺数")
    platform: str = Field("", description="随机抽取时：只从该平台的网店中抽取；空为全部平台")


class FreezeIn(Schema):
    beacon: str = Field(..., description="将采用的公开随机源，如：福利彩票3D 2026年第330期开奖号码")


class DrawIn(Schema):
    randomness: str = Field(..., description="随机源公布的值，与公布的完全一致")


class CaptureIn(Schema):
    shop: int = Field(..., description="本轮次监测对象（网店）的编号")
    problem: str = Field(..., description="发现的问题")
    url: str = Field("", description="要取证的网址；空为网店网址")


def _round(r) -> dict:
    return {"id": r.pk, "code": r.code, "title": r.title, "method": r.method, "platform": r.platform,
            "quota": r.quota, "status": r.status, "status_label": r.get_status_display(),
            "unit": r.unit.short_name or r.unit.name, "beacon": r.beacon, "commitment": r.commitment,
            "randomness": r.randomness, "bundle_sha256": r.bundle_sha256, "created_at": r.created_at,
            "frozen_at": r.frozen_at, "drawn_at": r.drawn_at, "shops": r.n_shops, "findings": r.n_findings}


def _rounds(user):
    from django.db.models import Count

    return selectors.rounds_for(user).annotate(n_shops=Count("targets", distinct=True),
                                                n_findings=Count("findings", distinct=True))


def _round_detail(user, pk: int) -> dict:
    from django.shortcuts import get_object_or_404

    rnd = get_object_or_404(_rounds(user), pk=pk)
    targets = [{"shop": t.shop_id, "platform": t.shop.platform, "shop_name": t.shop.shop_name, "url": t.shop.url,
                "entity_uscc": t.shop.entity.uscc, "entity_name": t.shop.entity.name,
                "licence_displayed": t.shop.licence_displayed, "ticket": t.ticket,
                "finding": t.finding.pk if t.finding else None,
                "finding_status": t.finding.status if t.finding else None,
                "lead": t.finding.lead_id if t.finding else None}
               for t in selectors.round_targets(rnd)]
    return {**_round(rnd), "targets": targets}


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作" if perm == CAPTURE else "无权查看")


@router.get("/rounds", response=RoundPageOut, summary="网络交易监测轮次（列表，数据范围内）")
def rounds(request, filters: Query[RoundFilters]):
    _need(request.auth, VIEW)
    qs = _rounds(request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.method:
        qs = qs.filter(method=filters.method)
    offset, limit = max(0, filters.offset), max(1, min(filters.limit, 200))
    return {"count": qs.count(), "items": [_round(r) for r in qs[offset:offset + limit]]}


@router.get("/rounds/{pk}", response=RoundDetailOut,
            summary="监测轮次（一轮：承诺值、随机数、结果包 SHA-256，每个监测对象及其最近一次取证）")
def round_detail(request, pk: int):
    _need(request.auth, VIEW)
    return _round_detail(request.auth, pk)


@router.post("/rounds", response={201: RoundDetailOut}, summary="建立监测轮次（按计划指定网店，或可验证随机抽取）",
             description="按计划指定：shops 列出本辖区网店台账中的网址，不在台账中的网址逐一列出并拒绝。"
                         "随机抽取：给出 quota（和可选的 platform），之后冻结名单（freeze）、录入随机数（draw）。")
def round_create(request, body: RoundIn):
    _need(request.auth, CAPTURE)
    from jianguan.core.errors import ValidationFailed

    from .models import RoundMethod

    shops, unknown = selectors.shops_by_url(request.auth, body.shops)
    if body.method == RoundMethod.PLAN and unknown:
        raise ValidationFailed("以下网址不在您辖区的网店台账中：" + "、".join(unknown), field="shops")
    rnd = services.round_create(actor=request.auth, code=body.code, title=body.title, method=body.method,
                                shops=shops, quota=body.quota, platform=body.platform)
    return 201, _round_detail(request.auth, rnd.pk)


@router.post("/rounds/{pk}/freeze", response=RoundDetailOut,
             summary="冻结抽取名单并生成承诺值（随机抽取的轮次，须在随机源开奖前公示承诺值）")
def round_freeze(request, pk: int, body: FreezeIn):
    _need(request.auth, CAPTURE)
    services.round_freeze(actor=request.auth, rnd=selectors.round_for(request.auth, pk), beacon=body.beacon)
    return _round_detail(request.auth, pk)


@router.post("/rounds/{pk}/draw", response=RoundDetailOut,
             summary="录入随机源公布的值并抽取网店（只能录入一次；结果包可用 draw.py 复核）")
def round_draw(request, pk: int, body: DrawIn):
    _need(request.auth, CAPTURE)
    services.round_draw(actor=request.auth, rnd=selectors.round_for(request.auth, pk), randomness=body.randomness)
    return _round_detail(request.auth, pk)


@router.post("/rounds/{pk}/capture", response=RoundTargetOut,
             summary="对本轮次的一家网店取证（网页源文件和截图及其 SHA-256；无法访问的网址如实记为无法访问）")
def round_capture(request, pk: int, body: CaptureIn):
    _need(request.auth, CAPTURE)
    from django.shortcuts import get_object_or_404

    rnd = selectors.round_for(request.auth, pk)
    shop = get_object_or_404(selectors.shops_for(request.auth), pk=body.shop)
    found = services.round_capture(actor=request.auth, rnd=rnd, shop=shop, problem=body.problem, url=body.url)
    ticket = rnd.targets.filter(shop=shop).values_list("ticket", flat=True).first() or ""
    return {"shop": shop.pk, "platform": shop.platform, "shop_name": shop.shop_name, "url": shop.url,
            "entity_uscc": shop.entity.uscc, "entity_name": shop.entity.name,
            "licence_displayed": shop.licence_displayed, "ticket": ticket, "finding": found.pk,
            "finding_status": found.status, "lead": found.lead_id}


@router.get("/rounds/{pk}/bundle", summary="抽取结果包（已抽取）或抽取清单（已冻结），JSON 原文，可用 draw.py 验证")
def round_bundle(request, pk: int):
    _need(request.auth, VIEW)
    from django.http import Http404, HttpResponse

    from .models import MonitoringRound

    rnd = selectors.round_for(request.auth, pk)
    text = MonitoringRound.objects.filter(pk=rnd.pk).values_list("bundle", "manifest").get()
    body = text[0] or text[1]
    if not body:
        raise Http404
    return HttpResponse(body, content_type="application/json; charset=utf-8")


api_routes(router, REGISTERS, tag="monitoring")
