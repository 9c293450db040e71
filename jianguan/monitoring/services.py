"""Writes of the monitoring app: keyword-only, ``actor`` first, atomic, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.core import audit
from jianguan.core.errors import ValidationFailed
from jianguan.core.scope import scope_for
from jianguan.enforcement import services as enforcement
from jianguan.enforcement.models import LeadSource
from jianguan.registry.models import Entity

from . import capture
from .models import Ad, AdApproval, CaptureStatus, Medium, OnlineFinding, OnlineShop, Review

EVIDENCE_DIR = "monitoring/evidence"


def _in_scope(actor, entity: Entity, field: str = "entity") -> None:
    scope = scope_for(actor)
    if not scope.everything and entity.unit_id not in scope.unit_ids:
        raise ValidationFailed(f"{entity.name} 不在您所在单位的监管范围内", field=field)


def _check_url(url: str, field: str = "url") -> str:
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValidationFailed("网址须以 http:// 或 https:// 开头", field=field)
    return url


@transaction.atomic
def shop_create(*, actor, platform: str, shop_name: str, url: str, entity: Entity,
                licence_displayed: bool = False) -> OnlineShop:
    url = _check_url(url)
    _in_scope(actor, entity)
    if OnlineShop.objects.filter(url=url).exists():
        raise ValidationFailed(f"网址 {url} 已登记", field="url")
    shop = OnlineShop.objects.create(platform=platform, shop_name=shop_name.strip(), url=url, entity=entity,
                                     licence_displayed=licence_displayed, unit_id=entity.unit_id)
    audit.record(actor=actor, action="monitoring.shop.created", obj=shop, unit=shop.unit,
                 changes={"url": [None, url], "entity": [None, entity.uscc]})
    return shop


def _store(data: bytes, name: str) -> tuple[str, str]:
    """Write ``data`` under MEDIA_ROOT/monitoring/evidence/ and return (relative path, SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    day = timezone.localdate().strftime("%Y/%m")
    relative = f"{EVIDENCE_DIR}/{day}/{name}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return relative, digest


def _fetch(url: str) -> capture.Capture:
    """Run the capture in a thread of its own, so Playwright's event loop never shares a thread with the ORM."""
    box: list[capture.Capture] = []
    worker = threading.Thread(target=lambda: box.append(capture.fetch(url)), daemon=True)
    worker.start()
    worker.join(capture.TIMEOUT_MS / 1000 * 3)
    return box[0] if box else capture.Capture(ok=False, failure="取证超时，页面未能在规定时间内打开")


def finding_capture(*, actor, shop: OnlineShop, problem: str, url: str = "") -> OnlineFinding:
    """Fetch ``url`` (default: the shop's) and record the finding: HTML and screenshot with their SHA-256 and the
    time — or, when the page cannot be fetched, the reason and no capture."""
    if not (problem or "").strip():
        raise ValidationFailed("请填写发现的问题", field="problem")
    _in_scope(actor, shop.entity, field="shop")
    url = _check_url(url or shop.url)
    result = _fetch(url)  # outside any transaction: fetching may take seconds
    when = timezone.now()
    fields = {"status": CaptureStatus.FAILED, "failure": result.failure[:300], "http_status": result.http_status}
    if result.ok:
        stem = f"{when:%Y%m%dT%H%M%S}-{shop.pk}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"
        html_file, html_sha = _store(result.html, f"{stem}.html")
        png_file, png_sha = _store(result.screenshot, f"{stem}.png")
        fields = {"status": CaptureStatus.CAPTURED, "failure": "", "http_status": result.http_status,
                  "page_title": result.title, "html_file": html_file, "html_sha256": html_sha,
                  "html_size": len(result.html), "screenshot_file": png_file, "screenshot_sha256": png_sha,
                  "screenshot_size": len(result.screenshot)}
    with transaction.atomic():
        finding = OnlineFinding.objects.create(
            shop=shop, url=url, problem=problem.strip()[:500], captured_at=when, unit_id=shop.unit_id,
            created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
        audit.record(actor=actor, action="monitoring.finding.captured", obj=finding, unit=shop.unit,
                     changes={"url": [None, url], "status": [None, finding.status],
                              "html_sha256": [None, finding.html_sha256],
                              "screenshot_sha256": [None, finding.screenshot_sha256]})
    return finding


def finding_to_lead(*, actor, finding: OnlineFinding):
    """Hand a captured finding to enforcement as a lead (idempotent: a second click returns the same lead)."""
    with transaction.atomic():
        finding = OnlineFinding.objects.select_for_update().select_related("shop__entity").get(pk=finding.pk)
        if finding.lead_id:
            return finding.lead
        if finding.status != CaptureStatus.CAPTURED:
            raise ValidationFailed("该网址未能取证（无法访问），不能作为证据移交线索；请重新监测取证")
        shop = finding.shop
        local = timezone.localtime(finding.captured_at)
        lead = enforcement.lead_create(
            actor=actor, source_kind=LeadSource.MONITORING, entity=shop.entity, unit=finding.unit,
            description=(f"网络交易监测：{shop.get_platform_display()}“{shop.shop_name}”{finding.problem}。"
                         f"电子数据：{finding.url}，取证时间 {local:%Y-%m-%d %H:%M:%S}，"
                         f"网页 SHA-256 {finding.html_sha256}，截图 SHA-256 {finding.screenshot_sha256}"),
            discovered_on=local.date(), source_type="monitoring.onlinefinding", source_id=str(finding.pk))
        finding.lead = lead
        finding.save(update_fields=["lead"])
        audit.record(actor=actor, action="monitoring.finding.lead", obj=finding, unit=finding.unit,
                     changes={"lead": [None, lead.pk]})
    return lead


@transaction.atomic
def finding_correct(*, actor, row: OnlineFinding, shop: OnlineShop, problem: str, url: str = "") -> OnlineFinding:
    """Correct a finding (core.registers correction): only the description of the problem. The shop, the URL and
    the capture are the electronic evidence and never change; a wrong one is withdrawn and captured again."""
    if shop.pk != row.shop_id or (url and url.strip() != row.url):
        raise ValidationFailed("网店和监测网址是电子证据的一部分，不能更正；如有错误，请撤回本条后重新取证", field="url")
    row.problem = problem.strip()
    row.save(update_fields=["problem"])
    return row


# --- advertising monitoring (广告监测) -------------------------------------------------------------------------------


def _category(code: str, field: str = "category"):
    from . import adlaw

    try:
        return adlaw.category(code)
    except adlaw.NoRule as exc:
        raise ValidationFailed(str(exc), field=field) from None


@transaction.atomic
def approval_create(*, actor, number: str, category: str, advertiser: Entity, product: str,
                    valid_from: dt.date, valid_until: dt.date) -> AdApproval:
    """Record an ad approval (广告审查批准文号) so that observed ads can be checked against it."""
    from . import adlaw

    number = (number or "").strip()
    cat = _category(category)
    if not cat.review:
        raise ValidationFailed(f"{cat.label}广告无须事先审查，不登记批准文号", field="category")
    if not adlaw.approval_number_fits(category, number):
        raise ValidationFailed(f"批准文号 {number} 不是{cat.label}广告的批准文号（应含“{cat.approval_tokens[0]}”，"
                               "形如 第…号）", field="number")
    if valid_until < valid_from:
        raise ValidationFailed("有效期至不能早于有效期自", field="valid_until")
    _in_scope(actor, advertiser, field="advertiser")
    if AdApproval.objects.filter(number=number).exists():
        raise ValidationFailed(f"批准文号 {number} 已登记", field="number")
    row = AdApproval.objects.create(number=number, category=category, advertiser=advertiser,
                                    product=product.strip(), valid_from=valid_from, valid_until=valid_until,
                                    unit_id=advertiser.unit_id)
    audit.record(actor=actor, action="monitoring.approval.created", obj=row, unit=row.unit,
                 changes={"number": [None, number], "valid_until": [None, valid_until.isoformat()]})
    return row


def review_check(*, category: str, advertiser: Entity, number: str, on: dt.date,
                 approvals: dict | None = None) -> tuple[str, AdApproval | None]:
    """The review check of an ad needing prior review (广告法 第四十六条): the approval number it shows must be one
    of its category, on record, for this advertiser and category, and valid on the day it was observed."""
    from . import adlaw

    cat = adlaw.category(category)
    if not cat.review:
        return Review.NOT_REQUIRED, None
    number = (number or "").strip()
    if not number:
        return Review.MISSING, None
    if not adlaw.approval_number_fits(category, number):
        return Review.MALFORMED, None
    approval = (approvals.get(number) if approvals is not None
                else AdApproval.objects.filter(number=number).first())
    if approval is None:
        return Review.UNKNOWN, None
    if approval.category != category or approval.advertiser_id != advertiser.pk:
        return Review.MISMATCH, approval
    if not approval.valid_from <= on <= approval.valid_until:
        return Review.EXPIRED, approval
    return Review.APPROVED, approval


REVIEW_FAILED = (Review.MISSING, Review.MALFORMED, Review.UNKNOWN, Review.MISMATCH, Review.EXPIRED)


@transaction.atomic
def ad_record(*, actor, medium: str, outlet: str, advertiser: Entity, category: str, product: str, claim: str,
              observed_on: dt.date, approval_no: str = "", article: str = "") -> Ad:
    """Record an observed ad. The category must have its 广告法 rules (else refused); a cited article must apply to
    the category; an ad needing prior review is checked against its approval number, and one that fails the check
    breaks 第四十六条 even when no other article is cited."""
    from . import adlaw

    cat = _category(category)
    if medium not in Medium.values:
        raise ValidationFailed(f"媒介“{medium}”无效", field="medium")
    for name, value in (("outlet", outlet), ("product", product), ("claim", claim)):
        if not (value or "").strip():
            raise ValidationFailed(f"{Ad._meta.get_field(name).verbose_name}不能为空", field=name)
    if observed_on > timezone.localdate():
        raise ValidationFailed("监测日期不能晚于今天", field="observed_on")
    article = (article or "").strip()
    if article and article not in cat.articles:
        allowed = "、".join(adlaw.ARTICLES[a].title for a in cat.articles)
        raise ValidationFailed(f"{adlaw.LAW}{adlaw.ARTICLES[article].title if article in adlaw.ARTICLES else article}"
                               f"不适用于{cat.label}广告；可引用：{allowed}", field="article")
    _in_scope(actor, advertiser, field="advertiser")
    review, approval = review_check(category=category, advertiser=advertiser, number=approval_no, on=observed_on)
    if review in REVIEW_FAILED and not article:
        article = "46"
    ad = Ad.objects.create(medium=medium, outlet=outlet.strip(), advertiser=advertiser, category=category,
                           product=product.strip(), claim=claim.strip(), observed_on=observed_on,
                           approval_no=(approval_no or "").strip(), approval=approval, review=review, article=article,
                           violation=bool(article), unit_id=advertiser.unit_id,
                           created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor=actor, action="monitoring.ad.recorded", obj=ad, unit=ad.unit,
                 changes={"category": [None, category], "review": [None, review], "article": [None, article]})
    return ad


def ad_to_lead(*, actor, ad: Ad):
    """Hand an illegal ad to enforcement as a lead, citing the article it breaks and its penalty (idempotent)."""
    from . import adlaw

    with transaction.atomic():
        ad = Ad.objects.select_for_update().select_related("advertiser").get(pk=ad.pk)
        if ad.lead_id:
            return ad.lead
        if not ad.violation:
            raise ValidationFailed("该广告未认定违反广告法条款，不能移交线索")
        art = adlaw.ARTICLES[ad.article]
        cat = adlaw.CATEGORIES[ad.category]
        review = "" if ad.review == Review.NOT_REQUIRED else f"审查核对：{ad.get_review_display()}" + (
            f"（{ad.approval_no}）" if ad.approval_no else "") + "。"
        lead = enforcement.lead_create(
            actor=actor, source_kind=LeadSource.MONITORING, entity=ad.advertiser, unit=ad.unit,
            description=(f"广告监测：{ad.observed_on:%Y-%m-%d} 在{ad.get_medium_display()}“{ad.outlet}”发布的"
                         f"{cat.label}广告（{ad.product}）宣称“{ad.claim[:300]}”。{review}"
                         f"涉嫌违反{art.source}。"),
            discovered_on=ad.observed_on, source_type="monitoring.ad", source_id=str(ad.pk))
        ad.lead = lead
        ad.save(update_fields=["lead"])
        audit.record(actor=actor, action="monitoring.ad.lead", obj=ad, unit=ad.unit, changes={"lead": [None, lead.pk]})
    return lead
