"""Daily jobs of the portal: the open data dump."""

from __future__ import annotations

from jianguan.core.sweep import job

from . import opendata, services


@job(900, "opendata-dump", "生成每日开放数据包")
def opendata_dump(*, today, stdout) -> dict:
    """Write today's bulk downloads, once a day (a second run for the same day changes nothing)."""
    manifest = opendata.read_manifest()
    if manifest is not None and manifest.get("date") == today.isoformat():
        return {"already_dumped": 1}
    manifest = services.opendata_dump(actor="sweep", today=today, stdout=stdout)
    return {d["name"]: d["rows"] for d in manifest["datasets"]}
