"""Complaint figures for plan targets and the dashboard: handled in time, money recovered."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from jianguan.workplan import metrics

from .models import Complaint, Kind


def _list(ctx: metrics.Context, **extra) -> str:
    return reverse("complaints:list") + metrics.query(
        {"date_from": ctx.start.isoformat(), "date_to": ctx.end.isoformat(), **extra})


@metrics.metric("complaints.accept_on_time", "投诉按期作出受理决定率", unit="%",
                link=lambda ctx: _list(ctx, kind=Kind.COMPLAINT),
                description="当年收到并已作出受理决定的投诉中，在7个工作日内作出决定的比例")
def accept_on_time(ctx: metrics.Context) -> metrics.Reading:
    qs = Complaint.objects.filter(kind=Kind.COMPLAINT, received_on__range=(ctx.start, ctx.end),
                                  decided_on__isnull=False, accept_due__isnull=False)
    row = metrics.within(qs, ctx.scope).aggregate(n=Count("pk"), ok=Count("pk", filter=Q(decided_on__lte=F("accept_due"))))
    return metrics.ratio(row["ok"], row["n"])


@metrics.metric("complaints.received", "受理投诉举报（件）", unit="件", link=lambda ctx: _list(ctx))
def received(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(metrics.within(Complaint.objects.filter(received_on__range=(ctx.start, ctx.end)),
                                        ctx.scope).count())


@metrics.metric("complaints.money_recovered", "为消费者挽回经济损失（万元）", unit="万元",
                link=lambda ctx: _list(ctx, kind=Kind.COMPLAINT, status="agreed"))
def money_recovered(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(Complaint.objects.filter(received_on__range=(ctx.start, ctx.end)), ctx.scope)
    return metrics.amount((qs.aggregate(s=Sum("money_recovered"))["s"] or 0) / 10000)
