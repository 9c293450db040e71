"""Where inspection results reach credit supervision: the credit record, the risk class and the abnormal list.

Credit owns those; this module only uses its published plug-in points (``credit.timeline.register``,
``credit.risk.register_indicator``, ``credit.risk.schedule``, ``credit.services.list_enter``). Each is looked up
when used, so inspections keeps working (without the consequence) on an installation whose credit module lacks one.
"""

from __future__ import annotations

import importlib

from django.db.models import Prefetch

from .models import PROBLEM_CATEGORIES, InspectionTask, ItemResult, ResultCategory, TaskStatus

RISK_INDICATOR = "inspection_problems"
RISK_INDICATOR_LABEL = "近三年抽查发现问题"


def _credit(module: str):
    try:
        return importlib.import_module(f"jianguan.credit.{module}")
    except ImportError:
        return None


# --- the credit record (信用档案) ------------------------------------------------------------------------------------


def timeline_events(entity, viewer):
    """Inspection results of ``entity`` as credit-record events; public once the result is published."""
    from jianguan.credit.timeline import Event

    tasks = (
        InspectionTask.objects.filter(entity=entity, status__in=(TaskStatus.CONFIRMED, TaskStatus.PUBLISHED))
        .select_related("batch__plan")
        .defer("batch__manifest", "batch__bundle")
        .prefetch_related(Prefetch("results", queryset=ItemResult.objects.select_related("item")))
    )
    for task in tasks:
        results = list(task.results.all())
        problem = any(r.category in PROBLEM_CATEGORIES for r in results)
        detail = "；".join(f"{r.item.name}：{r.get_category_display()}" for r in results)
        yield Event(
            task.inspected_on or task.confirmed_at.date(),
            "双随机抽查",
            f"{task.batch.plan.title}（{task.batch}）",
            detail,
            task.status == TaskStatus.PUBLISHED,
            "inspections",
            "warning" if problem else "success",
        )


# --- the risk class ------------------------------------------------------------------------------------------------


def problems_indicator(ctx):
    """Entities with a confirmed result in a problem category within three years: (entity id, points, detail)."""
    where, params = ctx.entity_filter("t.entity_id")
    categories = sorted(PROBLEM_CATEGORIES)
    return (
        "SELECT t.entity_id, %s, CAST(COUNT(DISTINCT t.id) AS VARCHAR(10)) || ' 次' "
        "FROM inspections_inspectiontask t "
        "JOIN inspections_itemresult r ON r.task_id = t.id "
        "JOIN registry_entity e ON e.id = t.entity_id "
        f"WHERE e.status = 'active' AND t.status IN (%s, %s) "
        f"AND r.category IN ({', '.join(['%s'] * len(categories))}) AND t.inspected_on >= %s{where} "
        "GROUP BY t.entity_id",
        [ctx.points, TaskStatus.CONFIRMED.value, TaskStatus.PUBLISHED.value, *categories, ctx.years_ago(3), *params],
    )


def schedule_risk(entity_ids: list[int]) -> None:
    """Have credit reclassify these entities once the current transaction commits."""
    risk = _credit("risk")
    if risk is not None and hasattr(risk, "schedule"):
        risk.schedule(entity_ids)


# --- the abnormal list -----------------------------------------------------------------------------------------------


def list_unreachable(*, actor, proposal) -> str | None:
    """List the entity on the abnormal list, ground "unreachable at the registered address", through credit's
    service; the listing's reference (decision number or id). None when credit offers no such service."""
    services = _credit("services")
    models = _credit("models")
    if services is None or not hasattr(services, "list_enter") or models is None:
        return None
    entry = services.list_enter(
        actor=actor,
        entity=proposal.entity,
        ground=models.Ground.UNREACHABLE,
        facts=f"双随机抽查（{proposal.task.batch}）结果：{ResultCategory.UNREACHABLE.label}",
        ground_arose_on=proposal.found_on,
    )
    return getattr(entry, "decision_no", "") or str(entry.pk)


def register() -> None:
    """Plug into credit (called from ``InspectionsConfig.ready``)."""
    timeline = _credit("timeline")
    if timeline is not None and hasattr(timeline, "register"):
        timeline.register(timeline_events)
    risk = _credit("risk")
    if risk is not None and hasattr(risk, "register_indicator"):
        risk.register_indicator(
            RISK_INDICATOR,
            RISK_INDICATOR_LABEL,
            problems_indicator,
            description="近三年双随机抽查结果为发现问题的（责令改正、待后续处理、无法联系等）",
        )
