"""Writes of the monitoring app: keyword-only, ``actor`` first, atomic, audited."""

from __future__ import annotations

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
from .models import CaptureStatus, OnlineFinding, OnlineShop

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
