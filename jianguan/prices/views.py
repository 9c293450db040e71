"""Workbench of price monitoring: the alerts and an alert's page (the series as evidence, the lead). Outlets and
reports are registers. The public board and the outlet's own reporting are in ``public_views``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors

view_perm = permission_required("prices.view_outlet", raise_exception=True)


@login_required
@view_perm
def alerts(request):
    qs = selectors.alerts_for(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(ended_on__isnull=True)
    page = Paginator(qs.order_by("-started_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "prices/alerts.html", {"page": page, "state": state})


@login_required
@view_perm
def alert_detail(request, pk: int):
    alert = selectors.alert_for(request.user, pk)
    peak_days = {d for d, p in alert.series if d >= alert.started_on.isoformat() and d <= alert.last_on.isoformat()}
    return render(request, "prices/alert.html", {"alert": alert, "peak_days": peak_days,
                                                 "can_see_lead": request.user.has_perm("enforcement.view_lead")})
