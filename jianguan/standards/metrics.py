"""Standardization figures for plan targets and the dashboard (the work plan's metric registry, #19)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from . import selectors


@metrics.metric("standards.led", "企业主导或参与制定的标准（项）", unit="项",
                link=lambda ctx: reverse("standards:standards_list"))
def led(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.standards_led(year=ctx.year, scope=ctx.scope))


@metrics.metric("standards.leaders", "企业标准“领跑者”（项）", unit="项", link=lambda ctx: reverse("standards:leaders_list"))
def leaders(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.leaders_designated(year=ctx.year, scope=ctx.scope))


@metrics.metric("standards.pilots_accepted", "通过验收的标准化试点示范项目（个）", unit="个",
                link=lambda ctx: reverse("standards:pilots_list"))
def pilots_accepted(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.pilots_accepted(year=ctx.year, scope=ctx.scope))


@metrics.metric("standards.local_published", "发布的地方标准（项）", unit="项",
                link=lambda ctx: reverse("standards:local_list"))
def local_published(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(selectors.local_standards_published(year=ctx.year, scope=ctx.scope))
