"""Food figures for plan targets and the dashboard (the work plan's metric registry)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jianguan.registry.models import Entity, EntityStatus
from jianguan.workplan import metrics

from . import services
from .models import GradingInspection


@metrics.metric("food.catering_graded", "餐饮服务量化分级覆盖率", unit="%",
                link=lambda ctx: reverse("food:gradings"),
                description="存续的餐饮服务提供者（行业 62）中，当年至少接受一次量化分级检查的比例")
def catering_graded(ctx: metrics.Context) -> metrics.Reading:
    caterers = metrics.within(Entity.objects.filter(industry_id=services.CATERING_INDUSTRY,
                                                    status=EntityStatus.ACTIVE), ctx.scope, "unit")
    graded = GradingInspection.objects.filter(inspected_on__gte=dt.date(ctx.year, 1, 1),
                                              inspected_on__lte=dt.date(ctx.year, 12, 31)).values("entity_id")
    return metrics.ratio(caterers.filter(pk__in=graded).count(), caterers.count())
