"""Workbench pages of online trading monitoring beyond the registers: a finding's evidence, its files, the lead."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError

from . import selectors, services
from .registers import CAPTURE, CHECK_FEES, MANAGE_FAKES, MONITOR_ADS, VIEW, VIEW_ADS, VIEW_FAKES, VIEW_FEES


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


@login_required
def finding(request, pk: int):
    _need(request.user, VIEW)
    item = selectors.finding_for(request.user, pk)
    return render(request, "monitoring/finding.html", {
        "finding": item, "can_capture": request.user.has_perm(CAPTURE),
        "can_hand_over": request.user.has_perm(CAPTURE)})


@login_required
@require_POST
def finding_lead(request, pk: int):
    _need(request.user, CAPTURE)
    item = selectors.finding_for(request.user, pk)
    try:
        lead = services.finding_to_lead(actor=request.user, finding=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已移交执法线索 #{lead.pk}")
    return redirect("monitoring:finding", pk=item.pk)


@login_required
def finding_file(request, pk: int, kind: str):
    _need(request.user, VIEW)
    item = selectors.finding_for(request.user, pk)
    relative = {"html": item.html_file, "png": item.screenshot_file}.get(kind)
    if not relative:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=kind == "html", filename=path.name,
                            content_type="text/plain; charset=utf-8" if kind == "html" else "image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- advertising monitoring ------------------------------------------------------------------------------------------


def _year(request) -> int:
    from django.utils import timezone

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
def ad(request, pk: int):
    _need(request.user, VIEW_ADS)
    item = selectors.ad_for(request.user, pk)
    from . import adlaw

    return render(request, "monitoring/ad.html", {
        "ad": item, "category": adlaw.CATEGORIES.get(item.category), "article": item.article_obj,
        "can_hand_over": request.user.has_perm(MONITOR_ADS)})


@login_required
@require_POST
def ad_lead(request, pk: int):
    _need(request.user, MONITOR_ADS)
    item = selectors.ad_for(request.user, pk)
    try:
        lead = services.ad_to_lead(actor=request.user, ad=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已移交执法线索 #{lead.pk}")
    return redirect("monitoring:ad", pk=item.pk)


@login_required
def ad_statistics(request):
    _need(request.user, VIEW_ADS)
    year = _year(request)
    stats = selectors.ad_statistics(selectors.ads_for(request.user), year)
    return render(request, "monitoring/ad_statistics.html", {"stats": stats, "year": year,
                                                             "years": range(year - 2, year + 2)})


@login_required
def ad_statistics_export(request):
    _need(request.user, VIEW_ADS)
    from jianguan.core import audit

    from .exports import ad_statistics_xlsx

    year = _year(request)
    stats = selectors.ad_statistics(selectors.ads_for(request.user), year)
    data = ad_statistics_xlsx(stats)
    with transaction.atomic():
        audit.record(actor=request.user, action="monitoring.ad.statistics_exported",
                     object_type="monitoring.ad", object_repr=f"广告监测统计 {year}", changes={"year": [None, year]})
    return _xlsx(data, f"广告监测统计-{year}.xlsx")


@login_required
def ad_rules(request):
    _need(request.user, VIEW_ADS)
    from . import adlaw

    rows = [(c, [adlaw.ARTICLES[a] for a in c.articles]) for c in adlaw.CATEGORIES.values()]
    return render(request, "monitoring/ad_rules.html", {"rows": rows, "law": adlaw.LAW})


def _xlsx(data: bytes, filename: str):
    from django.http import HttpResponse

    from jianguan.core.registers import XLSX

    response = HttpResponse(data, content_type=XLSX)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- fee checks (涉企违规收费) -----------------------------------------------------------------------------------------


def _date(text: str, label: str):
    import datetime as dt

    from jianguan.core.errors import ValidationFailed

    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationFailed(f"{label}：日期格式应为 2026-03-02", field=label) from None


def _money(text: str, label: str):
    from decimal import Decimal, InvalidOperation

    from jianguan.core.errors import ValidationFailed

    try:
        value = Decimal((text or "").replace(",", "").strip())
    except InvalidOperation:
        raise ValidationFailed(f"{label}：应为金额（元），如 12800.00", field=label) from None
    if not value.is_finite():
        raise ValidationFailed(f"{label}：应为金额（元）", field=label)
    return value.quantize(Decimal("0.01"))


@login_required
def fee_campaigns(request):
    _need(request.user, VIEW_FEES)
    from django.utils import timezone

    from . import fees

    error = None
    if request.method == "POST":
        _need(request.user, CHECK_FEES)
        try:
            campaign = services.fee_campaign_create(
                actor=request.user, title=request.POST.get("title", ""),
                year=int(request.POST.get("year") or timezone.localdate().year),
                kinds=request.POST.getlist("kinds"), started_on=_date(request.POST.get("started_on"), "开始日期"),
                report_due=_date(request.POST.get("report_due"), "报送截止日期"))
        except (DomainError, ValueError) as exc:
            error = getattr(exc, "message", str(exc))
        else:
            messages.success(request, f"已建立专项行动“{campaign.title}”")
            return redirect("monitoring:fee_campaign", pk=campaign.pk)
    campaigns = selectors.fee_campaigns_for(request.user).annotate(n_checks=Count("checks", distinct=True))
    return render(request, "monitoring/fee_campaigns.html", {
        "campaigns": campaigns, "kinds": fees.KIND_CHOICES, "error": error, "form": request.POST,
        "can_check": request.user.has_perm(CHECK_FEES), "year": timezone.localdate().year},
        status=422 if error else 200)


@login_required
def fee_campaign(request, pk: int):
    _need(request.user, VIEW_FEES)
    from . import fees

    campaign = selectors.fee_campaign_for(request.user, pk)
    rows, total = selectors.fee_statistics(request.user, campaign)
    checks = (selectors.fee_checks_for(request.user).filter(campaign=campaign)
              .annotate(n_findings=Count("findings"), amount=Sum("findings__amount"),
                        refunded=Sum("findings__refunded")).order_by("kind", "body_name", "id"))
    labels = dict(fees.KIND_CHOICES)
    checks = list(checks)
    for c in checks:
        c.kind_label = labels.get(c.kind, c.kind)
    return render(request, "monitoring/fee_campaign.html", {
        "campaign": campaign, "rows": rows, "total": total, "checks": checks,
        "kinds": [(k, fees.KINDS[k].label) for k in campaign.kinds if k in fees.KINDS],
        "can_check": request.user.has_perm(CHECK_FEES)})


@login_required
def fee_campaign_export(request, pk: int):
    _need(request.user, VIEW_FEES)
    from jianguan.core import audit

    from .exports import fee_report_xlsx

    campaign = selectors.fee_campaign_for(request.user, pk)
    rows, total = selectors.fee_statistics(request.user, campaign)
    findings = (selectors.fee_findings_for(request.user).filter(fee_check__campaign=campaign)
                .order_by("fee_check__kind", "fee_check__body_name", "id"))
    data = fee_report_xlsx(campaign, rows, total, findings)
    with transaction.atomic():
        audit.record(actor=request.user, action="monitoring.fee_campaign.exported", obj=campaign,
                     changes={"rows": [None, len(rows)]})
    return _xlsx(data, f"{campaign.title}-统计表.xlsx")


@login_required
def fee_check_new(request, pk: int):
    _need(request.user, CHECK_FEES)
    from jianguan.core.registers import entity_by_code

    from . import fees

    campaign = selectors.fee_campaign_for(request.user, pk)
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in campaign.kinds or kind not in fees.KINDS:
        raise Http404
    spec = fees.KINDS[kind]
    error = None
    if request.method == "POST":
        try:
            uscc = request.POST.get("entity", "").strip()
            try:
                entity = entity_by_code(uscc) if uscc else None
            except ValueError as exc:
                raise services.ValidationFailed(f"统一社会信用代码：{exc}", field="entity") from None
            check = services.fee_check_record(
                actor=request.user, campaign=campaign, kind=kind, body_name=request.POST.get("body_name", ""),
                entity=entity, checked_on=_date(request.POST.get("checked_on"), "检查日期"),
                checklist={i.code: request.POST.get(i.code, "") for i in spec.items})
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"已记录对 {check.body_name} 的检查")
            return redirect("monitoring:fee_check", pk=check.pk)
    return render(request, "monitoring/fee_check_new.html", {
        "campaign": campaign, "spec": spec, "error": error, "form": request.POST},
        status=422 if error else 200)


@login_required
def fee_check(request, pk: int):
    _need(request.user, VIEW_FEES)
    from . import fees

    check = selectors.fee_check_for(request.user, pk)
    spec = fees.KINDS[check.kind]
    items = [(i, check.checklist.get(i.code)) for i in spec.items]
    findings = check.findings.prefetch_related("refunds").order_by("id")
    labels = {i.code: i.text for i in spec.items}
    return render(request, "monitoring/fee_check.html", {
        "check": check, "spec": spec, "items": items, "findings": findings, "labels": labels,
        "problem_items": [i for i, r in items if r == "problem"], "can_check": request.user.has_perm(CHECK_FEES)})


@login_required
@require_POST
def fee_finding_add(request, pk: int):
    _need(request.user, CHECK_FEES)
    check = selectors.fee_check_for(request.user, pk)
    try:
        services.fee_finding_record(actor=request.user, check=check, item=request.POST.get("item", ""),
                                    description=request.POST.get("description", ""),
                                    amount=_money(request.POST.get("amount"), "违规收费金额"),
                                    payers=int(request.POST.get("payers") or 0))
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, "涉及企业（家）应为整数")
    else:
        messages.success(request, "已记录违规收费问题")
    return redirect("monitoring:fee_check", pk=check.pk)


@login_required
@require_POST
def fee_refund(request, pk: int, action: str):
    _need(request.user, CHECK_FEES)
    from django.shortcuts import get_object_or_404

    finding = get_object_or_404(selectors.fee_findings_for(request.user), pk=pk)
    try:
        if action == "order":
            services.refund_order(actor=request.user, finding=finding,
                                  amount=_money(request.POST.get("amount"), "责令清退金额"),
                                  on=_date(request.POST.get("on"), "责令清退日期"))
            messages.success(request, "已责令清退")
        elif action == "confirm":
            services.refund_confirm(actor=request.user, finding=finding,
                                    amount=_money(request.POST.get("amount"), "清退金额"),
                                    refunded_on=_date(request.POST.get("on"), "清退日期"),
                                    proof=request.POST.get("proof", ""))
            messages.success(request, "已确认清退")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, f"问题 #{finding.pk}：{exc.message}")
    return redirect("monitoring:fee_check", pk=finding.fee_check_id)


# --- counterfeits (假冒伪劣) ------------------------------------------------------------------------------------------


@login_required
def counterfeits(request):
    _need(request.user, VIEW_FAKES)
    error = None
    if request.method == "POST":
        _need(request.user, MANAGE_FAKES)
        try:
            ended = request.POST.get("ended_on", "").strip()
            campaign = services.counterfeit_campaign_create(
                actor=request.user, title=request.POST.get("title", ""),
                product_line=request.POST.get("product_line", ""), market=request.POST.get("market", ""),
                started_on=_date(request.POST.get("started_on"), "开始日期"),
                ended_on=_date(ended, "结束日期") if ended else None)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"已建立行动“{campaign.title}”")
            return redirect("monitoring:counterfeit", pk=campaign.pk)
    campaigns = selectors.counterfeit_campaigns_for(request.user).annotate(
        n_cases=Count("cases", distinct=True), n_goods=Count("goods", distinct=True))
    return render(request, "monitoring/counterfeits.html", {
        "campaigns": campaigns, "error": error, "form": request.POST,
        "can_manage": request.user.has_perm(MANAGE_FAKES)}, status=422 if error else 200)


def _counterfeit_context(request, campaign):
    return {"campaign": campaign, "figures": selectors.counterfeit_figures(campaign),
            "tasks": campaign.tasks.select_related("entity").order_by("id"),
            "samples": campaign.samples.select_related("entity").order_by("id"),
            "cases": campaign.cases.select_related("entity").order_by("id"),
            "goods": campaign.goods.select_related("case").order_by("seized_on", "id"),
            "can_manage": request.user.has_perm(MANAGE_FAKES)}


@login_required
def counterfeit(request, pk: int):
    _need(request.user, VIEW_FAKES)
    campaign = selectors.counterfeit_campaign_for(request.user, pk)
    return render(request, "monitoring/counterfeit.html", _counterfeit_context(request, campaign))


def _linkable(user, kind: str, ref: str):
    """The task (by id), sample (by number) or case (by number) named ``ref``, through its app's scoped selector."""
    from jianguan.core.errors import ValidationFailed
    from jianguan.enforcement import selectors as enforcement
    from jianguan.inspections import queries as inspections
    from jianguan.sampling import selectors as sampling

    ref = (ref or "").strip()
    if kind == "task":
        found = inspections.tasks_for(user).filter(pk=int(ref)).first() if ref.isdigit() else None
        label = f"检查任务 #{ref}"
    elif kind == "sample":
        found = sampling.samples(user).filter(number=ref).first()
        label = f"样品编号 {ref}"
    elif kind == "case":
        found = enforcement.cases_for(user).filter(number=ref).first()
        label = f"立案编号 {ref}"
    else:
        raise Http404
    if found is None:
        raise ValidationFailed(f"未找到{label}（或不在您的监管范围内）", field="ref")
    return found


