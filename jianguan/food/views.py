"""Workbench of food safety supervision. The 三小 registrations are a register (``registers.py``); their own page
holds renewal (延续) and cancellation (注销)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.rules import rule

from . import forms, selectors, services
from .registers import MANAGE, VIEW


@login_required
@permission_required(VIEW, raise_exception=True)
def small_detail(request, pk: int):
    reg = selectors.small_for(request.user, pk)
    today = timezone.localdate()
    window = int(rule("food.small_renewal_window_days", on=today))
    return render(request, "food/small.html", {
        "reg": reg, "can_manage": request.user.has_perm(MANAGE), "today": today,
        "renew_form": forms.RenewForm(initial={"expected_until": reg.valid_until}),
        "renew_opens": reg.valid_until - timezone.timedelta(days=window),
        "cancel_form": forms.CancelForm()})


def _act(request, pk: int, action):
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    reg = selectors.small_for(request.user, pk)
    try:
        action(reg)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("food:small", pk=reg.pk)


@login_required
@require_POST
def small_renew(request, pk: int):
    form = forms.RenewForm(request.POST)

    def go(reg):
        if not form.is_valid():
            raise DomainError("延续申请缺少当前有效期，请刷新页面后重试")
        reg = services.small_renew(actor=request.user, registration=reg,
                                   expected_until=form.cleaned_data["expected_until"], today=timezone.localdate())
        messages.success(request, f"{reg.number} 已延续至 {reg.valid_until:%Y年%m月%d日}")

    return _act(request, pk, go)


@login_required
@require_POST
def small_cancel(request, pk: int):
    form = forms.CancelForm(request.POST)

    def go(reg):
        if not form.is_valid():
            raise DomainError("请填写注销原因")
        services.small_cancel(actor=request.user, registration=reg, reason=form.cleaned_data["reason"],
                              on=timezone.localdate())
        messages.success(request, f"{reg.number} 已注销")

    return _act(request, pk, go)


# --- catering grading ---------------------------------------------------------------------------------------------

GRADE_VIEW = "food.view_gradinginspection"
GRADE = "food.grade_catering"


@login_required
@permission_required(GRADE_VIEW, raise_exception=True)
def gradings(request):
    from django.core.paginator import Paginator

    qs = selectors.gradings_for(request.user).order_by("-inspected_on", "-id")
    grade = request.GET.get("grade") or ""
    if grade in ("excellent", "good", "fair"):
        qs = qs.filter(grade=grade)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "food/gradings.html", {"page": page, "grade": grade,
                                                  "counts": selectors.grade_counts(request.user),
                                                  "can_grade": request.user.has_perm(GRADE)})


@login_required
@permission_required(GRADE, raise_exception=True)
def grading_new(request):
    from jianguan.registry.models import Entity

    today = timezone.localdate()
    checklist = rule("food.grading_checklist", on=today)
    form = forms.GradingForm(request.POST or None, checklist=checklist,
                             initial={"inspected_on": today, "entity": request.GET.get("entity", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entity = Entity.objects.filter(uscc=data["entity"].strip().upper()).first()
        if entity is None:
            form.add_error("entity", f"统一社会信用代码 {data['entity']} 未在市场主体名录中")
        else:
            try:
                insp = services.grading_record(actor=request.user, entity=entity, inspected_on=data["inspected_on"],
                                               answers=form.answers(), note=data["note"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已评定：{insp.get_grade_display()}（{insp.score} 分），已在门户公示")
                return redirect("food:grading", pk=insp.pk)
    return render(request, "food/grading_new.html", {"form": form})


@login_required
@permission_required(GRADE_VIEW, raise_exception=True)
def grading_detail(request, pk: int):
    insp = selectors.grading_for(request.user, pk)
    return render(request, "food/grading.html", {"insp": insp, "annual": selectors.annual_of(insp)})


# --- 明厨亮灶 / 示范店 ------------------------------------------------------------------------------------------------

REVIEW = "food.review_designation"


@login_required
@permission_required("food.view_designation", raise_exception=True)
def designations(request):
    from django.core.paginator import Paginator

    from jianguan.registry.models import Entity

    form = forms.DesignationApplyForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST":
        if not request.user.has_perm(REVIEW):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            entity = Entity.objects.filter(uscc=data["entity"].strip().upper()).first()
            if entity is None:
                form.add_error("entity", f"统一社会信用代码 {data['entity']} 未在市场主体名录中")
            else:
                try:
                    d = services.designation_apply(actor=request.user, entity=entity, kind=data["kind"],
                                                   applied_on=data["applied_on"])
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, "已登记申报，请评审")
                    return redirect("food:designation", pk=d.pk)
    page = Paginator(selectors.designations_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "food/designations.html", {"page": page, "form": form,
                                                      "can_review": request.user.has_perm(REVIEW)})


@login_required
@permission_required("food.view_designation", raise_exception=True)
def designation_detail(request, pk: int):
    d = selectors.designation_for(request.user, pk)
    criteria = rule("food.designation_criteria", on=timezone.localdate())[d.kind]
    form = forms.DesignationReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST":
        if not request.user.has_perm(REVIEW):
            raise PermissionDenied
        if form.is_valid():
            try:
                d = services.designation_review(actor=request.user, designation=d, met=form.met(),
                                                on=timezone.localdate(), note=form.cleaned_data["note"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"评审结果：{d.get_status_display()}")
                return redirect("food:designation", pk=d.pk)
    return render(request, "food/designation.html", {"d": d, "form": form,
                                                     "can_review": request.user.has_perm(REVIEW)})
