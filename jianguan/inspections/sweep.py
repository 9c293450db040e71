"""Daily jobs of inspections (see ``jianguan.core.sweep``)."""

from jianguan.core.sweep import job

from . import services


@job(400, "inspections-results", "公示已确认的检查结果、标记逾期任务")
def results(*, today, stdout) -> dict[str, int]:
    """公示已确认的抽查结果，标记逾期未录入的任务，补算日历录入后才能确定的期限。"""
    return services.sweep(today=today)
