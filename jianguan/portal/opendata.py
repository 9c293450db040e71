"""Bulk downloads (数据包): one gzip'd CSV and one gzip'd JSON Lines file per dataset, plus ``manifest.json``
(row counts, sizes, SHA-256, generation time), written daily under ``JIANGUAN_VAR_DIR/opendata/current/``.

Rows stream from a server-side cursor to the compressor: memory stays flat whatever the size of the register.
A dump is written into a fresh directory and swapped in whole, so a download never sees half a dump. The fields
are those of ``portal.public`` (individual businesses' operators masked; no ID numbers, phones or e-mails).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from jianguan.registry.models import EntityKind, EntityStatus

from .public import mask_person_name

CHUNK = 5000
COMPRESSLEVEL = 3  # level 3 is ~2.5× faster than the default 9 for ~10 % larger files


def root() -> Path:
    return Path(settings.VAR_DIR) / "opendata"


def current_dir() -> Path:
    return root() / "current"


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[dt.date], Iterator[tuple]] | None = None
    available: Callable[[], bool] = lambda: True


def _d(value) -> str:
    return value.isoformat() if value else ""


_KIND = dict(EntityKind.choices)
_STATUS = dict(EntityStatus.choices)
_INDIVIDUAL = EntityKind.INDIVIDUAL.value


def _entities(today: dt.date) -> Iterator[tuple]:
    from jianguan.registry.models import Entity

    qs = Entity.objects.order_by("id").values_list(
        "uscc", "name", "kind", "legal_rep", "registered_capital", "established_on", "address", "division_id",
        "division__name", "industry_id", "registration_authority__name", "business_scope", "status",
        "status_changed_on")
    for (code, name, kind, rep, capital, est, address, div, div_name, industry, authority, scope, status,
         changed) in qs.iterator(chunk_size=CHUNK):
        yield (code, name, kind, _KIND.get(kind, kind), mask_person_name(rep) if kind == _INDIVIDUAL else rep,
               "" if capital is None else str(capital), _d(est), address, div, div_name, industry, authority, scope,
               status, _STATUS.get(status, status), _d(changed))


def _list_rows(kinds) -> Callable[[dt.date], Iterator[tuple]]:
    def rows(today: dt.date) -> Iterator[tuple]:
        from jianguan.credit.models import EntryStatus, Ground, ListEntry, ListKind

        grounds, lists = dict(Ground.choices), dict(ListKind.choices)
        qs = (ListEntry.objects.filter(list_kind__in=kinds, listed_on__isnull=False,
                                       status__in=(EntryStatus.ACTIVE, EntryStatus.REMOVED))
              .order_by("id").values_list("entity__uscc", "entity__name", "list_kind", "ground", "listed_on",
                                          "decision_no", "deciding_unit__name", "status", "removed_on",
                                          "removal_reason", "removal_no"))
        for code, name, lk, ground, listed, no, unit, status, removed, reason, rno in qs.iterator(chunk_size=CHUNK):
            yield (code, name, lk, lists.get(lk, lk), ground, grounds.get(ground, ground), _d(listed), no, unit,
                   "1" if status == EntryStatus.ACTIVE else "0", _d(removed), reason, rno)

    return rows


def _inspection_results(today: dt.date) -> Iterator[tuple]:
    from jianguan.inspections.models import ItemResult, ResultCategory, TaskStatus

    labels = dict(ResultCategory.choices)
    qs = (ItemResult.objects.filter(task__status=TaskStatus.PUBLISHED).order_by("task_id", "id")
          .values_list("task__entity__uscc", "task__entity__name", "task__batch__plan__code",
                       "task__batch__plan__title", "task__batch__number", "task__batch__plan__unit__name",
                       "item__code", "item__name", "category", "task__inspected_on", "task__published_at"))
    for code, name, plan, title, batch, unit, item_code, item, cat, inspected, published in qs.iterator(
            chunk_size=CHUNK):
        yield (code, name, plan, title, batch, unit, item_code, item, cat, labels.get(cat, cat), _d(inspected),
               _d(published.date() if published else None))


# --- penalties: only when the enforcement app publishes them -----------------------------------------------------
# The enforcement app keeps a masked public snapshot of each published penalty (``enforcement.Publication``) and a
# ``publication.shown(today)`` selector for what is shown today (SAMR Order 45: light penalties 3 months, others
# 3 years). Both are looked up at run time: until they exist, the dataset is skipped.

PENALTY_COLUMNS = ("decision_no", "party_name", "uscc", "legal_rep", "authority_name", "case_type", "kinds",
                   "fine_amount", "confiscated_amount", "facts", "legal_basis", "content", "decided_on",
                   "published_on", "ends_on")


def _penalty_source():
    """``publication.shown`` when the enforcement app provides it and its model has the public columns."""
    import importlib

    from django.apps import apps

    try:
        model = apps.get_model("enforcement", "Publication")
        shown = importlib.import_module("jianguan.enforcement.publication").shown
    except (LookupError, ImportError, AttributeError):
        return None
    names = {f.name for f in model._meta.get_fields()}
    return shown if set(PENALTY_COLUMNS) <= names else None


def _penalties(today: dt.date) -> Iterator[tuple]:
    shown = _penalty_source()
    qs = shown(today).order_by("id").values_list(*PENALTY_COLUMNS)
    for row in qs.iterator(chunk_size=CHUNK):
        # Amounts as their exact decimal text (as in the entities' capital), never a float.
        yield tuple(_d(v) if isinstance(v, dt.date) else "" if v is None else str(v) if isinstance(v, Decimal)
                    else v for v in row)


DATASETS: list[Dataset] = [
    Dataset("entities", "市场主体登记信息", "全部市场主体的公示登记信息（个体工商户经营者姓名已脱敏）",
            ("uscc", "name", "kind", "kind_label", "legal_rep", "registered_capital", "established_on", "address",
             "division", "division_name", "industry", "registration_authority", "business_scope", "status",
             "status_label", "status_changed_on"), _entities),
    Dataset("abnormal", "经营异常名录", "列入（含已移出）经营异常名录及个体工商户经营异常状态的记录",
            ("uscc", "name", "list", "list_label", "ground", "ground_label", "listed_on", "decision_no",
             "deciding_unit", "current", "removed_on", "removal_reason", "removal_no"),
            _list_rows(("abnormal", "abnormal_status"))),
    Dataset("serious", "严重违法失信名单", "列入（含已移出）严重违法失信名单的记录",
            ("uscc", "name", "list", "list_label", "ground", "ground_label", "listed_on", "decision_no",
             "deciding_unit", "current", "removed_on", "removal_reason", "removal_no"), _list_rows(("serious",))),
    Dataset("inspection_results", "双随机抽查结果", "已公示的抽查结果，每个抽查事项一行",
            ("uscc", "name", "plan", "plan_title", "batch", "inspecting_unit", "item_code", "item", "category",
             "category_label", "inspected_on", "published_on"), _inspection_results),
    Dataset("penalties", "行政处罚信息", "公示期内的行政处罚信息（自然人、个体经营者姓名已脱敏）", PENALTY_COLUMNS,
            _penalties, available=lambda: _penalty_source() is not None),
]


# --- writing ------------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _open_gz(path: Path):
    raw = gzip.open(path, "wb", compresslevel=COMPRESSLEVEL)
    return raw, io.TextIOWrapper(io.BufferedWriter(raw, 1 << 20), encoding="utf-8", newline="")


def write_dataset(ds: Dataset, directory: Path, today: dt.date) -> dict:
    columns = ds.columns
    csv_path, jsonl_path = directory / f"{ds.name}.csv.gz", directory / f"{ds.name}.jsonl.gz"
    csv_raw, csv_text = _open_gz(csv_path)
    js_raw, js_text = _open_gz(jsonl_path)
    count = 0
    try:
        writer = csv.writer(csv_text, lineterminator="\n")
        writer.writerow(columns)
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        write_json = js_text.write
        writerow = writer.writerow
        for row in ds.rows(today):
            writerow(row)
            write_json(dumps(dict(zip(columns, row))))
            write_json("\n")
            count += 1
    finally:
        csv_text.close()
        js_text.close()
        csv_raw.close()
        js_raw.close()
    files = [{"name": p.name, "format": fmt, "bytes": p.stat().st_size, "sha256": _sha256(p),
              "url": f"/open-data/files/{p.name}"}
             for p, fmt in ((csv_path, "csv"), (jsonl_path, "jsonl"))]
    return {"name": ds.name, "label": ds.label, "description": ds.description, "columns": list(columns),
            "rows": count, "files": files}


def _audit_anchor() -> dict | None:
    from jianguan.core.audit import latest_anchor

    return latest_anchor()


def dump(*, today: dt.date | None = None, directory: Path | None = None, stdout=None) -> dict:
    """Write every available dataset and the manifest, then swap the new dump in. Returns the manifest."""
    today = today or timezone.localdate()
    target = directory or current_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{target.name}-{os.getpid()}-{time.monotonic_ns()}"
    tmp.mkdir()
    started = time.monotonic()
    try:
        datasets, skipped = [], []
        for ds in DATASETS:
            if not ds.available():
                skipped.append({"name": ds.name, "reason": "数据来源模块尚未提供公示数据"})
                continue
            t0 = time.monotonic()
            entry = write_dataset(ds, tmp, today)
            entry["seconds"] = round(time.monotonic() - t0, 2)
            datasets.append(entry)
            if stdout is not None:
                stdout.write(f"  {ds.name}: {entry['rows']:,} 行，{entry['seconds']} 秒")
        manifest = {"date": today.isoformat(), "generated_at": timezone.now().isoformat(timespec="seconds"),
                    "seconds": round(time.monotonic() - started, 2), "licence": "公开数据，可自由使用，请注明来源",
                    "datasets": datasets, "skipped": skipped,
                    "audit_anchor": _audit_anchor()}  # the audit chain's signed head, published (#14)
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        old = target.parent / f".old-{target.name}-{os.getpid()}-{time.monotonic_ns()}"
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def read_manifest(directory: Path | None = None) -> dict | None:
    path = (directory or current_dir()) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def file_path(name: str) -> Path | None:
    """The path of a file of the current dump, only if the manifest lists it (no path tricks possible)."""
    manifest = read_manifest()
    if manifest is None:
        return None
    names = {"manifest.json"} | {f["name"] for d in manifest["datasets"] for f in d["files"]}
    if name not in names:
        return None
    path = current_dir() / name
    return path if path.is_file() else None
