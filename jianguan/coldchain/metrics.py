"""Cold-chain figures for plan targets and the dashboard (the work plan's metric registry)."""

from __future__ import annotations

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from jianguan.workplan import metrics

from .models import Task


@metrics.metric("coldchain.tasks_on_time", "冷链追溯处置任务按时完成率", unit="%",
                link=lambda ctx: reverse("coldchain:incidents"),
                description="当年启动的追溯中，已到时限的处置任务（封存、通知、消杀、报告）在时限内完成的比例")
def tasks_on_time(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(Task.objects.filter(holder__incident__started_at__year=ctx.year), ctx.scope, "holder__unit")
    due = qs.filter(Q(done_at__isnull=False) | Q(due_at__lt=timezone.now()))
    return metrics.ratio(due.filter(done_at__lte=F("due_at")).count(), due.count())
