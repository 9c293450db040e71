"""Online trading monitoring figures for plan targets and the dashboard (the work plan's metric registry)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from . import selectors


@metrics.metric("monitoring.online_findings", "网络交易监测取证（条）", unit="条",
                link=lambda ctx: reverse("monitoring:findings_list"),
                description="当年网络交易监测中已保存网页和截图（含 SHA-256）的发现")
def online_findings(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.findings_captured(year=ctx.year, scope=ctx.scope))


@metrics.metric("monitoring.online_leads", "网络交易监测移交线索（条）", unit="条",
                link=lambda ctx: reverse("monitoring:findings_list"))
def online_leads(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.findings_to_leads(year=ctx.year, scope=ctx.scope))


@metrics.metric("monitoring.illegal_ads", "广告监测发现涉嫌违法广告（条）", unit="条",
                link=lambda ctx: reverse("monitoring:ad_statistics") + f"?year={ctx.year}",
                description="当年监测到的广告中认定违反广告法条款（含未通过批准文号核对）的条数")
def illegal_ads(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.ads_with_violation(year=ctx.year, scope=ctx.scope))


@metrics.metric("monitoring.ad_leads", "违法广告移交线索（条）", unit="条",
                link=lambda ctx: reverse("monitoring:ad_statistics") + f"?year={ctx.year}")
def ad_leads(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.ads_to_leads(year=ctx.year, scope=ctx.scope))


@metrics.metric("monitoring.fees_refunded", "涉企违规收费清退金额（元）", unit="元",
                link=lambda ctx: reverse("monitoring:fee_campaigns"),
                description="当年专项行动查实的违规收费中已确认清退给企业的金额")
def fees_refunded(ctx: metrics.Context) -> metrics.Reading:
    return metrics.amount(selectors.fees_refunded(year=ctx.year, scope=ctx.scope))


@metrics.metric("monitoring.counterfeit_destroyed_value", "销毁假冒伪劣物品货值（元）", unit="元",
                link=lambda ctx: reverse("monitoring:counterfeits"),
                description="当年打击假冒伪劣行动中已监督销毁的查扣物品货值")
def counterfeit_destroyed_value(ctx: metrics.Context) -> metrics.Reading:
    return metrics.amount(selectors.goods_destroyed_value(year=ctx.year, scope=ctx.scope))
