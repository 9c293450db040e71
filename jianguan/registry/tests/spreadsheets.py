"""Real import files for the tests, written with csv and openpyxl (no mocks): a valid row to start from, and
writers for CSV (any encoding) and Excel (optionally with merged cells)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from jianguan.registry import uscc
from jianguan.registry.importexport import HEADERS
from jianguan.registry.models import Entity

# Far from the factories' and the seeder's serials.
SERIAL_BASE = 900_000


def code(n: int, division: str = "410402", kind_digit: str = "1") -> str:
    return uscc.generate(division, kind_digit, SERIAL_BASE + n)


def row(n: int = 0, **overrides) -> dict[str, str]:
    """A valid row for 新华区西高皇所 (change any column by its header, or by the short names below)."""
    values = {
        "统一社会信用代码": code(n),
        "名称": f"平顶山市导入测试{n}商贸有限公司",
        "主体类型": "有限责任公司",
        "法定代表人/经营者": f"李{n}",
        "证件号码": "410402199001011234",
        "联系电话": "13812345678",
        "注册资本（万元）": "100",
        "成立日期": "2020-05-01",
        "住所": f"平顶山市新华区建设路{n}号",
        "行政区划代码": "410402",
        "监管单位代码": "41040201",
        "登记机关代码": "410402",
        "行业代码": "52",
        "经营范围": "日用百货零售",
        "登记状态": "存续（在业）",
        "状态变更日期": "",
    }
    short = {"uscc": "统一社会信用代码", "name": "名称", "kind": "主体类型", "capital": "注册资本（万元）",
             "established": "成立日期", "division": "行政区划代码", "unit": "监管单位代码", "industry": "行业代码",
             "status": "登记状态", "status_changed": "状态变更日期"}
    for key, value in overrides.items():
        values[short.get(key, key)] = value
    return values


def as_lists(rows: list[dict | None], headers=HEADERS) -> list[list]:
    """Header row + data rows; ``None`` in ``rows`` is a blank row."""
    out = [list(headers)]
    for r in rows:
        out.append([""] * len(headers) if r is None else [r.get(h, "") for h in headers])
    return out


def write_csv(path: Path, rows: list[dict | None], *, encoding: str = "utf-8-sig", headers=HEADERS) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(as_lists(rows, headers))
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[dict | None], *, headers=HEADERS, merge: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "市场主体"
    for values in as_lists(rows, headers):
        ws.append([v if v != "" else None for v in values])
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def snapshot() -> list[tuple]:
    """Every entity as its stored values (without ids and timestamps): what 'the database as it was' means."""
    fields = [f.attname for f in Entity._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]
    return sorted(Entity.objects.values_list(*fields))
