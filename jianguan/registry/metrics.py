"""Figures of the registry read by plan targets and the dashboard (``workplan.metrics``)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from jianguan.core import aggregates
from jianguan.core.scope import Scope, restrict
from jianguan.workplan import metrics

from .models import Entity, EntityStatus


@aggregates.register("registry.active")
def _active_by_kind(scope: Scope) -> list[dict]:
    """Active entities per unit of ``scope`` and kind (``core.aggregates``: at a province's size the dashboard, its
    figures and the coverage of the draw read the sweep's count instead of counting 10,000,000 rows per reader)."""
    table: dict[int, dict] = {}
    for unit, kind, n in (restrict(Entity.objects.filter(status=EntityStatus.ACTIVE), scope)
                          .values_list("unit", "kind").annotate(n=Count("pk")).order_by()):
        table.setdefault(unit, {"unit": unit, "by_kind": {}})["by_kind"][kind] = n
    return list(table.values())


def active_count(scope: Scope) -> int:
    """How many active entities ``scope`` holds (exact at a city's size, the sweep's count at a province's)."""
    return sum(sum(row["by_kind"].values()) for row in aggregates.read("registry.active", scope).rows)


@metrics.metric("registry.entities_active", "在业市场主体（户）", unit="户",
                link=lambda ctx: reverse("registry:entity_list") + metrics.query({"status": EntityStatus.ACTIVE}))
def entities_active(ctx: metrics.Context) -> metrics.Reading:
    return metrics.count(active_count(ctx.scope))


@metrics.metric("registry.new_entities", "新登记市场主体（户）", unit="户",
                link=lambda ctx: reverse("registry:entity_list"),
                description="成立日期在当年的市场主体（当年截至今日）")
def new_entities(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(Entity.objects.filter(established_on__range=(ctx.start, ctx.end)), ctx.scope)
    return metrics.count(qs.count())
