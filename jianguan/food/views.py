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
