"""Daily jobs of the key-work plan (``jianguan sweep``). Idempotent: a second run on the same day changes nothing."""

from __future__ import annotations

from jianguan.core.sweep import job

from . import services


@job(900, "workplan-supervision", "标记逾期节点，发送到期提醒，逾期督办告知单位负责人和分管领导")
def supervision(*, today, stdout) -> dict:
    return services.supervise(today=today)


@job(910, "workplan-metrics", "重新计算执行中计划的系统指标（全市口径）")
def refresh_metrics(*, today, stdout) -> dict:
    from . import metrics
    from .models import Plan, Target

    n = 0
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE).select_related("unit"):
        keys = set(Target.objects.filter(task__plan=plan).exclude(metric="").values_list("metric", flat=True))
        ctx = metrics.Context(metrics.scope_of_unit(plan.unit), plan.year, today)
        n += len(metrics.read_many(keys, ctx, fresh=True))
    return {"readings": n}
