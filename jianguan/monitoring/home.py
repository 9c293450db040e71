"""The online-trading card on the workbench home."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from . import selectors, services
from .models import CaptureStatus
from .registers import VIEW, VIEW_ADS


def monitoring_card(request) -> list[dict]:
    user = request.user
    if not user.has_perm(VIEW):
        return []
    year = timezone.localdate().year
    findings = selectors.findings_for(user).filter(captured_at__year=year)
    shops = selectors.shops_for(user)
    return [{"template": "monitoring/_home_card.html", "year": year, "shops": shops.count(),
             "unlicensed": shops.filter(licence_displayed=False).count(),
             "captured": findings.filter(status=CaptureStatus.CAPTURED).count(),
             "waiting": findings.filter(status=CaptureStatus.CAPTURED, lead__isnull=True).count()}]


def ads_card(request) -> list[dict]:
    """Advertising monitoring this year: ads observed, violations, violations not yet handed over."""
    user = request.user
    if not user.has_perm(VIEW_ADS):
        return []
    year = timezone.localdate().year
    ads = selectors.ads_for(user).filter(observed_on__year=year).order_by()
    figures = ads.aggregate(ads=Count("id"), violations=Count("id", filter=Q(violation=True)),
                            waiting=Count("id", filter=Q(violation=True, lead__isnull=True)),
                            review=Count("id", filter=Q(review__in=services.REVIEW_FAILED)))
    return [{"template": "monitoring/_ads_card.html", "year": year, **figures}]
