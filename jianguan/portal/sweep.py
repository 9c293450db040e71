"""Daily jobs of the portal: the stored public records, the open data dump."""

from __future__ import annotations

from jianguan.core.rules import rule
from jianguan.core.sweep import job

from . import opendata, records, services


@job(880, "public-records", "重建缺失、待更新或含按日期变化内容的公示信息（限时，见规则 portal.records_sweep_minutes）",
     atomic=False)
def public_records(*, today, stdout) -> dict:
    """Rebuild the stored records that are missing, marked, past their date or carry complaint figures — for at most
    ``portal.records_sweep_minutes``: the July listing marks millions at province scale, and the sweep has to end.
    Those left are rebuilt when read, or by the next run. Each chunk commits on its own (so the job is not one
    transaction), in ``portal.records_sweep_workers`` processes on PostgreSQL."""
    minutes = rule("portal.records_sweep_minutes", on=today)
    workers = int(rule("portal.records_sweep_workers", on=today) or 1)
    done = records.rebuild(today=today, seconds=minutes * 60 if minutes else None, workers=max(1, workers))
    return {"built": done["built"], "left_for_later": int(done["left"])}


@job(900, "opendata-dump", "生成每日开放数据包", beside=True)
def opendata_dump(*, today, stdout) -> dict:
    """Write today's bulk downloads, once a day (a second run for the same day changes nothing)."""
    manifest = opendata.read_manifest()
    if manifest is not None and manifest.get("date") == today.isoformat():
        return {"already_dumped": 1}
    manifest = services.opendata_dump(actor="sweep", today=today, stdout=stdout)
    return {d["name"]: d["rows"] for d in manifest["datasets"]}
