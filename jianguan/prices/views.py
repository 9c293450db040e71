"""Workbench of price monitoring: the alerts and an alert's page (the series as evidence, the lead). Outlets and
reports are registers. The public board and the outlet's own reporting are in ``public_views``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.shortcuts import render

from . import selectors

view_perm = permission_required("prices.view_outlet", raise_exception=True)


@login_required
@view_perm
def alerts(request):
    from jianguan.core import lists

    qs = selectors.alerts_for(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(ended_on__isnull=True)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(outlet__entity__name__contains=q) | Q(goods__name__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.ALERT_LIST, qs, filters={"state": state, "q": q})
    listing = lists.show(request, selectors.ALERT_LIST, qs)
    return render(request, "prices/alerts.html", {
        "page": listing.page, "listing": listing, "state": state, "q": q,
        "export_allowed": request.user.has_perm(selectors.ALERT_LIST.export_permission)})


@login_required
@view_perm
def alert_detail(request, pk: int):
    alert = selectors.alert_for(request.user, pk)
    peak_days = {d for d, p in alert.series if d >= alert.started_on.isoformat() and d <= alert.last_on.isoformat()}
    return render(request, "prices/alert.html", {"alert": alert, "peak_days": peak_days,
                                                 "can_see_lead": request.user.has_perm("enforcement.view_lead")})
