"""Daily job of the sampling flow. Idempotent: a sample that already has a lead is skipped."""

from __future__ import annotations

from jianguan.core.sweep import job

from . import services


@job(520, "sampling-rectification-overdue", "整改期满仍未整改的抽检不合格样品移送执法线索")
def overdue(*, today, stdout) -> dict:
    return {"leads": services.overdue_rectifications(today=today)}
