"""Daily job of drug supervision: review deadlines computed 暂定 (a year whose holidays were not entered) are
recomputed once the year is entered, and the late-report flag of reports waiting for review follows the reporting
period rule as it now stands. Idempotent."""

from __future__ import annotations

from jianguan.core.sweep import job

from . import services


@job(620, "drugs-event-clocks", "录入节假日安排后重算不良反应/事件报告的暂定审核评价期限")
def event_clocks(*, today, stdout) -> dict:
    return {"recomputed": services.recompute_provisional(today=today),
            "late_rechecked": services.recheck_late_reports()}
