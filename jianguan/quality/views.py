"""Workbench of quality improvement: a visit's page (record the visit, follow up) and the coverage per park.
Registers come from ``core.registers`` (see ``urls.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone

from jianguan.core.errors import DomainError

from . import forms, selectors, services
from .models import VisitStatus

view_perm = permission_required("quality.view_park", raise_exception=True)


@login_required
@view_perm
def visit_detail(request, pk: int):
    visit = selectors.visit_for(request.user, pk)
    can = request.user.has_perm("quality.record_visits")
    record = forms.RecordForm(prefix="record", initial={"visited_on": timezone.localdate()})
    follow = forms.FollowUpForm(prefix="follow", initial={"followed_up_on": timezone.localdate()})
    if request.method == "POST":
        if not can:
            return render(request, "403.html", status=403)
        action = request.POST.get("action")
        form = forms.RecordForm(request.POST, prefix="record") if action == "record" else forms.FollowUpForm(
            request.POST, prefix="follow")
        if form.is_valid():
            try:
                if action == "record":
                    services.visit_record(actor=request.user, visit=visit, **form.cleaned_data)
                else:
                    services.visit_follow_up(actor=request.user, visit=visit, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已保存")
                return redirect("quality:visit", pk=visit.pk)
        if action == "record":
            record = form
        else:
            follow = form
    # a withdrawn visit (or park) offers no action (its services refuse them too): the reason in place of the forms
    blocked = services.visit_withdrawn(visit, "记录走访或回访") if visit.status != VisitStatus.CLOSED else None
    return render(request, "quality/visit.html", {
        "visit": visit, "can": can and not blocked, "blocked": blocked, "record": record if visit.status == VisitStatus.PLANNED else None,
        "follow": follow if visit.status == VisitStatus.VISITED else None})


@login_required
@view_perm
def coverage(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    return render(request, "quality/coverage.html", {"rows": selectors.coverage(request.user, year=year),
                                                     "year": year})
