"""Daily jobs of food safety supervision (``jianguan sweep``); idempotent."""

from __future__ import annotations

import datetime as dt

from jianguan.core.sweep import job

from . import services


@job(730, "food-expiries", "食品三小登记过有效期的，状态改为“已过期”")
def expire(*, today: dt.date, stdout) -> dict[str, int]:
    return {"smalls_expired": services.small_expire(actor="sweep", today=today)}
