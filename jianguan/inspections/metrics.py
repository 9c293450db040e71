"""Double random, one public: coverage and completion of the year's draws, for plan targets and the dashboard."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from jianguan.workplan import metrics

from .models import InspectionTask, TaskStatus

DONE = (TaskStatus.CONFIRMED, TaskStatus.PUBLISHED)


def _tasks(ctx: metrics.Context):
    qs = InspectionTask.objects.filter(batch__plan__year=ctx.year).exclude(status=TaskStatus.VOID)
    return metrics.within(qs, ctx.scope)


@metrics.metric("inspections.coverage", "双随机抽查覆盖率", unit="%",
                link=lambda ctx: reverse("inspections:plan_list"),
                description="当年抽查计划抽中的在业市场主体占在业市场主体总数的比例")
def coverage(ctx: metrics.Context) -> metrics.Reading:
    from jianguan.registry.metrics import active_count

    drawn = _tasks(ctx).values("entity_id").distinct().count()
    return metrics.ratio(drawn, active_count(ctx.scope))


@metrics.metric("inspections.completion", "双随机抽查任务完成率", unit="%",
                link=lambda ctx: reverse("inspections:task_list") + metrics.query({"all": 1}),
                description="当年抽中的检查任务中，结果已录入确认或已公示的比例")
def completion(ctx: metrics.Context) -> metrics.Reading:
    row = _tasks(ctx).aggregate(n=Count("pk"), done=Count("pk", filter=Q(status__in=DONE)))
    return metrics.ratio(row["done"], row["n"])


@metrics.metric("inspections.published", "双随机抽查结果公示率", unit="%",
                link=lambda ctx: reverse("inspections:task_list") + metrics.query({"all": 1, "status": "confirmed"}))
def published(ctx: metrics.Context) -> metrics.Reading:
    row = _tasks(ctx).aggregate(done=Count("pk", filter=Q(status__in=DONE)),
                                pub=Count("pk", filter=Q(status=TaskStatus.PUBLISHED)))
    return metrics.ratio(row["pub"], row["done"])
