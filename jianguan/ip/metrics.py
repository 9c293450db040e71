"""IP figures for plan targets and the dashboard (the work plan's metric registry, #19)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from . import selectors


def _year(ctx: metrics.Context) -> str:
    return metrics.query({"year": ctx.year})


@metrics.metric("ip.cases_filed", "知识产权案件立案（件）", unit="件",
                link=lambda ctx: reverse("ip:cases") + _year(ctx),
                description="当年立案的商标侵权、假冒专利、侵权假冒案件（规则 ip.case_types）")
def cases_filed(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.ip_cases_filed(year=ctx.year, scope=ctx.scope))


@metrics.metric("ip.huhang_cases", "知识产权“护航”专项行动立案（件）", unit="件",
                link=lambda ctx: reverse("ip:statistics") + _year(ctx))
def huhang_cases(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.campaign_cases_filed(year=ctx.year, scope=ctx.scope, campaign="huhang"))


@metrics.metric("ip.leiting_cases", "“雷霆”专项行动立案（件）", unit="件",
                link=lambda ctx: reverse("ip:statistics") + _year(ctx))
def leiting_cases(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.campaign_cases_filed(year=ctx.year, scope=ctx.scope, campaign="leiting"))


@metrics.metric("ip.huhang_penalties", "“护航”专项行动罚没款（万元）", unit="万元",
                link=lambda ctx: reverse("ip:statistics") + _year(ctx))
def huhang_penalties(ctx: metrics.Context) -> metrics.Reading:
    return metrics.amount(selectors.campaign_penalties(year=ctx.year, scope=ctx.scope, campaign="huhang") / 10000)


@metrics.metric("ip.gi_users", "地理标志专用标志使用人（家，累计）", unit="家",
                link=lambda ctx: reverse("ip:gi_users_list"))
def gi_users(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.gi_users_total(year=ctx.year, scope=ctx.scope))


@metrics.metric("ip.enterprises", "新认定知识产权优势/示范企业（家次）", unit="家",
                link=lambda ctx: reverse("ip:enterprises_list") + metrics.query({"q": ctx.year}))
def enterprises(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.ip_enterprises_recognised(year=ctx.year, scope=ctx.scope))


@metrics.metric("ip.pledge_amount", "专利权质押融资（万元）", unit="万元", link=lambda ctx: reverse("ip:pledges_list"))
def pledge_amount(ctx: metrics.Context) -> metrics.Reading:
    return metrics.amount(selectors.patent_pledge_amount(year=ctx.year, scope=ctx.scope))
