"""Daily jobs of enforcement (``jianguan sweep``). Each is idempotent: a second run on the same day changes nothing."""

from jianguan.core.sweep import job

from . import services


@job(600, "enforcement-lead-deadlines", "补算案源立案决定期限")
def lead_deadlines(*, today, stdout) -> dict[str, int]:
    """补算日历录入后才能确定的案源立案决定期限。"""
    return {"deadlines_filled": services.fill_missing_deadlines()}


@job(610, "enforcement-clocks", "执法期限：顺延中止中的期限，标记超期线索、案件、查封扣押和逾期缴款")
def clocks(*, today, stdout) -> dict[str, int]:
    return services.sweep_clocks(today=today)
