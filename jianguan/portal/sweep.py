"""Daily jobs of the portal: the stored public records, the open data dump."""

from __future__ import annotations

from jianguan.core.sweep import job

from . import opendata, records, services


@job(880, "public-records", "重建缺失、待更新或含按日期变化内容的公示信息")
def public_records(*, today, stdout) -> dict:
    """Rebuild the stored records that are missing, marked, past their date or carry complaint figures."""
    return {"built": records.rebuild(today=today)["built"]}


@job(900, "opendata-dump", "生成每日开放数据包")
def opendata_dump(*, today, stdout) -> dict:
    """Write today's bulk downloads, once a day (a second run for the same day changes nothing)."""
    manifest = opendata.read_manifest()
    if manifest is not None and manifest.get("date") == today.isoformat():
        return {"already_dumped": 1}
    manifest = services.opendata_dump(actor="sweep", today=today, stdout=stdout)
    return {d["name"]: d["rows"] for d in manifest["datasets"]}