@login_required
@require_POST
def counterfeit_link(request, pk: int):
    _need(request.user, MANAGE_FAKES)
    campaign = selectors.counterfeit_campaign_for(request.user, pk)
    kind = request.POST.get("kind", "")
    try:
        record = _linkable(request.user, kind, request.POST.get("ref", ""))
        added = services.counterfeit_link(actor=request.user, campaign=campaign, kind=kind, record=record)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已关联" if added else "此前已关联，未重复添加")
    return redirect("monitoring:counterfeit", pk=campaign.pk)


@login_required
@require_POST
def counterfeit_seize(request, pk: int):
    _need(request.user, MANAGE_FAKES)
    campaign = selectors.counterfeit_campaign_for(request.user, pk)
    try:
        number = request.POST.get("case", "").strip()
        case = _linkable(request.user, "case", number) if number else None
        services.goods_seize(actor=request.user, campaign=campaign, description=request.POST.get("description", ""),
                             quantity=_money(request.POST.get("quantity"), "数量"),
                             measure=request.POST.get("measure", ""),
                             value=_money(request.POST.get("value") or "0", "货值金额"),
                             seized_on=_date(request.POST.get("seized_on"), "查扣日期"), case=case)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记查扣物品")
    return redirect("monitoring:counterfeit", pk=campaign.pk)


