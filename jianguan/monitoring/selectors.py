"""Scoped reads of the monitoring app (core.scope on each row's ``unit``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from jianguan.core.scope import Scope, scope_filter

from .models import Ad, AdApproval, CaptureStatus, Medium, OnlineFinding, OnlineShop


def shops_for(user) -> QuerySet[OnlineShop]:
    return scope_filter(OnlineShop.objects.select_related("entity", "unit"), user).order_by("platform", "shop_name",
                                                                                             "id")


def findings_for(user) -> QuerySet[OnlineFinding]:
    return scope_filter(OnlineFinding.objects.select_related("shop", "shop__entity", "lead"), user).order_by(
        "-captured_at", "-id")


def finding_for(user, pk: int) -> OnlineFinding:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(findings_for(user), pk=pk)


def _within(qs, scope: Scope):
    if scope.everything:
        return qs
    return qs.filter(unit_id__in=scope.unit_ids)


def findings_captured(*, year: int, scope: Scope) -> int:
    return _within(OnlineFinding.objects.filter(status=CaptureStatus.CAPTURED, captured_at__year=year),
                   scope).count()


def findings_to_leads(*, year: int, scope: Scope) -> int:
    return _within(OnlineFinding.objects.filter(lead__isnull=False, captured_at__year=year), scope).count()


# --- advertising monitoring ------------------------------------------------------------------------------------------


def ads_for(user) -> QuerySet[Ad]:
    return scope_filter(Ad.objects.select_related("advertiser", "unit", "lead"), user).order_by("-observed_on", "-id")


def ad_for(user, pk: int) -> Ad:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ads_for(user), pk=pk)


def approvals_for(user) -> QuerySet[AdApproval]:
    return scope_filter(AdApproval.objects.select_related("advertiser", "unit"), user).order_by("-valid_until", "id")


@dataclass
class AdCell:
    ads: int = 0
    violations: int = 0
    leads: int = 0


@dataclass
class AdStatistics:
    year: int
    mediums: list  # [(code, label)]
    categories: list  # [(code, label)]
    cells: dict  # (medium, category) -> AdCell
    by_medium: dict  # medium -> AdCell
    by_category: dict  # category -> AdCell
    total: AdCell
    by_article: list  # [(Article, count)]

    def rows(self):
        """Rows for the table and the Excel sheet: one per medium, the cells in category order, the row's total."""
        for code, label in self.mediums:
            yield label, [self.cells.get((code, c), AdCell()) for c, _ in self.categories], self.by_medium[code]


def ad_statistics(qs: QuerySet[Ad], year: int) -> AdStatistics:
    """Ads observed in ``year`` by medium × category (ads, violations, leads) and violations by article: two
    GROUP BY queries, whatever the number of ads."""
    from . import adlaw

    qs = qs.filter(observed_on__year=year).order_by()
    grouped = qs.values("medium", "category").annotate(
        ads=Count("id"), violations=Count("id", filter=Q(violation=True)),
        leads=Count("id", filter=Q(lead__isnull=False)))
    cells, by_medium, by_category, total = {}, {}, {}, AdCell()
    mediums = list(Medium.choices)
    categories = list(adlaw.CATEGORY_CHOICES)
    for code, _ in mediums:
        by_medium[code] = AdCell()
    for code, _ in categories:
        by_category[code] = AdCell()
    for row in grouped:
        cell = AdCell(row["ads"], row["violations"], row["leads"])
        cells[(row["medium"], row["category"])] = cell
        for bucket in (by_medium.setdefault(row["medium"], AdCell()),
                       by_category.setdefault(row["category"], AdCell()), total):
            bucket.ads += cell.ads
            bucket.violations += cell.violations
            bucket.leads += cell.leads
    articles = qs.filter(violation=True).values("article").annotate(n=Count("id")).order_by("-n", "article")
    by_article = [(adlaw.ARTICLES[r["article"]], r["n"]) for r in articles if r["article"] in adlaw.ARTICLES]
    return AdStatistics(year, mediums, categories, cells, by_medium, by_category, total, by_article)


def ads_with_violation(*, year: int, scope: Scope) -> int:
    return _within(Ad.objects.filter(violation=True, observed_on__year=year), scope).count()


def ads_to_leads(*, year: int, scope: Scope) -> int:
    return _within(Ad.objects.filter(lead__isnull=False, observed_on__year=year), scope).count()
