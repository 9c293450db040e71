"""The online-trading card on the workbench home."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone

from . import selectors, services
from .models import CaptureStatus, SeizedGoods
from .registers import VIEW, VIEW_ADS, VIEW_FAKES, VIEW_FEES


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


def fees_card(request) -> list[dict]:
    """Fee checks this year: bodies checked, the amount charged unlawfully and how much of it is refunded."""
    user = request.user
    if not user.has_perm(VIEW_FEES):
        return []
    year = timezone.localdate().year
    campaigns = selectors.fee_campaigns_for(user).filter(year=year).count()
    checks = selectors.fee_checks_for(user).filter(campaign__year=year).count()
    money = selectors.fee_findings_for(user).filter(fee_check__campaign__year=year).order_by().aggregate(
        amount=Sum("amount"), ordered=Sum("refund_ordered"), refunded=Sum("refunded"))
    return [{"template": "monitoring/_fees_card.html", "year": year, "campaigns": campaigns, "checks": checks,
             "amount": money["amount"] or 0, "ordered": money["ordered"] or 0, "refunded": money["refunded"] or 0}]


def counterfeits_card(request) -> list[dict]:
    """Counterfeit campaigns running this year: cases linked, goods seized and destroyed."""
    user = request.user
    if not user.has_perm(VIEW_FAKES):
        return []
    year = timezone.localdate().year
    campaigns = selectors.counterfeit_campaigns_for(user).filter(started_on__year=year)
    figures = campaigns.order_by().aggregate(n=Count("id", distinct=True), cases=Count("cases", distinct=True))
    goods = SeizedGoods.objects.filter(campaign__in=campaigns).order_by().aggregate(
        n=Count("id"), worth=Sum("value"), destroyed=Count("id", filter=Q(destroyed_on__isnull=False)))
    return [{"template": "monitoring/_counterfeits_card.html", "year": year, "campaigns": figures["n"],
             "cases": figures["cases"], "goods": goods["n"], "value": goods["worth"] or 0,
             "destroyed": goods["destroyed"], "pending": goods["n"] - goods["destroyed"]}]
