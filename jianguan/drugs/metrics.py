"""Drug supervision figures for plan targets and the dashboard (the work plan's metric registry)."""

from __future__ import annotations

from django.db.models import F, Q
from django.urls import reverse

from jianguan.core.registers import live
from jianguan.workplan import metrics

from .models import AdverseEvent


@metrics.metric("drugs.events_reviewed_on_time", "不良反应/事件报告按期审核评价率", unit="%",
                link=lambda ctx: reverse("drugs:events_list"),
                description="当年接收的报告中，已到审核评价期限的，在期限内完成审核评价的比例")
def events_reviewed_on_time(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(live(AdverseEvent.objects.filter(received_on__year=ctx.year)), ctx.scope, "unit")
    due = qs.filter(Q(assessed_on__isnull=False) | Q(review_due__lt=ctx.today))
    return metrics.ratio(due.filter(assessed_on__lte=F("review_due")).count(), due.count())
