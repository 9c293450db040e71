"""Daily job of the dashboard: its aggregates recomputed for the city and every district. Run it more often
(``jianguan sweep --only dashboard-refresh`` from cron every few minutes) to keep every page view on warm data."""

from __future__ import annotations

from jianguan.core.sweep import job

from . import services


@job(950, "dashboard-refresh", "重新统计领导驾驶舱（全市及各县区）", after=("credit-risk-reclassify",))
def refresh(*, today, stdout) -> dict:
    return {"panels": services.refresh_all(today=today)}