@login_required
@require_POST
def counterfeit_destroy(request, pk: int):
    _need(request.user, MANAGE_FAKES)
    from django.shortcuts import get_object_or_404

    from .models import SeizedGoods

    goods = get_object_or_404(SeizedGoods.objects.filter(
        campaign__in=selectors.counterfeit_campaigns_for(request.user)), pk=pk)
    try:
        services.goods_destroy(actor=request.user, goods=goods,
                               destroyed_on=_date(request.POST.get("destroyed_on"), "销毁日期"),
                               how=request.POST.get("how", ""), witnesses=request.POST.get("witnesses", ""))
    except DomainError as exc:
        messages.error(request, f"{goods.description}：{exc.message}")
    else:
        messages.success(request, f"已登记销毁：{goods.description}")
    return redirect("monitoring:counterfeit", pk=goods.campaign_id)


@login_required
def counterfeit_export(request, pk: int):
    _need(request.user, VIEW_FAKES)
    from jianguan.core import audit

    from .exports import counterfeit_xlsx

    campaign = selectors.counterfeit_campaign_for(request.user, pk)
    data = counterfeit_xlsx(_counterfeit_context(request, campaign))
    with transaction.atomic():
        audit.record(actor=request.user, action="monitoring.counterfeit.exported", obj=campaign)
    return _xlsx(data, f"{campaign.title}.xlsx")


