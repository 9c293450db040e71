"""Credit figures read by plan targets and the dashboard: the annual-report filing rate."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from .models import AnnualReport
from .selectors import required_entities


@metrics.metric("credit.annual_report_rate", "年度报告公示率", unit="%",
                link=lambda ctx: reverse("credit:reports") + metrics.query({"year": ctx.year - 1}),
                description="计划年度内报送的上一年度年报：应报主体中已报送的比例")
def annual_report_rate(ctx: metrics.Context) -> metrics.Reading:
    year = ctx.year - 1  # reports filed in year Y are those of Y-1
    required = metrics.within(required_entities(year), ctx.scope)
    filed = AnnualReport.objects.filter(year=year, is_current=True, entity__in=required).count()
    return metrics.ratio(filed, required.count(), f"{year} 年度年报")
