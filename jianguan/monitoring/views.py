"""Workbench pages of online trading monitoring beyond the registers: a finding's evidence, its files, the lead."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianguan.core import lists, registers
from jianguan.core.errors import DomainError, ValidationFailed
from jianguan.core.storage import encrypted_media

from . import selectors, services
from .registers import CAPTURE, CHECK_FEES, MANAGE_FAKES, MONITOR_ADS, VIEW, VIEW_ADS, VIEW_FAKES, VIEW_FEES


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _post_action(perm: str):
    """A workbench action: logged in, POST only, ``perm`` required (before anything is read)."""

    def decorate(view):
        @login_required
        @require_POST
        @wraps(view)
        def checked(request, *args, **kwargs):
            _need(request.user, perm)
            return view(request, *args, **kwargs)

        return checked

    return decorate


def _act(request, perform: Callable, done, to: str, pk: int, *, failed: str = ""):
    """Run ``perform()`` (a service call) and go back to the page ``to``/``pk``. A domain error is shown as the error
    message after ``failed`` (which names the record it concerns); otherwise ``done`` — a text, or a function of
    the result returning a text or ``(level, text)`` — is shown."""
    try:
        result = perform()
    except DomainError as exc:
        messages.error(request, failed + exc.message)
    else:
        shown = done(result) if callable(done) else done
        level, text = shown if isinstance(shown, tuple) else (messages.SUCCESS, shown)
        messages.add_message(request, level, text)
    return redirect(to, pk=pk)


@login_required
def finding(request, pk: int):
    _need(request.user, VIEW)
    item = selectors.finding_for(request.user, pk)
    # a withdrawn finding is not handed over (the service refuses it too): the reason in place of the button
    blocked = None if item.lead_id else registers.withdrawn_message(item, what=f"监测发现 #{item.pk}",
                                                                     doing="移交执法线索")
    can = request.user.has_perm(CAPTURE) and not blocked
    return render(request, "monitoring/finding.html", {"finding": item, "can_capture": can, "can_hand_over": can,
                                                       "blocked": blocked})


def _lead_done(lead) -> str:
    return f"已移交执法线索 #{lead.pk}"


@_post_action(CAPTURE)
def finding_lead(request, pk: int):
    item = selectors.finding_for(request.user, pk)
    return _act(request, lambda: services.finding_to_lead(actor=request.user, finding=item), _lead_done,
                "monitoring:finding", item.pk)


@login_required
def finding_file(request, pk: int, kind: str):
    """A finding's captured HTML (as an attachment, as text) or screenshot: the plaintext read through the
    encrypting storage — the bytes whose SHA-256 the finding records. A file that does not decrypt (a wrong or
    missing key, altered bytes, a file in clear) raises ``DecryptionError``, as the other download views do: an
    error, never the stored bytes. A file missing on disk is a 404."""
    _need(request.user, VIEW)
    item = selectors.finding_for(request.user, pk)
    name = {"html": item.html_file, "png": item.screenshot_file}.get(kind)
    if not name:
        raise Http404
    try:
        plain = encrypted_media().open(name)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(plain, as_attachment=kind == "html", filename=PurePosixPath(name).name,
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


@_post_action(MONITOR_ADS)
def ad_lead(request, pk: int):
    item = selectors.ad_for(request.user, pk)
    return _act(request, lambda: services.ad_to_lead(actor=request.user, ad=item), _lead_done, "monitoring:ad",
                item.pk)


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
    q, year = request.GET.get("q", "").strip()[:50], request.GET.get("year", "").strip()
    if q:
        campaigns = campaigns.filter(title__contains=q)
    if year.isdigit():
        campaigns = campaigns.filter(year=int(year))
    spec = selectors.FEE_CAMPAIGN_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, campaigns, filters={"q": q, "year": year})
    listing = lists.show(request, spec, campaigns)
    return render(request, "monitoring/fee_campaigns.html", {
        "page": listing.page, "listing": listing, "q": q, "year_filter": year,
        "export_allowed": request.user.has_perm(spec.export_permission),
        "kinds": fees.KIND_CHOICES, "error": error, "form": request.POST,
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
    findings = check.findings.select_related("lead").prefetch_related("refunds").order_by("id")
    labels = {i.code: i.text for i in spec.items}
    return render(request, "monitoring/fee_check.html", {
        "check": check, "spec": spec, "items": items, "findings": findings, "labels": labels,
        "problem_items": [i for i, r in items if r == "problem"], "can_check": request.user.has_perm(CHECK_FEES)})


def _count(text: str, message: str) -> int:
    try:
        return int(text or 0)
    except ValueError:
        raise ValidationFailed(message) from None


@_post_action(CHECK_FEES)
def fee_finding_add(request, pk: int):
    check = selectors.fee_check_for(request.user, pk)
    return _act(request, lambda: services.fee_finding_record(
        actor=request.user, check=check, item=request.POST.get("item", ""),
        description=request.POST.get("description", ""), amount=_money(request.POST.get("amount"), "违规收费金额"),
        payers=_count(request.POST.get("payers"), "涉及企业（家）应为整数")),
        "已记录违规收费问题", "monitoring:fee_check", check.pk)


def _fee_finding(request, pk: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(selectors.fee_findings_for(request.user), pk=pk)


@_post_action(CHECK_FEES)
def fee_refund(request, pk: int, action: str):
    finding = _fee_finding(request, pk)
    post = request.POST
    steps = {
        "order": (lambda: services.refund_order(actor=request.user, finding=finding,
                                                amount=_money(post.get("amount"), "责令清退金额"),
                                                on=_date(post.get("on"), "责令清退日期")), "已责令清退"),
        "confirm": (lambda: services.refund_confirm(actor=request.user, finding=finding,
                                                    amount=_money(post.get("amount"), "清退金额"),
                                                    refunded_on=_date(post.get("on"), "清退日期"),
                                                    proof=post.get("proof", "")), "已确认清退"),
    }
    if action not in steps:
        raise Http404
    perform, done = steps[action]
    return _act(request, perform, done, "monitoring:fee_check", finding.fee_check_id, failed=f"问题 #{finding.pk}：")


@_post_action(CHECK_FEES)
def fee_finding_lead(request, pk: int):
    finding = _fee_finding(request, pk)
    return _act(request, lambda: services.fee_finding_to_lead(actor=request.user, finding=finding), _lead_done,
                "monitoring:fee_check", finding.fee_check_id, failed=f"问题 #{finding.pk}：")


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
    q = request.GET.get("q", "").strip()[:50]
    if q:
        campaigns = campaigns.filter(Q(title__contains=q) | Q(product_line__contains=q) | Q(market__contains=q))
    spec = selectors.COUNTERFEIT_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, campaigns, filters={"q": q})
    listing = lists.show(request, spec, campaigns)
    return render(request, "monitoring/counterfeits.html", {
        "page": listing.page, "listing": listing, "q": q,
        "export_allowed": request.user.has_perm(spec.export_permission), "error": error, "form": request.POST,
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


@_post_action(MANAGE_FAKES)
def counterfeit_link(request, pk: int):
    campaign = selectors.counterfeit_campaign_for(request.user, pk)
    kind = request.POST.get("kind", "")

    def link():
        record = _linkable(request.user, kind, request.POST.get("ref", ""))
        return services.counterfeit_link(actor=request.user, campaign=campaign, kind=kind, record=record)

    return _act(request, link, lambda added: "已关联" if added else "此前已关联，未重复添加", "monitoring:counterfeit",
                campaign.pk)


@_post_action(MANAGE_FAKES)
def counterfeit_seize(request, pk: int):
    campaign = selectors.counterfeit_campaign_for(request.user, pk)
    post = request.POST

    def seize():
        number = post.get("case", "").strip()
        case = _linkable(request.user, "case", number) if number else None
        return services.goods_seize(actor=request.user, campaign=campaign, description=post.get("description", ""),
                                    quantity=_money(post.get("quantity"), "数量"), measure=post.get("measure", ""),
                                    value=_money(post.get("value") or "0", "货值金额"),
                                    seized_on=_date(post.get("seized_on"), "查扣日期"), case=case)

    return _act(request, seize, "已登记查扣物品", "monitoring:counterfeit", campaign.pk)


@_post_action(MANAGE_FAKES)
def counterfeit_destroy(request, pk: int):
    from django.shortcuts import get_object_or_404

    from .models import SeizedGoods

    goods = get_object_or_404(SeizedGoods.objects.filter(
        campaign__in=selectors.counterfeit_campaigns_for(request.user)), pk=pk)
    return _act(request, lambda: services.goods_destroy(
        actor=request.user, goods=goods, destroyed_on=_date(request.POST.get("destroyed_on"), "销毁日期"),
        how=request.POST.get("how", ""), witnesses=request.POST.get("witnesses", "")),
        f"已登记销毁：{goods.description}", "monitoring:counterfeit", goods.campaign_id,
        failed=f"{goods.description}：")


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
    from .models import Platform, RoundMethod, RoundStatus

    error = None
    if request.method == "POST":
        _need(request.user, CAPTURE)
        try:
            method = request.POST.get("method", "")
            shops, unknown = selectors.shops_by_url(request.user, request.POST.get("shops", "").splitlines())
            if method == RoundMethod.PLAN and unknown:
                raise ValidationFailed("以下网址不在您辖区的网店台账中：" + "、".join(unknown), field="shops")
            quota = request.POST.get("quota", "0").strip() or "0"
            if not quota.isdigit():
                raise ValidationFailed("抽取店铺数应为整数", field="quota")
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
    q, status = request.GET.get("q", "").strip()[:50], request.GET.get("status", "")
    if q:
        items = items.filter(Q(code__contains=q) | Q(title__contains=q))
    if status in RoundStatus.values:
        items = items.filter(status=status)
    spec = selectors.ROUND_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, items, filters={"q": q, "status": status})
    listing = lists.show(request, spec, items)
    return render(request, "monitoring/rounds.html", {
        "page": listing.page, "listing": listing, "q": q, "status": status, "statuses": RoundStatus.choices,
        "export_allowed": request.user.has_perm(spec.export_permission),
        "error": error, "form": request.POST, "platforms": Platform.choices,
        "methods": RoundMethod.choices, "can_capture": request.user.has_perm(CAPTURE)}, status=422 if error else 200)


@login_required
def round_detail(request, pk: int):
    _need(request.user, VIEW)
    rnd = selectors.round_for(request.user, pk)
    return render(request, "monitoring/round.html", {
        "round": rnd, "targets": selectors.round_targets(rnd), "can_capture": request.user.has_perm(CAPTURE)})


def _captured(finding):
    shop = finding.shop.shop_name
    if finding.status == "captured":
        return f"{shop}：已取证"
    return messages.WARNING, f"{shop}：{finding.get_status_display()}，{finding.failure}"


@_post_action(CAPTURE)
def round_step(request, pk: int, step: str):
    rnd = selectors.round_for(request.user, pk)
    post = request.POST

    def capture():
        from django.shortcuts import get_object_or_404

        shop = get_object_or_404(selectors.shops_for(request.user), pk=post.get("shop") or 0)
        return services.round_capture(actor=request.user, rnd=rnd, shop=shop, problem=post.get("problem", ""),
                                      url=post.get("url", ""))

    steps = {
        "freeze": (lambda: services.round_freeze(actor=request.user, rnd=rnd, beacon=post.get("beacon", "")),
                   "已冻结名单并生成承诺值，请公示承诺值后等待随机源开奖"),
        "draw": (lambda: services.round_draw(actor=request.user, rnd=rnd, randomness=post.get("randomness", "")),
                 "已完成抽取"),
        "capture": (capture, _captured),
    }
    if step not in steps:
        raise Http404
    perform, done = steps[step]
    return _act(request, perform, done, "monitoring:round", rnd.pk)


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