# --- monitoring rounds -------------------------------------------------------------------------------------------------


@login_required
def rounds(request):
    _need(request.user, VIEW)
    from .models import Platform, RoundMethod

    error = None
    if request.method == "POST":
        _need(request.user, CAPTURE)
        try:
            method = request.POST.get("method", "")
            urls = [u.strip() for u in request.POST.get("shops", "").splitlines() if u.strip()]
            shops = list(selectors.shops_for(request.user).filter(url__in=urls))
            unknown = sorted(set(urls) - {s.url for s in shops})
            if method == RoundMethod.PLAN and unknown:
                raise services.ValidationFailed("以下网址不在您辖区的网店台账中：" + "、".join(unknown), field="shops")
            quota = request.POST.get("quota", "0").strip() or "0"
            if not quota.isdigit():
                raise services.ValidationFailed("抽取店铺数应为整数", field="quota")
            rnd = services.round_create(actor=request.user, code=request.POST.get("code", ""),
                                        title=request.POST.get("title", ""), method=method, shops=shops,
                                        quota=int(quota), platform=request.POST.get("platform", ""))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"已建立监测轮次 {rnd.code}")
            return redirect("monitoring:round", pk=rnd.pk)
    items = selectors.rounds_for(request.user).annotate(n=Count("targets", distinct=True),
                                                        captured=Count("findings", distinct=True))
    return render(request, "monitoring/rounds.html", {
        "rounds": items, "error": error, "form": request.POST, "platforms": Platform.choices,
        "methods": RoundMethod.choices, "can_capture": request.user.has_perm(CAPTURE)}, status=422 if error else 200)


