"""Workbench of drug supervision: campaigns (a campaign creates its tagged double-random plan) and an adverse-event
report's page with its review clock. Objects, the focus list and the reports themselves are registers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.errors import DomainError
from jianguan.core.models import OrgUnit
from jianguan.core.scope import scoped_units

from . import forms, selectors, services
from .models import CampaignKind, EventStatus

view_perm = permission_required("drugs.view_supervisedobject", raise_exception=True)


def _plan_units(user):
    return list(scoped_units(user).filter(kind__in=(OrgUnit.Kind.CITY, OrgUnit.Kind.DISTRICT)).order_by("path"))


@login_required
@view_perm
def campaigns(request):
    can_manage = request.user.has_perm("drugs.manage_object") and request.user.has_perm("inspections.manage_plans")
    units = _plan_units(request.user)
    form = forms.CampaignForm(units=units)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = forms.CampaignForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            unit = next(u for u in units if u.pk == data["unit"])
            try:
                campaign = services.campaign_create(actor=request.user, kind=data["kind"], year=data["year"],
                                                    unit=unit, title=data["title"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已建立{campaign}，抽查计划 {campaign.plan.code}")
                return redirect("inspections:plan_detail", code=campaign.plan.code)
    rows = selectors.campaigns_for(request.user).prefetch_related("plan__items")
    kind, year = request.GET.get("kind", ""), request.GET.get("year", "").strip()
    if kind in CampaignKind.values:
        rows = rows.filter(kind=kind)
    if year.isdigit():
        rows = rows.filter(year=int(year))
    if lists.wants_export(request):
        return lists.export(request, selectors.CAMPAIGN_LIST, rows, filters={"kind": kind, "year": year})
    listing = lists.show(request, selectors.CAMPAIGN_LIST, rows)
    return render(request, "drugs/campaigns.html", {
        "page": listing.page, "listing": listing, "kind": kind, "year": year, "kinds": CampaignKind.choices,
        "export_allowed": request.user.has_perm(selectors.CAMPAIGN_LIST.export_permission),
        "form": form, "can_manage": can_manage})


@login_required
@view_perm
def event_detail(request, pk: int):
    event = selectors.event_for(request.user, pk)
    can_handle = request.user.has_perm("drugs.handle_event")
    form = forms.AssessForm()
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied
        form = forms.AssessForm(request.POST)
        if form.is_valid():
            try:
                services.event_assess(actor=request.user, event=event, assessment=form.cleaned_data["assessment"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"报告 {event.number} 已完成审核评价")
                return redirect("drugs:event", pk=event.pk)
    today = timezone.localdate()
    late = event.status == EventStatus.ROUTED and today > event.review_due or (
        event.assessed_on is not None and event.assessed_on > event.review_due)
    return render(request, "drugs/event.html", {"event": event, "form": form, "can_handle": can_handle,
                                                "late": late})
