"""Enforcement figures for plan targets and the dashboard: cases filed, decided on time, fines."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from jianguan.workplan import metrics

from .models import Case, CaseStatus, Penalty

DECIDED = (CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.EXECUTED, CaseStatus.CLOSED)


@metrics.metric("enforcement.cases_filed", "立案查处案件（件）", unit="件",
                link=lambda ctx: reverse("enforcement:cases"))
def cases_filed(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(Case.objects.filter(filed_on__range=(ctx.start, ctx.end)), ctx.scope)
    return metrics.count(qs.count())


@metrics.metric("enforcement.decided_on_time", "案件按期作出处理决定率", unit="%",
                link=lambda ctx: reverse("enforcement:cases") + metrics.query({"overdue": "on"}),
                description="当年作出处理决定的案件中，决定日期不晚于处理决定期限（含依法延长）的比例")
def decided_on_time(ctx: metrics.Context) -> metrics.Reading:
    qs = (Case.objects.filter(status__in=DECIDED)
          .annotate(decided=Coalesce("penalty__decided_on", "closed_on"))
          .filter(decided__range=(ctx.start, ctx.end), decision_deadline__isnull=False))
    row = metrics.within(qs, ctx.scope).aggregate(
        n=Count("pk"), ok=Count("pk", filter=Q(decided__lte=F("decision_deadline"))))
    return metrics.ratio(row["ok"], row["n"])


@metrics.metric("enforcement.fines", "罚没款（万元）", unit="万元",
                link=lambda ctx: reverse("enforcement:cases") + metrics.query({"status": CaseStatus.DECIDED}))
def fines(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(Penalty.objects.filter(decided_on__range=(ctx.start, ctx.end)), ctx.scope)
    row = qs.aggregate(f=Sum("fine_amount"), c=Sum("confiscated_amount"))
    return metrics.amount(((row["f"] or 0) + (row["c"] or 0)) / 10000)
