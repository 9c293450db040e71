"""Start-up time against its promise (企业开办), read by plan targets and the dashboard."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone

from jianguan.core.rules import rule
from jianguan.workplan import metrics

from .models import Application


def _decided(ctx: metrics.Context):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(ctx.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(ctx.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = (Application.objects.filter(decided_at__gte=start, decided_at__lt=end, decision_work_hours__isnull=False)
          .exclude(kind=Application.Kind.SIMPLE_DEREGISTER))
    return metrics.within(qs, ctx.scope, "registration_authority")


def _stats_link(ctx: metrics.Context) -> str:
    days = max(1, (ctx.today - ctx.start).days + 1)
    return reverse("startup:stats") + metrics.query({"days": days})


@metrics.metric("startup.within_promise", "企业开办承诺时限内办结率", unit="%", link=_stats_link,
                description="当年作出决定的设立、变更、注销申请中，办理用时不超过承诺时限（规则 startup.decision_target_hours）的比例")
def within_promise(ctx: metrics.Context) -> metrics.Reading:
    target = rule("startup.decision_target_hours", on=ctx.end)
    row = _decided(ctx).aggregate(n=Count("pk"), ok=Count("pk", filter=Q(decision_work_hours__lte=target)))
    return metrics.ratio(row["ok"], row["n"], f"承诺时限 {target} 工作小时")


@metrics.metric("startup.average_hours", "企业开办平均用时（工作小时）", unit="小时", better="lower", link=_stats_link)
def average_hours(ctx: metrics.Context) -> metrics.Reading:
    row = _decided(ctx).aggregate(avg=Avg("decision_work_hours"), n=Count("pk"))
    if not row["n"]:
        return metrics.Reading(None, note="当年尚无办结的申请")
    return metrics.amount(row["avg"], f"{row['n']} 件")
