"""Figures of the registry read by plan targets and the dashboard (``workplan.metrics``)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from .models import Entity, EntityStatus


@metrics.metric("registry.entities_active", "在业市场主体（户）", unit="户",
                link=lambda ctx: reverse("registry:entity_list") + metrics.query({"status": EntityStatus.ACTIVE}))
def entities_active(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(Entity.objects.filter(status=EntityStatus.ACTIVE), ctx.scope)
    return metrics.count(qs.count())


@metrics.metric("registry.new_entities", "新登记市场主体（户）", unit="户",
                link=lambda ctx: reverse("registry:entity_list"),
                description="成立日期在当年的市场主体（当年截至今日）")
def new_entities(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(Entity.objects.filter(established_on__range=(ctx.start, ctx.end)), ctx.scope)
    return metrics.count(qs.count())
