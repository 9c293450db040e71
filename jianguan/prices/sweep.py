"""Daily job of price monitoring: an alert whose outlet stopped reporting the goods ends once the comparison window
has passed without a too-high report (it cannot stay open for ever). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jianguan.core import audit
from jianguan.core.sweep import job

from .models import PriceAlert


@job(640, "prices-stale-alerts", "监测点不再报送的价格异常预警在比较期满后结束")
def stale_alerts(*, today, stdout) -> dict:
    ended = 0
    with transaction.atomic():
        for alert in PriceAlert.objects.select_for_update().filter(ended_on__isnull=True):
            if alert.last_on + dt.timedelta(days=alert.window_days) < today:
                alert.ended_on = alert.last_on + dt.timedelta(days=alert.window_days)
                alert.save(update_fields=["ended_on"])
                ended += 1
        if ended:
            audit.record(actor="sweep", action="prices.alert.stale_ended", object_type="prices.pricealert",
                         object_repr=f"{ended} 条价格异常预警到期结束", changes={"ended": [None, ended]})
    return {"ended": ended}
