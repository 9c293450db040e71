"""Writes of the monitoring app: keyword-only, ``actor`` first, atomic, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jianguan.core import audit, registers
from jianguan.core.errors import Conflict, TransitionNotAllowed, ValidationFailed
from jianguan.core.money import yuan
from jianguan.core.scope import scope_for
from jianguan.core.storage import encrypted_media, max_file_bytes
from jianguan.enforcement import services as enforcement
from jianguan.enforcement.models import LeadSource
from jianguan.registry.models import Entity

from . import capture
from .models import (
    Ad,
    AdApproval,
    CaptureStatus,
    CounterfeitCampaign,
    FeeCampaign,
    FeeCheck,
    FeeFinding,
    FeeRefund,
    Medium,
    MonitoringRound,
    OnlineFinding,
    OnlineShop,
    Platform,
    Review,
    RoundMethod,
    RoundShop,
    RoundStatus,
    SeizedGoods,
)

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
    """Save ``data`` encrypted (``core.storage.encrypted_media``) as monitoring/evidence/YYYY/MM/``name`` under
    MEDIA_ROOT and return (the name the storage gave it, SHA-256 of the plaintext: the evidence's fingerprint)."""
    digest = hashlib.sha256(data).hexdigest()
    day = timezone.localdate().strftime("%Y/%m")
    stored = encrypted_media().save(f"{EVIDENCE_DIR}/{day}/{name}", ContentFile(data))
    return stored, digest


def _too_large(result: capture.Capture) -> str:
    """Why a capture cannot be stored, or "": the encrypting storage takes a file whole in memory and refuses one
    above ``JIANGUAN_MAX_UPLOAD_BYTES``; such a page is recorded as not captured, nothing stored."""
    limit = max_file_bytes()
    for what, data in (("网页源文件", result.html), ("整页截图", result.screenshot)):
        if len(data) > limit:
            return f"页面过大：{what} {len(data)} 字节超过文件上限 {limit} 字节（JIANGUAN_MAX_UPLOAD_BYTES），未取证"
    return ""


def _fetch(url: str) -> capture.Capture:
    """Run the capture in a thread of its own, so Playwright's event loop never shares a thread with the ORM."""
    box: list[capture.Capture] = []
    worker = threading.Thread(target=lambda: box.append(capture.fetch(url)), daemon=True)
    worker.start()
    worker.join(capture.TIMEOUT_MS / 1000 * 3)
    return box[0] if box else capture.Capture(ok=False, failure="取证超时，页面未能在规定时间内打开")


def finding_capture(*, actor, shop: OnlineShop, problem: str, url: str = "", round=None) -> OnlineFinding:
    """Fetch ``url`` (default: the shop's) and record the finding: HTML and screenshot, stored encrypted, with the
    SHA-256 and size of each as captured and the time — or, when the page cannot be fetched (or is too large to
    store), the reason and no capture."""
    if not (problem or "").strip():
        raise ValidationFailed("请填写发现的问题", field="problem")
    _in_scope(actor, shop.entity, field="shop")
    registers.refuse_reference_to_withdrawn(shop, what=f"网店“{shop.shop_name}”", field="shop")
    url = _check_url(url or shop.url)
    result = _fetch(url)  # outside any transaction: fetching may take seconds
    when = timezone.now()
    too_large = _too_large(result) if result.ok else ""
    if too_large:
        result = capture.Capture(ok=False, http_status=result.http_status, failure=too_large)
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
            shop=shop, url=url, problem=problem.strip()[:500], captured_at=when, unit_id=shop.unit_id, round=round,
            created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
        audit.record(actor=actor, action="monitoring.finding.captured", obj=finding, unit=shop.unit,
                     changes={"url": [None, url], "status": [None, finding.status],
                              "round": [None, round.code if round is not None else None],
                              "html_sha256": [None, finding.html_sha256],
                              "screenshot_sha256": [None, finding.screenshot_sha256]})
    return finding


def finding_to_lead(*, actor, finding: OnlineFinding):
    """Hand a captured finding to enforcement as a lead (idempotent: a second click returns the same lead)."""
    with transaction.atomic():
        finding = OnlineFinding.objects.select_for_update().select_related("shop__entity").get(pk=finding.pk)
        if finding.lead_id:
            return finding.lead
        registers.refuse_if_withdrawn(finding, what=f"监测发现 #{finding.pk}", doing="移交执法线索")
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


# --- fee checks (涉企违规收费) -----------------------------------------------------------------------------------------

CHECK_RESULTS = ("ok", "problem", "na")


def _actor_unit(actor):
    unit = getattr(getattr(actor, "profile", None), "unit", None)
    if unit is None:
        raise ValidationFailed("只有工作人员可以组织专项行动")
    return unit


@transaction.atomic
def fee_campaign_create(*, actor, title: str, year: int, kinds: list[str], started_on: dt.date,
                        report_due: dt.date) -> FeeCampaign:
    from . import fees

    if not (title or "").strip():
        raise ValidationFailed("请填写专项行动名称", field="title")
    unknown = [k for k in kinds if k not in fees.KINDS]
    if not kinds or unknown:
        raise ValidationFailed("请选择检查对象类型：" + "、".join(label for _, label in fees.KIND_CHOICES), field="kinds")
    if report_due < started_on:
        raise ValidationFailed("报送截止日期不能早于开始日期", field="report_due")
    campaign = FeeCampaign.objects.create(title=title.strip(), year=year, kinds=list(dict.fromkeys(kinds)),
                                          started_on=started_on, report_due=report_due, unit=_actor_unit(actor))
    audit.record(actor=actor, action="monitoring.fee_campaign.created", obj=campaign, unit=campaign.unit,
                 changes={"title": [None, campaign.title], "kinds": [None, campaign.kinds]})
    return campaign


@transaction.atomic
def fee_check_record(*, actor, campaign: FeeCampaign, kind: str, body_name: str, checked_on: dt.date,
                     checklist: dict[str, str], entity: Entity | None = None) -> FeeCheck:
    """Record one body checked: every item of its kind's checklist answered ok / problem / na."""
    from . import fees

    if kind not in campaign.kinds:
        raise ValidationFailed(f"本专项行动不检查“{dict(fees.KIND_CHOICES).get(kind, kind)}”", field="kind")
    spec = fees.KINDS[kind]
    body_name = (body_name or "").strip()
    if not body_name:
        raise ValidationFailed("请填写被检查单位", field="body_name")
    missing = [i.text for i in spec.items if checklist.get(i.code) not in CHECK_RESULTS]
    if missing:
        raise ValidationFailed("检查清单未逐项填写：" + "；".join(missing), field="checklist")
    extra = set(checklist) - {i.code for i in spec.items}
    if extra:
        raise ValidationFailed(f"检查清单含有{spec.label}以外的项目", field="checklist")
    if checked_on < campaign.started_on:
        raise ValidationFailed("检查日期早于专项行动开始日期", field="checked_on")
    if entity is not None:
        _in_scope(actor, entity)
    if FeeCheck.objects.filter(campaign=campaign, body_name=body_name).exists():
        raise ValidationFailed(f"{body_name} 已在本专项行动中检查过", field="body_name")
    unit = entity.unit if entity is not None else _actor_unit(actor)
    check = FeeCheck.objects.create(campaign=campaign, kind=kind, body_name=body_name, entity=entity,
                                    checked_on=checked_on, checklist=dict(checklist), unit=unit,
                                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor=actor, action="monitoring.fee_check.recorded", obj=check, unit=unit,
                 changes={"checklist": [None, check.checklist]})
    return check


@transaction.atomic
def fee_finding_record(*, actor, check: FeeCheck, item: str, description: str, amount: Decimal,
                       payers: int = 0) -> FeeFinding:
    """An unlawful charge found at a checklist item answered ``problem``: the amount charged and the payers."""
    from . import fees

    spec = fees.KINDS[check.kind]
    if spec.item(item) is None:
        raise ValidationFailed(f"“{item}”不是{spec.label}检查清单的项目", field="item")
    if check.checklist.get(item) != "problem":
        raise ValidationFailed(f"检查清单中“{spec.item(item).text}”未记为发现问题", field="item")
    if amount is None or amount <= 0:
        raise ValidationFailed("违规收费金额应大于0元", field="amount")
    if not (description or "").strip():
        raise ValidationFailed("请填写问题描述", field="description")
    finding = FeeFinding.objects.create(fee_check=check, item=item, description=description.strip()[:500],
                                        amount=amount, payers=payers or 0, unit=check.unit)
    audit.record(actor=actor, action="monitoring.fee_finding.recorded", obj=finding, unit=check.unit,
                 changes={"amount": [None, str(amount)], "item": [None, item]})
    return finding


def fee_finding_to_lead(*, actor, finding: FeeFinding):
    """Hand an unlawful charge to enforcement as a lead, with the campaign, the body, the checklist item and its
    basis, the amount and payers and the refund so far (idempotent: a second click returns the same lead). A body
    not in the registry (a government-affiliated unit, say) is named as the party."""
    from . import fees

    with transaction.atomic():
        # of=("self",): the body's entity is a nullable (outer) join, which PostgreSQL cannot lock
        finding = FeeFinding.objects.select_for_update(of=("self",)).select_related(
            "fee_check__campaign", "fee_check__entity").get(pk=finding.pk)
        if finding.lead_id:
            return finding.lead
        check = finding.fee_check
        spec = fees.KINDS[check.kind]
        item = spec.item(finding.item)
        basis = f"（{item.source}）" if item is not None else ""
        refund = (f"责令清退{yuan(finding.refund_ordered)}（{finding.ordered_on:%Y-%m-%d}），已清退{yuan(finding.refunded)}"
                  if finding.ordered_on else "尚未责令清退")
        lead = enforcement.lead_create(
            actor=actor, source_kind=LeadSource.INSPECTION, entity=check.entity,
            party_name="" if check.entity else check.body_name, unit=finding.unit, discovered_on=check.checked_on,
            description=(f"涉企违规收费检查（{check.campaign.title}）：{spec.label}“{check.body_name}”"
                         f"{item.text if item is not None else finding.item}{basis}——{finding.description}。"
                         f"查实违规收费{yuan(finding.amount)}，涉及企业 {finding.payers} 家；{refund}。"),
            source_type="monitoring.feefinding", source_id=str(finding.pk))
        finding.lead = lead
        finding.save(update_fields=["lead"])
        audit.record(actor=actor, action="monitoring.fee_finding.lead", obj=finding, unit=finding.unit,
                     changes={"lead": [None, lead.pk]})
    return lead


def _refuse_when_fully_refunded(finding: FeeFinding, doing: str) -> None:
    """A finding whose whole amount has been paid back takes no further order or refund (409): the page no longer
    offers the forms, this refuses a stale page or an API call. The same submission repeated is not refused — the
    callers return the existing order or refund before asking."""
    if finding.fully_refunded:
        raise Conflict(f"该问题已全额清退（查实{yuan(finding.amount)}，已清退{yuan(finding.refunded)}），"
                       f"不能再{doing}", code="fully_refunded", field="amount")


@transaction.atomic
def refund_order(*, actor, finding: FeeFinding, amount: Decimal, on: dt.date) -> FeeFinding:
    """Order the body to refund (责令清退) ``amount`` — never more than the amount found; the same order twice is a
    no-op."""
    finding = FeeFinding.objects.select_for_update().get(pk=finding.pk)
    if amount is None or amount <= 0:
        raise ValidationFailed("责令清退金额应大于0元", field="amount")
    if amount > finding.amount:
        raise ValidationFailed(f"责令清退金额{yuan(amount)}大于查实的违规收费金额{yuan(finding.amount)}", field="amount")
    if amount < finding.refunded:
        raise ValidationFailed(f"责令清退金额不能少于已清退的{yuan(finding.refunded)}", field="amount")
    if finding.refund_ordered == amount and finding.ordered_on == on:
        return finding
    _refuse_when_fully_refunded(finding, "责令清退")
    before = str(finding.refund_ordered)
    finding.refund_ordered, finding.ordered_on = amount, on
    finding.save(update_fields=["refund_ordered", "ordered_on"])
    audit.record(actor=actor, action="monitoring.fee_finding.refund_ordered", obj=finding, unit=finding.unit,
                 changes={"refund_ordered": [before, str(amount)]})
    return finding


@transaction.atomic
def refund_confirm(*, actor, finding: FeeFinding, amount: Decimal, refunded_on: dt.date, proof: str) -> FeeRefund:
    """Confirm a refund paid back (清退到位). Refused beyond the amount ordered (and so beyond the amount found);
    the same confirmation submitted twice returns the first."""
    finding = FeeFinding.objects.select_for_update().get(pk=finding.pk)
    if not finding.ordered_on:
        raise ValidationFailed("尚未责令清退，不能确认清退", field="amount")
    if amount is None or amount <= 0:
        raise ValidationFailed("清退金额应大于0元", field="amount")
    proof = (proof or "").strip()
    if not proof:
        raise ValidationFailed("请填写清退凭证（如转账凭证号）", field="proof")
    same = finding.refunds.filter(amount=amount, refunded_on=refunded_on, proof=proof).first()
    if same is not None:
        return same
    _refuse_when_fully_refunded(finding, "确认清退")
    if finding.refunded + amount > finding.amount:
        raise ValidationFailed(f"清退金额{yuan(amount)}超出违规收费金额：查实{yuan(finding.amount)}，已清退"
                               f"{yuan(finding.refunded)}", field="amount")
    if finding.refunded + amount > finding.refund_ordered:
        raise ValidationFailed(f"清退金额{yuan(amount)}超出责令清退金额：责令{yuan(finding.refund_ordered)}，已清退"
                               f"{yuan(finding.refunded)}", field="amount")
    if refunded_on < finding.ordered_on:
        raise ValidationFailed("清退日期早于责令清退日期", field="refunded_on")
    refund = FeeRefund.objects.create(finding=finding, amount=amount, refunded_on=refunded_on, proof=proof[:300],
                                      created_by=actor if getattr(actor, "is_authenticated", False) else None)
    before = str(finding.refunded)
    finding.refunded = finding.refunded + amount
    finding.save(update_fields=["refunded"])
    audit.record(actor=actor, action="monitoring.fee_finding.refunded", obj=finding, unit=finding.unit,
                 changes={"refunded": [before, str(finding.refunded)], "proof": [None, proof]})
    return refund


# --- counterfeits (假冒伪劣) ------------------------------------------------------------------------------------------

LINK_KINDS = ("task", "sample", "case")


@transaction.atomic
def counterfeit_campaign_create(*, actor, title: str, product_line: str, started_on: dt.date, market: str = "",
                                ended_on: dt.date | None = None) -> CounterfeitCampaign:
    for name, value in (("title", title), ("product_line", product_line)):
        if not (value or "").strip():
            raise ValidationFailed(f"请填写{CounterfeitCampaign._meta.get_field(name).verbose_name}", field=name)
    if ended_on is not None and ended_on < started_on:
        raise ValidationFailed("结束日期不能早于开始日期", field="ended_on")
    campaign = CounterfeitCampaign.objects.create(title=title.strip(), product_line=product_line.strip(),
                                                  market=(market or "").strip(), started_on=started_on,
                                                  ended_on=ended_on, unit=_actor_unit(actor))
    audit.record(actor=actor, action="monitoring.counterfeit.created", obj=campaign, unit=campaign.unit,
                 changes={"title": [None, campaign.title], "product_line": [None, campaign.product_line]})
    return campaign


@transaction.atomic
def counterfeit_link(*, actor, campaign: CounterfeitCampaign, kind: str, record) -> bool:
    """Link an inspection task, a failed sample or a case to the campaign. A sample must have failed (不合格);
    the record must be one the actor may see (the caller resolves it through the app's scoped selector). Linking
    twice changes nothing (returns False)."""
    from jianguan.sampling.models import Sample

    if kind not in LINK_KINDS:
        raise ValidationFailed(f"关联类型“{kind}”无效", field="kind")
    if kind == "sample" and record.status not in (Sample.Status.UNQUALIFIED, Sample.Status.CLOSED):
        raise ValidationFailed(f"样品 {record.number} 不是不合格样品，不能作为假冒伪劣线索关联", field="record")
    manager = {"task": campaign.tasks, "sample": campaign.samples, "case": campaign.cases}[kind]
    if manager.filter(pk=record.pk).exists():
        return False
    manager.add(record)
    audit.record(actor=actor, action=f"monitoring.counterfeit.{kind}_linked", obj=campaign, unit=campaign.unit,
                 changes={kind: [None, record.pk]})
    return True


@transaction.atomic
def goods_seize(*, actor, campaign: CounterfeitCampaign, description: str, quantity: Decimal, measure: str,
                seized_on: dt.date, value: Decimal = Decimal("0"), case=None) -> SeizedGoods:
    if not (description or "").strip():
        raise ValidationFailed("请填写物品名称", field="description")
    if quantity is None or quantity <= 0:
        raise ValidationFailed("数量应大于 0", field="quantity")
    if not (measure or "").strip():
        raise ValidationFailed("请填写计量单位（件、箱、千克…）", field="measure")
    if seized_on < campaign.started_on:
        raise ValidationFailed("查扣日期早于行动开始日期", field="seized_on")
    if case is not None and not campaign.cases.filter(pk=case.pk).exists():
        raise ValidationFailed(f"案件 {case.number} 未关联到本行动，请先关联案件", field="case")
    goods = SeizedGoods.objects.create(campaign=campaign, description=description.strip(), quantity=quantity,
                                       measure=measure.strip(), value=value or 0, seized_on=seized_on, case=case,
                                       unit=case.unit if case is not None else campaign.unit)
    audit.record(actor=actor, action="monitoring.counterfeit.goods_seized", obj=goods, unit=goods.unit,
                 changes={"quantity": [None, str(quantity)], "value": [None, str(goods.value)]})
    return goods


@transaction.atomic
def goods_destroy(*, actor, goods: SeizedGoods, destroyed_on: dt.date, how: str, witnesses: str) -> SeizedGoods:
    """Record the destruction of seized goods (how and where, who witnessed). Once only: a repeat of the same record
    is a no-op, a different one is refused."""
    goods = SeizedGoods.objects.select_for_update().get(pk=goods.pk)
    how, witnesses = (how or "").strip(), (witnesses or "").strip()
    if goods.destroyed_on:
        if (goods.destroyed_on, goods.destroyed_how, goods.witnesses) == (destroyed_on, how, witnesses):
            return goods
        raise ValidationFailed(f"该批物品已于 {goods.destroyed_on:%Y-%m-%d} 销毁", field="destroyed_on")
    if destroyed_on < goods.seized_on:
        raise ValidationFailed("销毁日期早于查扣日期", field="destroyed_on")
    if not how:
        raise ValidationFailed("请填写销毁方式和地点", field="how")
    if len([w for w in witnesses.replace("，", "、").replace(",", "、").split("、") if w.strip()]) < 2:
        raise ValidationFailed("监销人员至少两人（以“、”分隔）", field="witnesses")
    goods.destroyed_on, goods.destroyed_how, goods.witnesses = destroyed_on, how, witnesses
    goods.save(update_fields=["destroyed_on", "destroyed_how", "witnesses"])
    audit.record(actor=actor, action="monitoring.counterfeit.goods_destroyed", obj=goods, unit=goods.unit,
                 changes={"destroyed_on": [None, destroyed_on.isoformat()], "how": [None, how]})
    return goods


# --- online monitoring rounds (by plan or by the verifiable draw) ------------------------------------------------------


def _round_lock(rnd: MonitoringRound) -> MonitoringRound:
    return MonitoringRound.objects.select_for_update().get(pk=rnd.pk)


@transaction.atomic
def round_create(*, actor, code: str, title: str, method: str, shops: list[OnlineShop] | None = None,
                 quota: int = 0, platform: str = "") -> MonitoringRound:
    """A monitoring round. By plan: the shops are named now and the round is ready. By draw: ``quota`` shops (of
    ``platform``, or any) will be drawn from the register in the organiser's scope — freeze, then draw."""
    code, title = (code or "").strip(), (title or "").strip()
    if not code or not title:
        raise ValidationFailed("请填写轮次编号和名称", field="code" if not code else "title")
    if MonitoringRound.objects.filter(code=code).exists():
        raise ValidationFailed(f"轮次编号 {code} 已存在", field="code")
    if method not in RoundMethod.values:
        raise ValidationFailed("确定对象方式应为 按计划指定 或 可验证随机抽取", field="method")
    if platform and platform not in Platform.values:
        raise ValidationFailed(f"平台“{platform}”无效", field="platform")
    unit = _actor_unit(actor)
    if method == RoundMethod.PLAN:
        shops = list(dict.fromkeys(shops or []))
        if not shops:
            raise ValidationFailed("按计划指定的轮次须列出要监测的网店", field="shops")
        for shop in shops:
            _in_scope(actor, shop.entity, field="shops")
        rnd = MonitoringRound.objects.create(code=code, title=title, method=method, status=RoundStatus.READY,
                                             unit=unit, quota=len(shops))
        RoundShop.objects.bulk_create([RoundShop(round=rnd, shop=s) for s in shops])
    else:
        if quota <= 0:
            raise ValidationFailed("抽取店铺数应大于 0", field="quota")
        rnd = MonitoringRound.objects.create(code=code, title=title, method=method, status=RoundStatus.DRAFT,
                                             unit=unit, quota=quota, platform=platform)
    audit.record(actor=actor, action="monitoring.round.created", obj=rnd, unit=unit,
                 changes={"method": [None, method], "quota": [None, rnd.quota]})
    return rnd


def round_candidates(actor, rnd: MonitoringRound) -> list[dict]:
    """The shops the draw chooses from: the register within the organiser's scope (of the round's platform)."""
    from jianguan.core.scope import scope_filter

    qs = scope_filter(OnlineShop.objects.all(), actor)
    if rnd.platform:
        qs = qs.filter(platform=rnd.platform)
    return [{"id": url, "unit": rnd.unit.code} for url in qs.order_by("id").values_list("url", flat=True)]


@transaction.atomic
def round_freeze(*, actor, rnd: MonitoringRound, beacon: str) -> MonitoringRound:
    """Freeze the list of shops and publish its commitment, naming the public randomness to come."""
    from jianguan.inspections import draw

    rnd = _round_lock(rnd)
    if rnd.method != RoundMethod.DRAW or rnd.status != RoundStatus.DRAFT:
        raise TransitionNotAllowed(f"轮次 {rnd.code} 不是待冻结名单的抽取轮次")
    beacon = (beacon or "").strip()
    if not beacon:
        raise ValidationFailed("请写明将采用的公开随机源（如：福利彩票3D 第N期开奖号码）", field="beacon")
    pool = round_candidates(actor, rnd)
    if rnd.quota > len(pool):
        raise ValidationFailed(f"抽取店铺数 {rnd.quota} 超过网店台账中可抽取的 {len(pool)} 家", field="quota")
    manifest = {"algorithm": draw.ALGORITHM, "plan": rnd.code, "batch": "1", "beacon": beacon, "team_size": 1,
                "max_tasks": rnd.quota + 1, "strata": [{"name": rnd.unit.code, "quota": rnd.quota, "candidates": pool}],
                "inspectors": [{"id": str(actor.pk), "unit": rnd.unit.code}], "conflicts": []}
    problems = draw.validate_manifest(manifest)
    if problems:
        raise ValidationFailed("抽取清单不符合规范：" + "；".join(problems[:5]))
    canonical = draw.canonical_manifest(manifest)
    rnd.beacon, rnd.manifest = beacon, canonical.decode()
    rnd.commitment = hashlib.sha256(canonical).hexdigest()
    rnd.status, rnd.frozen_at = RoundStatus.COMMITTED, timezone.now()
    rnd.save(update_fields=["beacon", "manifest", "commitment", "status", "frozen_at"])
    audit.record(actor=actor, action="monitoring.round.committed", obj=rnd, unit=rnd.unit,
                 changes={"commitment": [None, rnd.commitment], "candidates": [None, len(pool)]})
    return rnd


@transaction.atomic
def round_draw(*, actor, rnd: MonitoringRound, randomness: str) -> MonitoringRound:
    """Enter the published randomness and draw the shops (anyone can recompute the bundle with draw.py)."""
    import json

    from jianguan.inspections import draw

    rnd = _round_lock(rnd)
    if rnd.randomness:
        raise TransitionNotAllowed(f"轮次 {rnd.code} 已录入随机数「{rnd.randomness}」并完成抽取")
    if rnd.status != RoundStatus.COMMITTED:
        raise TransitionNotAllowed("须先冻结名单并公示承诺值，再录入随机数")
    randomness = (randomness or "").strip()
    if not randomness:
        raise ValidationFailed("请录入随机源公布的值", field="randomness")
    bundle = draw.compute(json.loads(rnd.manifest), randomness, published_commitment=rnd.commitment)
    text = draw.dump_bundle(bundle)
    rnd.randomness, rnd.bundle = randomness, text
    rnd.bundle_sha256 = hashlib.sha256(text.encode()).hexdigest()
    rnd.status, rnd.drawn_at = RoundStatus.READY, timezone.now()
    rnd.save(update_fields=["randomness", "bundle", "bundle_sha256", "status", "drawn_at"])
    shops = dict(OnlineShop.objects.filter(url__in=[s["id"] for s in bundle["selected"]]).values_list("url", "id"))
    RoundShop.objects.bulk_create([RoundShop(round=rnd, shop_id=shops[s["id"]], ticket=s["ticket"])
                                   for s in bundle["selected"]])
    audit.record(actor=actor, action="monitoring.round.drawn", obj=rnd, unit=rnd.unit,
                 changes={"randomness": [None, randomness], "bundle_sha256": [None, rnd.bundle_sha256],
                          "shops": [None, len(bundle["selected"])]})
    return rnd


def round_capture(*, actor, rnd: MonitoringRound, shop: OnlineShop, problem: str, url: str = "") -> OnlineFinding:
    """Capture one shop of a ready round (a URL that cannot be fetched is recorded as such, never faked)."""
    if rnd.status != RoundStatus.READY:
        raise TransitionNotAllowed(f"轮次 {rnd.code} 尚未确定监测对象")
    if not RoundShop.objects.filter(round=rnd, shop=shop).exists():
        raise ValidationFailed(f"{shop.shop_name} 不是本轮次的监测对象", field="shop")
    return finding_capture(actor=actor, shop=shop, problem=problem, url=url, round=rnd)
