"""Scoped reads of the monitoring app (core.scope on each row's ``unit``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from jianguan.core import lists
from jianguan.core.scope import Scope, scope_filter, scope_for

from .models import (
    Ad,
    AdApproval,
    CaptureStatus,
    CounterfeitCampaign,
    FeeCampaign,
    FeeCheck,
    FeeFinding,
    Medium,
    MonitoringRound,
    OnlineFinding,
    OnlineShop,
    RoundShop,
    SeizedGoods,
)


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


# --- fee checks --------------------------------------------------------------------------------------------------------


def fee_campaigns_for(user) -> QuerySet[FeeCampaign]:
    """Campaigns organised within the user's scope, and those of the units above (a city campaign is everyone's)."""
    scope = scope_for(user)
    qs = FeeCampaign.objects.select_related("unit").order_by("-year", "-started_on", "-id")
    if scope.everything:
        return qs
    profile = getattr(user, "profile", None)
    path = profile.unit.path if profile is not None else ""
    above = [p + "/" for p in _prefixes(path)]
    return qs.filter(Q(unit_id__in=scope.unit_ids) | Q(unit__path__in=above))


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def fee_campaign_for(user, pk: int) -> FeeCampaign:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(fee_campaigns_for(user), pk=pk)


def fee_checks_for(user) -> QuerySet[FeeCheck]:
    return scope_filter(FeeCheck.objects.select_related("campaign", "entity", "unit"), user)


def fee_check_for(user, pk: int) -> FeeCheck:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(fee_checks_for(user), pk=pk)


def fee_findings_for(user) -> QuerySet[FeeFinding]:
    return scope_filter(FeeFinding.objects.select_related("fee_check", "fee_check__campaign"), user)


@dataclass
class FeeRow:
    label: str
    checks: int = 0
    with_problems: int = 0
    findings: int = 0
    payers: int = 0
    amount: Decimal = Decimal("0")
    ordered: Decimal = Decimal("0")
    refunded: Decimal = Decimal("0")

    @property
    def outstanding(self) -> Decimal:
        return self.ordered - self.refunded


def fee_statistics(user, campaign: FeeCampaign) -> tuple[list[FeeRow], FeeRow]:
    """The campaign's report: per kind of body, bodies checked, bodies with problems, findings, enterprises
    concerned, the amount charged unlawfully, ordered refunded and refunded — three aggregate queries."""
    from . import fees

    rows = {code: FeeRow(label) for code, label in fees.KIND_CHOICES if code in campaign.kinds}
    checks = fee_checks_for(user).filter(campaign=campaign).order_by()
    for r in checks.values("kind").annotate(n=Count("id")):
        rows.setdefault(r["kind"], FeeRow(r["kind"])).checks = r["n"]
    findings = fee_findings_for(user).filter(fee_check__campaign=campaign).order_by()
    for r in findings.values("fee_check__kind").annotate(
            bodies=Count("fee_check", distinct=True), n=Count("id"), payers=Sum("payers"), amount=Sum("amount"),
            ordered=Sum("refund_ordered"), refunded=Sum("refunded")):
        row = rows.setdefault(r["fee_check__kind"], FeeRow(r["fee_check__kind"]))
        row.with_problems, row.findings, row.payers = r["bodies"], r["n"], r["payers"] or 0
        row.amount, row.ordered, row.refunded = r["amount"] or 0, r["ordered"] or 0, r["refunded"] or 0
    total = FeeRow("合计")
    for row in rows.values():
        for name in ("checks", "with_problems", "findings", "payers", "amount", "ordered", "refunded"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return list(rows.values()), total


def fees_refunded(*, year: int, scope: Scope) -> Decimal:
    qs = _within(FeeFinding.objects.filter(fee_check__campaign__year=year), scope)
    return qs.aggregate(s=Sum("refunded"))["s"] or Decimal("0")


# --- counterfeits ------------------------------------------------------------------------------------------------------


def counterfeit_campaigns_for(user) -> QuerySet[CounterfeitCampaign]:
    """Campaigns organised within the user's scope, and those of the units above."""
    scope = scope_for(user)
    qs = CounterfeitCampaign.objects.select_related("unit").order_by("-started_on", "-id")
    if scope.everything:
        return qs
    profile = getattr(user, "profile", None)
    above = [p + "/" for p in _prefixes(profile.unit.path if profile is not None else "")]
    return qs.filter(Q(unit_id__in=scope.unit_ids) | Q(unit__path__in=above))


def counterfeit_campaign_for(user, pk: int) -> CounterfeitCampaign:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(counterfeit_campaigns_for(user), pk=pk)


@dataclass
class CounterfeitFigures:
    tasks: int
    samples: int
    cases: int
    goods: int
    value: Decimal
    destroyed: int
    destroyed_value: Decimal


