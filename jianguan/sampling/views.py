"""Workbench pages of the sampling flow: plans (create, freeze, draw, publish), a sample's page with every step of
its record, results and follow-up, and the follow-up list. Reads through ``selectors``, writes through
``services``; a refusal is shown as the service's message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import lists
from jianguan.core.errors import DomainError
from jianguan.core.models import OrgUnit

from . import forms, selectors, services
from .models import Plan, Sample, Standard

view_perm = permission_required("sampling.view_plan", raise_exception=True)
manage_perm = permission_required("sampling.manage_plan", raise_exception=True)
record_perm = permission_required("sampling.record_sample", raise_exception=True)


@login_required
@view_perm
def plan_list(request):
    standards = list(Standard.objects.select_related("category").order_by("category__code", "code"))
    districts = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code"))
    form = forms.PlanForm(request.POST or None, standards=standards, districts=districts,
                          initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not request.user.has_perm("sampling.manage_plan"):
            return HttpResponse(status=403)
        if form.is_valid():
            standard = next(s for s in standards if str(s.pk) == form.cleaned_data["standard"])
            try:
                plan = services.plan_create(
                    actor=request.user, sector=standard.category.sector, year=form.cleaned_data["year"],
                    code=form.cleaned_data["code"], title=form.cleaned_data["title"], category=standard.category,
                    standard=standard, unit=request.user.profile.unit, quotas=form.quotas())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("sampling:plan", code=plan.code)
    from django.db.models import Q

    from jianguan.core import lists

    from .sectors import SECTORS

    qs = selectors.plans(request.user)
    year = request.GET.get("year", "").strip()
    if year.isdigit() and len(year) == 4:
        qs = qs.filter(year=int(year))
    else:
        year = ""
    status = request.GET.get("status", "")
    if status in Plan.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    sector = request.GET.get("sector", "")
    if sector in SECTORS:
        qs = qs.filter(sector=sector)
    else:
        sector = ""
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(code__contains=q) | Q(title__contains=q) | Q(category__name__contains=q))
    filters = {"year": year, "status": status, "sector": sector, "q": q}
    if lists.wants_export(request):
        return lists.export(request, selectors.PLAN_LIST, qs, filters=filters)
    listing = lists.show(request, selectors.PLAN_LIST, qs)
    return render(request, "sampling/plans.html", {
        "page": listing.page, "listing": listing, "form": form, **filters, "statuses": Plan.Status.choices,
        "sectors": [(code, s.label) for code, s in SECTORS.items()],
        "export_allowed": request.user.has_perm(selectors.PLAN_LIST.export_permission)})


def _plan(code: str) -> Plan:
    plan = Plan.objects.select_related("category", "standard", "unit").defer("manifest", "bundle").filter(
        code=code).first()
    if plan is None:
        raise Http404
    return plan


@login_required
@view_perm
def plan_detail(request, code: str):
    plan = _plan(code)
    qs = selectors.samples(request.user).filter(plan=plan).order_by("number")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "sampling/plan.html", {
        "plan": plan, "items": list(plan.standard.items.all()), "quotas": list(plan.quotas.select_related("district")),
        "page": page, "can_manage": request.user.has_perm("sampling.manage_plan")})


@login_required
@manage_perm
@require_POST
def plan_action(request, code: str, action: str):
    plan = _plan(code)
    try:
        if action == "freeze":
            services.plan_freeze(actor=request.user, plan=plan, beacon=request.POST.get("beacon", ""))
            messages.success(request, "抽取名单已冻结，承诺值已公示。")
        elif action == "draw":
            services.plan_draw(actor=request.user, plan=plan, randomness=request.POST.get("randomness", ""))
            messages.success(request, "已完成抽取，抽样任务已生成。")
        elif action == "publish":
            services.plan_publish(actor=request.user, plan=plan)
            messages.success(request, "抽查结果已公布。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("sampling:plan", code=code)


@login_required
@view_perm
def sample_detail(request, pk: int):
    sample = selectors.sample_for(request.user, pk)
    today = timezone.localdate()
    return render(request, "sampling/sample.html", {
        "sample": sample, "today": today, "items": list(sample.plan.standard.items.all()),
        "results": list(sample.results.select_related("item")), "custody": list(sample.custody.all()),
        "resamples": list(sample.resamples.all()),
        "can_record": request.user.has_perm("sampling.record_sample"),
        "sample_form": forms.SampleForm(initial={"sampled_on": today, "sampler_signed": True}),
        "custody_form": forms.CustodyForm(initial={"on": today, "seal_intact": True}),
        "lab_form": forms.LabForm(initial={"tested_on": today}), "date_form": forms.DateForm(initial={"on": today})})


@login_required
@view_perm
def sample_photo(request, pk: int):
    """The sampling photo, only to staff whose scope covers the sample (never a public media URL)."""
    from django.http import FileResponse

    from jianguan.core import uploads

    sample = selectors.sample_for(request.user, pk)
    if not sample.photo:
        raise Http404("没有现场照片")
    handle = sample.photo.open("rb")
    kind = uploads.image_kind(handle.read(16))
    handle.seek(0)
    if kind is None:  # a file stored before the content check: never served as anything a browser would run
        handle.close()
        raise Http404("照片不可用")
    response = FileResponse(handle, content_type=uploads.IMAGE_TYPES[kind][3])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


def _values(request, items) -> list[dict]:
    return [{"item": i.pk, "value": request.POST.get(f"value_{i.pk}", ""), "unit": request.POST.get(f"unit_{i.pk}", "")}
            for i in items]


@login_required
@record_perm
@require_POST
def sample_action(request, pk: int, action: str):
    sample = selectors.sample_for(request.user, pk)
    user = request.user
    try:
        if action == "record":
            form = forms.SampleForm(request.POST, request.FILES)
            if not form.is_valid():
                raise DomainError("抽样记录有误：" + "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()))
            services.sample_record(actor=user, sample=sample, **form.cleaned_data)
            done = "抽样记录已保存。"
        elif action == "custody":
            form = forms.CustodyForm(request.POST)
            if not form.is_valid():
                raise DomainError("请完整填写流转日期、移交方和接收方")
            services.custody_add(actor=user, sample=sample, **form.cleaned_data)
            done = "样品流转已登记。"
        elif action in ("result", "retest"):
            form = forms.LabForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写检验机构、报告编号和检验完成日期")
            fn = services.result_record if action == "result" else services.retest_record
            sample = fn(actor=user, sample=sample, values=_values(request, sample.plan.standard.items.all()),
                        **form.cleaned_data)
            done = f"检验结论：{sample.get_status_display()}（由各项目结果按标准计算）。"
        elif action in ("served", "objection", "rectified"):
            form = forms.DateForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写日期")
            on = form.cleaned_data["on"]
            if action == "served":
                services.result_served(actor=user, sample=sample, served_on=on)
                done = "已登记送达，异议期和整改期限已开始计算。"
            elif action == "objection":
                services.objection_file(actor=user, sample=sample, on=on)
                done = "已受理复检申请。"
            else:
                services.rectification_done(actor=user, sample=sample, on=on)
                done = "已登记整改完成。"
        elif action == "resample":
            new = services.resample(actor=user, sample=sample)
            messages.success(request, f"已生成复查抽检样品 {new.number}。")
            return redirect("sampling:sample", pk=new.pk)
        elif action == "lead":
            lead_id = services.lead_open(actor=user, sample=sample)
            done = f"已移送执法线索（线索 {lead_id}）。"
        elif action == "close":
            services.sample_close(actor=user, sample=sample)
            done = "不合格后处理已办结。"
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("sampling:sample", pk=pk)


@login_required
@view_perm
def sample_list(request):
    """Every sample in scope across plans: filters, total, sorting, export of exactly the filtered list."""
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in Sample.Status.values else ""
    plan = request.GET.get("plan", "").strip()[:40]
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and len(year) == 4 else None
    qs = selectors.sample_search(request.user, q=q, status=status, plan=plan, year=year)
    spec = selectors.SAMPLE_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"q": q, "status": status, "plan": plan, "year": year})
    listing = lists.show(request, spec, qs)
    years = sorted(set(Plan.objects.values_list("year", flat=True)), reverse=True)
    return render(request, "sampling/samples.html", {
        "page": listing.page, "listing": listing, "q": q, "status": status, "plan": plan, "year": year,
        "years": years, "statuses": Sample.Status.choices,
        "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@view_perm
def followup(request):
    qs = selectors.followup_due(request.user, today=timezone.localdate())
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(entity__name__contains=q) | Q(product_name__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.FOLLOWUP_LIST, qs, filters={"q": q})
    listing = lists.show(request, selectors.FOLLOWUP_LIST, qs)
    return render(request, "sampling/followup.html", {
        "page": listing.page, "listing": listing, "q": q, "today": timezone.localdate(),
        "export_allowed": request.user.has_perm(selectors.FOLLOWUP_LIST.export_permission)})


@login_required
@view_perm
def bundle(request, code: str):
    text = Plan.objects.filter(code=code).exclude(bundle="").values_list("bundle", flat=True).first()
    if text is None:
        raise Http404
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bundle-{code}.json"'
    return response
