"""Risk classification on Dask (#23): ``jianguan risk recompute --engine dask``.

The indicators stay what they are — set-based SQL run by the database that holds the data (``risk.recompute``
fills ``credit_tmp_factor`` with one row per entity and indicator that scores). What this engine moves to the cluster
is the step from those rows to every active entity's score, class and reasons: the rows are read in entity order
through a server-side cursor and written as Parquet parts of about ``part_rows`` rows, never cutting an entity; each
part is scored by a worker as soon as it is written; the results are loaded into the staging table, and the writes
that follow (history only on change, upsert only of changed rows, removal of inactive entities) are the same SQL as
the single-machine path — so the tables end up identical (``tests/test_risk_dask.py``).

The worker side (``classify_part``) imports neither Django nor the database: only pyarrow.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

PART_ROWS = 1_000_000


def _class(score: int, thresholds: dict[str, int]) -> str:
    if score >= thresholds["D"]:
        return "D"
    if score >= thresholds["C"]:
        return "C"
    if score >= thresholds["B"]:
        return "B"
    return "A"


def classify_part(path: str, thresholds: dict[str, int]) -> list[tuple[int, int, str, str]]:
    """(entity id, score, class, reasons as JSON text) of every entity of a part — what the SQL aggregate gives:
    reasons ordered by points (highest first), then code; keys code, label, points, detail; [] when none scores."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    out: list[tuple[int, int, str, str]] = []
    current, reasons = None, []

    def close() -> None:
        reasons.sort(key=lambda reason: (-reason["points"], reason["code"]))
        score = sum(reason["points"] for reason in reasons)
        text = json.dumps(reasons, ensure_ascii=False, separators=(",", ":"))
        out.append((current, score, _class(score, thresholds), text))

    columns = [table[name].to_pylist() for name in ("entity_id", "points", "code", "label", "detail")]
    for entity_id, points, code, label, detail in zip(*columns):
        if entity_id != current:
            if current is not None:
                close()
            current, reasons = entity_id, []
        if points is not None:
            reasons.append({"code": code, "label": label, "points": points, "detail": detail})
    if current is not None:
        close()
    return out


class Classifier:
    """``risk.recompute(classify=Classifier(client))``: the per-entity scoring on a Dask cluster."""

    def __init__(self, client, *, part_rows: int = PART_ROWS, scratch: str | None = None,
                 progress: Callable[[str, int, int], None] = lambda *a: None) -> None:
        self.client = client
        self.part_rows = part_rows
        self.scratch = scratch or os.environ.get("JIANGUAN_DASK_SCRATCH") or None
        self.progress = progress
        self.parts = 0

    def __call__(self, cur, table: str, thresholds: dict[str, int], entity_filter: tuple[str, list]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq
        from distributed import as_completed
        from django.db import connection

        from .risk import FACTORS

        postgres = connection.vendor == "postgresql"
        cur.execute(f"CREATE TEMPORARY TABLE {table} (entity_id BIGINT NOT NULL, score BIGINT NOT NULL, "
                    f"risk_class VARCHAR(1) NOT NULL, reasons {'JSONB' if postgres else 'TEXT'} NOT NULL)")
        folder = Path(tempfile.mkdtemp(prefix="jianguan-risk-", dir=self.scratch))
        schema = pa.schema([("entity_id", pa.int64()), ("points", pa.int64()), ("code", pa.string()),
                            ("label", pa.string()), ("detail", pa.string())])
        futures = []
        try:
            where, params = entity_filter
            reader = connection.chunked_cursor()  # server-side on PostgreSQL: the rows stream, a part at a time
            try:
                reader.execute(
                    f"SELECT e.id, f.points, f.code, f.label, f.detail FROM registry_entity e "
                    f"LEFT JOIN {FACTORS} f ON f.entity_id = e.id WHERE e.status = 'active'{where} "
                    "ORDER BY e.id", params)
                rows: list[tuple] = []

                def write(part: list[tuple]) -> None:
                    path = folder / f"part-{len(futures):06d}.parquet"
                    pq.write_table(pa.table(list(map(list, zip(*part))), schema=schema), path)
                    futures.append(self.client.submit(classify_part, str(path), thresholds, pure=False))

                while True:
                    batch = reader.fetchmany(50_000)
                    rows += batch
                    if not batch:
                        if rows:
                            write(rows)
                        break
                    while len(rows) > self.part_rows:  # cut at the first change of entity once a part is full
                        cut = self.part_rows
                        while cut < len(rows) and rows[cut][0] == rows[cut - 1][0]:
                            cut += 1
                        if cut == len(rows):
                            break  # this entity may go on in the next batch
                        write(rows[:cut])
                        rows = rows[cut:]
            finally:
                reader.close()
            self.parts = len(futures)
            insert = (f"INSERT INTO {table} (entity_id, score, risk_class, reasons) VALUES (%s, %s, %s, "
                      f"{'CAST(%s AS JSONB)' if postgres else '%s'})")
            self.progress("信用风险分类（各分片计分）", 0, len(futures))
            for done, future in enumerate(as_completed(futures), 1):
                cur.executemany(insert, future.result())
                future.release()
                self.progress("信用风险分类（各分片计分）", done, len(futures))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
