"""Quality-improvement figures for plan targets and the dashboard (the work plan's metric registry, #19)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from . import selectors


@metrics.metric("quality.enterprises_visited", "进园区入百企走访企业（家）", unit="家",
                link=lambda ctx: reverse("quality:coverage") + metrics.query({"year": ctx.year}))
def enterprises_visited(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.enterprises_visited(year=ctx.year, scope=ctx.scope))


@metrics.metric("quality.problems_solved", "走访帮扶解决问题（个）", unit="个",
                link=lambda ctx: reverse("quality:coverage") + metrics.query({"year": ctx.year}))
def problems_solved(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.visit_problems_solved(year=ctx.year, scope=ctx.scope))


@metrics.metric("quality.awards", "质量奖、品牌认定（项）", unit="项", link=lambda ctx: reverse("quality:awards_list"))
def awards(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.awards_won(year=ctx.year, scope=ctx.scope))


@metrics.metric("quality.officers", "设立首席质量官的企业（家，累计）", unit="家",
                link=lambda ctx: reverse("quality:officers_list"))
def officers(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.quality_officers(year=ctx.year, scope=ctx.scope))


@metrics.metric("quality.accreditations_expiring", "年内资质认定到期的检验检测机构（家）", unit="家", better="lower",
                link=lambda ctx: reverse("quality:institutions_list"))
def accreditations_expiring(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.accreditations_expiring(year=ctx.year, scope=ctx.scope))
