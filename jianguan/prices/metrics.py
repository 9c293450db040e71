"""Price-monitoring figures for plan targets and the dashboard (the work plan's metric registry)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from .models import PriceAlert


@metrics.metric("prices.alerts_to_leads", "价格异常预警移送执法线索数", unit="条", better="lower",
                link=lambda ctx: reverse("prices:alerts"),
                description="当年价格监测发现的涨幅超过规则的异常（每次异常一条），均已移送执法线索")
def alerts_to_leads(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(PriceAlert.objects.filter(started_on__year=ctx.year, lead__isnull=False), ctx.scope, "unit")
    return metrics.count(qs.count())