def counterfeit_figures(campaign: CounterfeitCampaign) -> CounterfeitFigures:
    goods = campaign.goods.order_by().aggregate(
        n=Count("id"), worth=Sum("value"), destroyed=Count("id", filter=Q(destroyed_on__isnull=False)),
        destroyed_worth=Sum("value", filter=Q(destroyed_on__isnull=False)))
    return CounterfeitFigures(campaign.tasks.count(), campaign.samples.count(), campaign.cases.count(), goods["n"],
                              goods["worth"] or Decimal("0"), goods["destroyed"],
                              goods["destroyed_worth"] or Decimal("0"))


def goods_destroyed_value(*, year: int, scope: Scope) -> Decimal:
    qs = _within(SeizedGoods.objects.filter(destroyed_on__year=year), scope)
    return qs.aggregate(s=Sum("value"))["s"] or Decimal("0")


# --- monitoring rounds -------------------------------------------------------------------------------------------------


def rounds_for(user) -> QuerySet[MonitoringRound]:
    """Rounds organised within the user's scope, and those of the units above."""
    scope = scope_for(user)
    qs = MonitoringRound.objects.select_related("unit").defer("manifest", "bundle").order_by("-created_at", "-id")
    if scope.everything:
        return qs
    profile = getattr(user, "profile", None)
    above = [p + "/" for p in _prefixes(profile.unit.path if profile is not None else "")]
    return qs.filter(Q(unit_id__in=scope.unit_ids) | Q(unit__path__in=above))


def round_for(user, pk: int) -> MonitoringRound:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(rounds_for(user), pk=pk)


def shops_by_url(user, urls: list[str]) -> tuple[list[OnlineShop], list[str]]:
    """The shops of the user's register at ``urls`` (in the order given, each once), and the URLs not among them."""
    wanted = list(dict.fromkeys(u.strip() for u in urls if u and u.strip()))
    found = {s.url: s for s in shops_for(user).filter(url__in=wanted)}
    return [found[u] for u in wanted if u in found], sorted(set(wanted) - set(found))


def round_targets(rnd: MonitoringRound) -> list:
    """The round's shops, each with its latest finding of the round (one query for the shops, one for findings)."""
    targets = list(RoundShop.objects.filter(round=rnd).select_related("shop", "shop__entity").order_by("ticket", "id"))
    latest = {}
    for f in OnlineFinding.objects.filter(round=rnd).order_by("captured_at", "id"):
        latest[f.shop_id] = f
    for t in targets:
        t.finding = latest.get(t.shop_id)
    return targets


# --- the campaign and round lists (core.lists: total, sorting, filters, the export of what is filtered) -------------

#: 涉企违规收费检查专项行动: the latest year first.
FEE_CAMPAIGN_LIST = lists.Spec(
    key="monitoring.fee_campaigns", title="涉企违规收费检查专项行动", default_sort="-year", default_note="最近年度的在前",
    export_permission="monitoring.view_feecampaign", page_size=30,
    columns=(
        lists.Column("title", "专项行动", sort="title", width=36),
        lists.Column("year", "年度", sort=("year", "started_on"), width=8),
        lists.Column("unit", "组织单位", lambda c: c.unit.short_name or c.unit.name, sort="unit__path", width=20),
        lists.Column("n_checks", "检查单位数", sort="n_checks", width=10),
        lists.Column("started_on", "开始日期", sort="started_on", width=12, header=False),
        lists.Column("report_due", "报送截止", sort="report_due", width=12),
    ))

#: 打击假冒伪劣行动: the latest started first.
COUNTERFEIT_LIST = lists.Spec(
    key="monitoring.counterfeits", title="打击假冒伪劣行动", default_sort="-started_on", default_note="最近开始的在前",
    export_permission="monitoring.view_counterfeitcampaign", page_size=30,
    columns=(
        lists.Column("title", "行动", sort="title", width=36),
        lists.Column("product_line", "产品类别", sort="product_line", width=16),
        lists.Column("market", "市场或区域", sort="market", width=20),
        lists.Column("started_on", "开始", sort="started_on", width=12),
        lists.Column("ended_on", "结束", sort="ended_on", width=12, header=False),
        lists.Column("n_cases", "案件", sort="n_cases", width=8),
        lists.Column("n_goods", "查扣（批）", sort="n_goods", width=10),
    ))

#: 网络交易监测轮次: the latest created first.
ROUND_LIST = lists.Spec(
    key="monitoring.rounds", title="网络交易监测轮次", default_sort="-created", default_note="最近建立的在前",
    export_permission="monitoring.view_onlineshop", page_size=30,
    columns=(
        lists.Column("code", "编号", sort="code", width=18),
        lists.Column("title", "名称", sort="title", width=32),
        lists.Column("method", "方式", "get_method_display", sort="method", width=10),
        lists.Column("status", "状态", "get_status_display", sort="status", width=20),
        lists.Column("n", "店铺", sort="n", width=8),
        lists.Column("captured", "取证", sort="captured", width=8),
        lists.Column("created", "建立时间", "created_at", sort="created_at", width=16),
    ))
