"""What complaints contribute to credit: the "complaint rate" risk indicator and counts on the credit record.

Only counts leave this app: never a consumer's name, phone or story.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from jianguan.core.rules import rule


def complaint_rate(ctx):
    """One row per entity with complaints in the 12 months before ``ctx.on`` at or above the lowest threshold:
    points = the indicator's weight × the multiplier of the highest threshold reached (rule
    ``complaints.credit_thresholds``)."""
    thresholds = sorted(((int(n), int(m)) for n, m in rule("complaints.credit_thresholds", on=ctx.on)),
                        reverse=True)
    cases = " ".join("WHEN COUNT(*) >= %s THEN %s" for _ in thresholds)
    params: list = []
    for n, m in thresholds:
        params += [n, m * ctx.points]
    extra, extra_params = ctx.entity_filter("c.entity_id")
    sql = (f"SELECT c.entity_id, CASE {cases} ELSE 0 END, "
           "'近12个月投诉 ' || CAST(COUNT(*) AS VARCHAR(10)) || ' 件' "
           "FROM complaints_complaint c WHERE c.kind = 'complaint' AND c.entity_id IS NOT NULL "
           f"AND c.received_on > %s AND c.received_on <= %s{extra} "
           "GROUP BY c.entity_id HAVING COUNT(*) >= %s")
    lowest = min(n for n, _ in thresholds) if thresholds else 1
    return sql, [*params, ctx.months_ago(12), ctx.on, *extra_params, lowest]


def timeline(entity, viewer):
    """Per month: how many complaints and reports concerned the entity, and how the complaints ended."""
    from jianguan.credit.timeline import Event

    from .models import Complaint, Kind

    rows = (Complaint.objects.filter(entity=entity).annotate(month=TruncMonth("received_on")).values("month")
            .annotate(complaints=Count("id", filter=Q(kind=Kind.COMPLAINT)),
                      reports=Count("id", filter=Q(kind=Kind.REPORT)),
                      agreed=Count("id", filter=Q(kind=Kind.COMPLAINT, agreement__gt="")))
            .order_by("month"))
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        parts = []
        if row["complaints"]:
            parts.append(f"消费投诉 {row['complaints']} 件")
        if row["reports"]:
            parts.append(f"举报 {row['reports']} 件")
        detail = f"其中调解成功 {row['agreed']} 件" if row["agreed"] else ""
        yield Event(month, "投诉举报", f"{month:%Y年%m月}收到" + "、".join(parts), detail, False, "complaints",
                    "warning" if row["complaints"] >= 3 else "info")


def _register() -> None:
    try:
        from jianguan.credit.risk import register_indicator
        from jianguan.credit.timeline import register
    except ImportError:  # the credit app is optional for this one
        return
    register_indicator("complaint_rate", "投诉率（近12个月消费投诉件数）", complaint_rate,
                       description="近12个月被消费者投诉的件数达到规则 complaints.credit_thresholds 的阈值")
    register(timeline)


_register()
