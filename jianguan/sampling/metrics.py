"""Sampling figures for plan targets and the dashboard (the work plan's metric registry)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from . import selectors


@metrics.metric("sampling.unqualified_handled", "抽检不合格产品后处理率", unit="%",
                link=lambda ctx: reverse("sampling:followup"),
                description="当年计划抽检不合格的样品中，已送达并整改、复检合格或移送执法的比例")
def unqualified_handled(ctx: metrics.Context) -> metrics.Reading:
    figure = selectors.sampling_unqualified_handled(ctx.scope, ctx.year)
    return metrics.ratio(figure["handled"], figure["unqualified"])
