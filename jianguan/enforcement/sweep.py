"""Daily jobs of enforcement (see ``jianguan.core.sweep``)."""

from jianguan.core.sweep import job

from . import services


@job(600, "enforcement-lead-deadlines", "补算案源立案决定期限")
def lead_deadlines(*, today, stdout) -> dict[str, int]:
    """补算日历录入后才能确定的案源立案决定期限。"""
    return {"deadlines_filled": services.fill_missing_deadlines()}