@login_required
def round_detail(request, pk: int):
    _need(request.user, VIEW)
    rnd = selectors.round_for(request.user, pk)
    return render(request, "monitoring/round.html", {
        "round": rnd, "targets": selectors.round_targets(rnd), "can_capture": request.user.has_perm(CAPTURE)})


@login_required
@require_POST
def round_step(request, pk: int, step: str):
    _need(request.user, CAPTURE)
    rnd = selectors.round_for(request.user, pk)
    try:
        if step == "freeze":
            services.round_freeze(actor=request.user, rnd=rnd, beacon=request.POST.get("beacon", ""))
            messages.success(request, "已冻结名单并生成承诺值，请公示承诺值后等待随机源开奖")
        elif step == "draw":
            services.round_draw(actor=request.user, rnd=rnd, randomness=request.POST.get("randomness", ""))
            messages.success(request, "已完成抽取")
        elif step == "capture":
            from django.shortcuts import get_object_or_404

            shop = get_object_or_404(selectors.shops_for(request.user), pk=request.POST.get("shop") or 0)
            finding = services.round_capture(actor=request.user, rnd=rnd, shop=shop,
                                             problem=request.POST.get("problem", ""),
                                             url=request.POST.get("url", ""))
            if finding.status == "captured":
                messages.success(request, f"{shop.shop_name}：已取证")
            else:
                messages.warning(request, f"{shop.shop_name}：{finding.get_status_display()}，{finding.failure}")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("monitoring:round", pk=rnd.pk)


@login_required
def round_bundle(request, pk: int):
    _need(request.user, VIEW)
    from django.http import HttpResponse

    rnd = selectors.round_for(request.user, pk)
    text = rnd.bundle or rnd.manifest
    if not text:
        raise Http404
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    name = "bundle" if rnd.bundle else "manifest"
    response["Content-Disposition"] = f'attachment; filename="{rnd.code}-{name}.json"'
    return response
