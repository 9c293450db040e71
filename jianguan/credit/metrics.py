"""Credit figures read by plan targets and the dashboard: the annual-report filing rate."""

from __future__ import annotations

from django.urls import reverse

from jianguan.core import aggregates
from jianguan.workplan import metrics

from . import selectors  # noqa: F401  (registers the credit.filing aggregate read below)


@metrics.metric("credit.annual_report_rate", "年度报告公示率", unit="%",
                link=lambda ctx: reverse("credit:reports") + metrics.query({"year": ctx.year - 1}),
                description="计划年度内报送的上一年度年报：应报主体中已报送的比例")
def annual_report_rate(ctx: metrics.Context) -> metrics.Reading:
    year = ctx.year - 1  # reports filed in year Y are those of Y-1
    # the per-unit filing figures the filing page shows (``credit.filing``: the sweep's count at a province's size)
    rows = aggregates.read("credit.filing", ctx.scope, year).rows
    return metrics.ratio(sum(r["filed"] for r in rows), sum(r["required"] for r in rows), f"{year} 年度年报")
