"""Special equipment figures for plan targets and the dashboard (the work plan's metric registry)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.workplan import metrics

from . import selectors
from .models import Device, DeviceStatus


@metrics.metric("equipment.inspected_on_time", "特种设备按期检验率", unit="%",
                link=lambda ctx: reverse("equipment:due") + metrics.query({"which": "overdue"}),
                description="当年到期的定期检验（自行检测）中，在下次检验日期之前完成的比例")
def inspected_on_time(ctx: metrics.Context) -> metrics.Reading:
    figure = selectors.devices_inspected_on_time_rate(ctx.scope, ctx.year)
    return metrics.ratio(figure["on_time"], figure["due"])


@metrics.metric("equipment.overdue", "超期未检特种设备", unit="台", better="lower",
                link=lambda ctx: reverse("equipment:due") + metrics.query({"which": "overdue"}),
                description="在用且已过下次检验日期的设备台数（当日）")
def overdue(ctx: metrics.Context) -> metrics.Reading:
    qs = metrics.within(Device.objects.filter(status=DeviceStatus.IN_USE, next_due__lt=ctx.today), ctx.scope)
    return metrics.count(qs.count())
