"""Daily jobs of the portal: the stored public records, the open data dump."""

from __future__ import annotations

from jianguan.core.rules import rule
from jianguan.core.sweep import budget, job

from . import opendata, records, services


@job(995, "public-records", "重建缺失、待更新或含按日期变化内容的公示信息（限时，见规则 portal.records_sweep_minutes、core.sweep_minutes）",
     atomic=False)
def public_records(*, today, stdout) -> dict:
    """Rebuild the stored records that are missing, marked, past their date or carry complaint figures — last, for
    at most ``portal.records_sweep_minutes`` and within the sweep's window (``core.sweep.budget``): the July listing
    marks millions at province scale, and the sweep has to end. Those left are rebuilt when read, by ``jianguan
    publicrecords`` or by the next run. Each chunk commits on its own (so the job is not one transaction), in
    ``portal.records_sweep_workers`` processes on PostgreSQL."""
    seconds = budget(today, rule("portal.records_sweep_minutes", on=today))
    if seconds == 0:  # the window has passed: nothing is built, nothing is stale (a marked record is rebuilt on read)
        return {"built": 0, "left_for_later": 1, "window_closed": 1}
    workers = int(rule("portal.records_sweep_workers", on=today) or 1)
    done = records.rebuild(today=today, seconds=seconds, workers=max(1, workers))
    return {"built": done["built"], "left_for_later": int(done["left"])}


@job(900, "opendata-dump", "生成每日开放数据包", beside=True)
def opendata_dump(*, today, stdout) -> dict:
    """Write today's bulk downloads, once a day (a second run for the same day changes nothing)."""
    manifest = opendata.read_manifest()
    if manifest is not None and manifest.get("date") == today.isoformat():
        return {"already_dumped": 1}
    manifest = services.opendata_dump(actor="sweep", today=today, stdout=stdout)
    return {d["name"]: d["rows"] for d in manifest["datasets"]}
