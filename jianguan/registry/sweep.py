"""Registry daily jobs."""

from __future__ import annotations

import datetime as dt

from jianguan.core.sweep import job

#: Import problem reports hold personal data from the uploaded file; they are for the import just done.
REPORT_KEEP_DAYS = 7


@job(120, "registry-import-reports", "删除 7 天前的批量导入问题行报告（含个人信息，不长期留存）")
def purge_import_reports(*, today: dt.date, stdout) -> dict[str, int]:
    from .importviews import _reports_dir

    cutoff = dt.datetime.combine(today - dt.timedelta(days=REPORT_KEEP_DAYS), dt.time()).timestamp()
    removed = 0
    for path in _reports_dir().glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return {"removed": removed}
