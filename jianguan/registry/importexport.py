"""Import and export of market entities (市场主体) as Excel (.xlsx) or CSV — one column spec for both directions,
so a file written by :func:`export_entities` imports back unchanged.

The rules an import follows (the workbench page and ``jianguan import entities --help`` say the same):

- Row 1 holds the headers of :data:`COLUMNS` (any order; a few common aliases are accepted). Unknown, missing
  required or duplicate headers stop the import before any row is read. Blank rows are skipped and listed as
  skipped, not as errors.
- CSV: UTF-8 with or without BOM. A file in GBK/GB18030 — what Excel's plain "CSV" writes on Chinese Windows — is
  *detected and read as GB18030, with a warning*: refusing it would send every clerk back to Excel for nothing, and
  the header check stops a file whose encoding was guessed wrong. UTF-16 ("Unicode text") is refused with a hint.
- Excel: the sheet named 市场主体, else the first. Merged cells stop the import (a merged block leaves all but its
  first cell empty, so rows would be read wrong); they are found by scanning the sheet's XML for ``<mergeCell>``
  because openpyxl's read-only mode (needed for big files) does not expose them.
- Every row is validated fully. Problems come back as {row, column, letter, value, message}, in Chinese.
- Codes (统一社会信用代码): wrong length or characters → row error; a well-formed code failing a check (check
  characters, authority, type, or a type digit that contradicts 主体类型) → the row is imported and *flagged*:
  ``Entity.uscc_problem`` holds the reason for a person to review. Never dropped, never "corrected".
- A code that appears twice in the file is an error on the second row. A code already in the registry is an error
  unless ``update=True``, which updates that entity (changed fields only, recorded as a 数据导入 history entry;
  a status change must be one the registry allows, e.g. not 注销 → 存续).
- All or nothing by default: one transaction, rolled back if any row has an error. ``dry_run`` validates and
  writes nothing; ``skip_invalid`` writes the good rows and reports the rest (a report file of the bad rows with
  a 问题说明 column, which re-imports once fixed: the importer ignores the 原行号 and 问题说明 columns).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone

from jianguan.core import audit, crypto
from jianguan.core.models import Division, OrgUnit
from jianguan.core.scope import scope_for

from . import bulk, uscc
from .masking import redact_changes
from .models import Entity, EntityChange, EntityKind, EntityStatus, Industry
from .services import TRANSITIONS

# --- The column spec --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 14  # Excel column width on export


COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "uscc", True, ("社会信用代码", "信用代码", "统一代码"), 22),
    Column("名称", "name", True, ("企业名称", "主体名称", "市场主体名称"), 36),
    Column("主体类型", "kind", True, ("企业类型", "市场主体类型", "类型"), 14),
    Column("法定代表人/经营者", "legal_rep", True, ("法定代表人", "经营者", "负责人", "法定代表人（负责人）"), 12),
    Column("证件号码", "legal_rep_id_no", False, ("身份证号码", "身份证号", "法定代表人证件号码"), 22),
    Column("联系电话", "phone", False, ("电话", "联系方式", "手机号码"), 14),
    Column("注册资本（万元）", "registered_capital", False, ("注册资本", "注册资金", "资金数额（万元）"), 14),
    Column("成立日期", "established_on", True, ("设立日期",), 12),
    Column("住所", "address", True, ("住所（经营场所）", "经营场所", "地址"), 40),
    Column("行政区划代码", "division", True, ("区划代码",), 12),
    Column("监管单位代码", "unit", True, (), 14),
    Column("登记机关代码", "registration_authority", False, (), 14),
    Column("行业代码", "industry", True, ("国民经济行业代码",), 10),
    Column("经营范围", "business_scope", False, (), 50),
    Column("登记状态", "status", False, ("经营状态", "企业状态"), 12),
    Column("状态变更日期", "status_changed_on", False, (), 12),
)
HEADERS = tuple(c.header for c in COLUMNS)
#: Columns of our own problem report: ignored on import so a fixed report can be imported as it is.
REPORT_ROW_HEADER, REPORT_REASON_HEADER = "原行号", "问题说明"
IGNORED_HEADERS = {REPORT_ROW_HEADER, REPORT_REASON_HEADER}
SHEET_TITLE = "市场主体"
FORMATS = ("xlsx", "csv")
#: Rows per validation/DB batch: one query for existing codes, one COPY/INSERT per batch.
BATCH = 5000
#: Problems kept in memory for display; counts stay exact and the report file has every bad row.
KEEP_PROBLEMS = 10_000
EARLIEST_DATE = dt.date(1949, 10, 1)
#: Imports creating at least this many entities refresh the tables' statistics before COMMIT (PostgreSQL).
ANALYZE_FROM = 10_000

_PAREN = str.maketrans({"(": "（", ")": "）", " ": None, "\u3000": None, "\t": None, "\n": None, "\r": None,
                        "\ufeff": None})


def _header_key(text: str) -> str:
    return str(text or "").translate(_PAREN).strip()


_HEADER_LOOKUP: dict[str, Column] = {}
for _col in COLUMNS:
    for _name in (_col.header, *_col.aliases):
        _HEADER_LOOKUP[_header_key(_name)] = _col


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- Labels -----------------------------------------------------------------------------------------------------

KIND_LABELS = {value: label for value, label in EntityKind.choices}
STATUS_LABELS = {value: label for value, label in EntityStatus.choices}
_KIND_BY_TEXT = {_header_key(label): value for value, label in EntityKind.choices} | {
    v: v for v in EntityKind.values} | {_header_key(k): v for k, v in {
        "有限公司": "llc", "股份公司": "joint_stock", "个人独资": "sole", "合伙": "partnership",
        "普通合伙企业": "partnership", "有限合伙企业": "partnership", "特殊普通合伙企业": "partnership",
        "分支机构": "branch", "外资企业": "foreign", "外商投资": "foreign", "个体": "individual",
        "个体户": "individual", "专业合作社": "cooperative", "农民合作社": "cooperative",
        "农民专业合作社联合社": "cooperative"}.items()}
_STATUS_BY_TEXT = {_header_key(label): value for value, label in EntityStatus.choices} | {
    v: v for v in EntityStatus.values} | {_header_key(k): v for k, v in {
        "存续": "active", "在业": "active", "开业": "active", "在营": "active", "存续(在业)": "active",
        "吊销未注销": "revoked", "吊销，未注销": "revoked", "吊销,未注销": "revoked", "已注销": "deregistered",
        "已吊销": "revoked", "已撤销": "cancelled", "已迁出": "moved_out"}.items()}


def kind_from_text(text: str) -> str | None:
    """The EntityKind value for a label as staff write it ("有限责任公司（自然人独资）" → llc), or None."""
    key = _header_key(text)
    if key in _KIND_BY_TEXT:
        return _KIND_BY_TEXT[key]
    if not key:
        return None
    if any(w in key for w in ("外商", "外国", "台港澳", "中外合资", "中外合作")):
        return EntityKind.FOREIGN
    if key.endswith("分公司") or "分支机构" in key:
        return EntityKind.BRANCH
    for prefix, value in (("有限责任公司", EntityKind.LLC), ("股份有限公司", EntityKind.JOINT_STOCK),
                          ("个人独资企业", EntityKind.SOLE_PROPRIETORSHIP), ("合伙企业", EntityKind.PARTNERSHIP),
                          ("个体工商户", EntityKind.INDIVIDUAL), ("农民专业合作社", EntityKind.COOPERATIVE)):
        if key.startswith(prefix):
            return value
    return None


def status_from_text(text: str) -> str | None:
    return _STATUS_BY_TEXT.get(_header_key(text))


# --- Results ----------------------------------------------------------------------------------------------------


@dataclass
class Problem:
    """One problem of an import. ``row`` is the spreadsheet row (the header is row 1); ``column`` the header."""

    row: int | None
    column: str
    letter: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        if self.column:
            where += f" {self.letter}列「{self.column}」" if self.letter else f"「{self.column}」"
        value = f"（值：{self.value}）" if self.value not in ("", None) else ""
        return f"{where}：{self.message}{value}"


@dataclass
class ImportResult:
    file_name: str
    sha256: str = ""
    size: int = 0
    format: str = ""
    dry_run: bool = False
    skip_invalid: bool = False
    update: bool = False
    rows: int = 0  # data rows read (blank rows not counted)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    invalid_rows: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)
    skipped_blank: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fatal: bool = False  # the file could not be read as an entity list at all
    written: bool = False
    report_path: str = ""
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 all good; 1 some rows invalid; 2 the file could not be read."""
        return 2 if self.fatal else 1 if self.problem_count else 0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < KEEP_PROBLEMS:
            self.problems.append(problem)

    def summary(self) -> str:
        """One Chinese paragraph for the command line and the workbench."""
        if self.fatal:
            return f"文件「{self.file_name}」无法导入：" + "；".join(p.message for p in self.problems[:3])
        parts = [f"共读取 {self.rows} 行数据"]
        if self.skipped_blank:
            parts.append(f"跳过空行 {len(self.skipped_blank)} 行")
        if self.invalid_rows:
            parts.append(f"{self.invalid_rows} 行有错误（{self.problem_count} 处问题）")
        if self.dry_run:
            verb = "校验通过，可以导入" if not self.invalid_rows else "未写入（仅校验）"
            parts.append(verb)
        elif self.written:
            parts.append(f"新增 {self.created} 户")
            if self.update:
                parts.append(f"更新 {self.updated} 户，无变化 {self.unchanged} 户")
        else:
            parts.append("未写入任何数据（全部有效才导入；可修正后重试，或选择“跳过错误行”）")
        if self.flagged:
            if self.written:
                parts.append(f"{self.flagged} 户的统一社会信用代码未通过校验，已导入并标记待复核")
            else:
                parts.append(f"{self.flagged} 户的统一社会信用代码未通过校验（导入时将保留原代码并标记待复核）")
        return "，".join(parts) + "。"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["exit_code"] = self.exit_code
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ImportResult:
        data = dict(data)
        data.pop("exit_code", None)
        data["problems"] = [Problem(**p) for p in data.get("problems", [])]
        data["flags"] = [Problem(**p) for p in data.get("flags", [])]
        return cls(**data)


class FileProblem(Exception):
    """The file cannot be read as an entity list (exit code 2)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or [Problem(None, "", "", "", message)]


class _Bad(Exception):
    """A cell's value is invalid; the message says why (Chinese)."""


# --- Reading files ----------------------------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MERGE_RE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?)"')
_CELL_RE = re.compile(r"([A-Z]+)([0-9]+)")


def _letters_to_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def detect_format(name: str, head: bytes) -> str:
    """'xlsx' or 'csv' from the file's first bytes and its name; FileProblem for anything else."""
    suffix = Path(name).suffix.lower()
    if head.startswith(_OLE_MAGIC):
        raise FileProblem("不支持 .xls（Excel 97-2003）格式或受密码保护的工作簿：请在 Excel 中另存为 .xlsx（Excel 工作簿）后再导入")
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if suffix in (".xlsx", ".xlsm"):
        raise FileProblem("文件扩展名为 .xlsx，但内容不是 Excel 工作簿（文件可能已损坏）")
    if suffix in (".csv", ".txt", ""):
        return "csv"
    raise FileProblem(f"不支持 {suffix} 文件：只能导入 .xlsx 或 .csv 文件")


def merged_ranges(fh: IO[bytes], member: str) -> list[str]:
    """The merged-cell ranges of one worksheet, found by streaming its XML (works for sheets of any size)."""
    found: dict[str, None] = {}
    fh.seek(0)
    with zipfile.ZipFile(fh) as zf, zf.open(member.lstrip("/")) as xml:
        tail = b""
        while chunk := xml.read(1 << 20):
            buf = tail + chunk
            for m in _MERGE_RE.finditer(buf):
                found[m.group(1).decode()] = None
            tail = buf[-256:]  # a tag cut at the chunk boundary is found again in the next buffer
    return list(found)


@dataclass
class _Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list]]  # (row number, values)
    warnings: list[str]
    close: Callable[[], None]


def _open_xlsx(fh: IO[bytes]) -> _Sheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    fh.seek(0)
    try:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileProblem(f"无法读取 Excel 文件（文件可能已损坏或不是 .xlsx 格式）：{exc}") from None
    warnings = []
    sheets = [ws for ws in wb.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        wb.close()
        raise FileProblem("工作簿中没有工作表")
    ws = next((s for s in sheets if s.title == SHEET_TITLE), sheets[0])
    if len(sheets) > 1:
        warnings.append(f"工作簿有 {len(sheets)} 个工作表，只读取了「{ws.title}」")
    try:
        merged = merged_ranges(fh, ws._worksheet_path)  # openpyxl read-only: path of the sheet's XML part
    except (KeyError, zipfile.BadZipFile) as exc:
        wb.close()
        raise FileProblem(f"无法读取 Excel 文件：{exc}") from None
    ws.reset_dimensions()  # don't trust a stale <dimension>: read every row there is
    rows = ws.iter_rows(min_row=1, values_only=True)
    try:
        header_row = next(rows, ())
    except Exception as exc:  # a corrupt sheet XML surfaces here
        wb.close()
        raise FileProblem(f"无法读取 Excel 文件：{exc}") from None
    headers = ["" if v is None else str(v) for v in header_row]
    if merged:
        problems = []
        for ref in merged:
            m = _CELL_RE.match(ref)
            col = _letters_to_index(m.group(1))
            header = _header_key(headers[col]) if col < len(headers) else ""
            problems.append(Problem(int(m.group(2)), header, m.group(1), ref,
                                    f"{ref} 是合并单元格：请取消合并，并在每一行填写完整的值"))
        wb.close()
        raise FileProblem(f"工作表「{ws.title}」有 {len(merged)} 处合并单元格，无法逐行读取", problems)

    def body():
        for number, values in enumerate(rows, start=2):
            yield number, list(values)

    return _Sheet(headers, body(), warnings, wb.close)


def _open_csv(fh: IO[bytes]) -> _Sheet:
    fh.seek(0)
    head = fh.read(1 << 16)
    fh.seek(0)
    warnings = []
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem("文件为 UTF-16 编码（Excel“Unicode 文本”格式）：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            try:
                codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
            except UnicodeDecodeError:
                raise FileProblem("无法识别文件编码：CSV 文件应为 UTF-8 编码（Excel：另存为“CSV UTF-8（逗号分隔）”）") from None
            encoding = "gb18030"
            warnings.append("文件不是 UTF-8 编码，已按 GBK/GB18030（Excel 中文版“CSV（逗号分隔）”的编码）读取；"
                            "如有乱码请另存为“CSV UTF-8（逗号分隔）”后重新导入")
    first_line = head.split(b"\n", 1)[0]
    delimiter = "\t" if first_line.count(b"\t") > first_line.count(b",") else ","
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    number = 1
    try:
        headers = next(reader, [])
    except (UnicodeDecodeError, csv.Error) as exc:
        text.detach()
        raise FileProblem(f"第1行无法读取：{_csv_error(exc, encoding)}") from None

    def body():
        nonlocal number
        try:
            for values in reader:
                number += 1
                yield number, values
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FileProblem(f"第{number + 1}行无法读取：{_csv_error(exc, encoding)}",
                              [Problem(number + 1, "", "", "", _csv_error(exc, encoding))]) from None

    return _Sheet(headers, body(), warnings, text.detach)


def _csv_error(exc: Exception, encoding: str) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"文件中有不能按 {encoding.upper().replace('-SIG', '')} 解码的字节（文件混用了多种编码？）"
    return f"CSV 格式错误（{exc}）"


def _map_headers(headers: list[str]) -> tuple[dict[int, Column], list[Problem]]:
    """Header row → {column index: Column}; problems for unknown, duplicate and missing headers."""
    mapping: dict[int, Column] = {}
    seen: dict[str, int] = {}
    problems = []
    last = max((i for i, h in enumerate(headers) if _header_key(h)), default=-1)
    for i, raw in enumerate(headers[: last + 1]):
        key = _header_key(raw)
        letter = column_letter(i)
        if not key:
            problems.append(Problem(1, "", letter, "", "表头为空：每一列都要有表头（或删除这一列）"))
            continue
        if key in IGNORED_HEADERS:
            continue
        col = _HEADER_LOOKUP.get(key)
        if col is None:
            problems.append(Problem(1, key, letter, key, "不是可识别的列名；可用的列：" + "、".join(HEADERS)))
            continue
        if col.field in seen:
            problems.append(Problem(1, key, letter, key,
                                    f"与 {column_letter(seen[col.field])} 列重复（都对应「{col.header}」）"))
            continue
        seen[col.field] = i
        mapping[i] = col
    for col in COLUMNS:
        if col.required and col.field not in seen:
            problems.append(Problem(1, col.header, "", "", f"缺少必需的列「{col.header}」"))
    return mapping, problems


# --- Cell parsing -----------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Any) -> str:
    """A cell as text: strings stripped (and the apostrophe our CSV export puts before =+-@ removed)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
            return value[1:]
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _display(value: Any) -> str:
    text = _text(value)
    return text if len(text) <= 60 else text[:57] + "…"


_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def _no_control(text: str, label: str) -> str:
    """Refuse control characters (a NUL would be stored, and PostgreSQL refuses it outright)."""
    bad = next((c for c in text if c in _CONTROL), None)
    if bad is not None:
        raise _Bad(f"{label}含有不可见的控制字符（U+{ord(bad):04X}），请删除后重新导入")
    return text


def _required(value: Any, label: str, max_length: int) -> str:
    text = _no_control(_text(value), label)
    if not text:
        raise _Bad(f"{label}不能为空")
    if len(text) > max_length:
        raise _Bad(f"{label}不能超过{max_length}个字，实为{len(text)}个字")
    return text


def _optional(value: Any, label: str, max_length: int) -> str:
    text = _no_control(_text(value), label)
    if len(text) > max_length:
        raise _Bad(f"{label}不能超过{max_length}个字，实为{len(text)}个字")
    return text


def _digits_lost(value: Any, label: str) -> None:
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and value > 10**15):
        raise _Bad(f"{label}被 Excel 存成了数字，超过15位的部分已丢失：请把该列设为“文本”格式后重新填写")


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:0{2}(?::0{2})?)?$")


def _date(value: Any, label: str, today: dt.date) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = _text(value)
        if not text:
            return None
        m = _DATE_RE.match(text)
        if m is None and len(text) == 8 and text.isdigit():
            m = re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
        if m is None:
            raise _Bad(f"{label}格式应为 YYYY-MM-DD（如 2020-03-15）")
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise _Bad(f"{label}不是有效日期") from None
    if day > today:
        raise _Bad(f"{label}晚于今天（{today.isoformat()}）")
    if day < EARLIEST_DATE:
        raise _Bad(f"{label}早于 1949-10-01，不是有效的登记日期（Excel 中的空日期常显示为 1900 年）")
    return day


_CAPITAL_LIMIT = Decimal(10) ** 10  # max_digits 14, decimal_places 4


def _capital(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Bad("注册资本应为数字（单位：万元）")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = _text(value).replace(",", "").replace("，", "")
        for unit in ("万元人民币", "万人民币", "万元", "万"):
            if text.endswith(unit):
                text = text[: -len(unit)].strip()
                break
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise _Bad("注册资本应为数字（单位：万元）") from None
        if not amount.is_finite():
            raise _Bad("注册资本应为数字（单位：万元）")
    if amount < 0:
        raise _Bad("注册资本不能为负数")
    if amount.as_tuple().exponent < -4 and amount != amount.quantize(Decimal("0.0001")):
        raise _Bad("注册资本最多保留4位小数（单位：万元）")
    if amount >= _CAPITAL_LIMIT:
        raise _Bad("注册资本超出范围（单位：万元，应小于100亿万元）")
    return amount.quantize(Decimal("0.0001"))


def _code_text(value: Any) -> str:
    """A code column (division, unit, industry): numbers Excel made of it turned back into text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text(value).upper()


_ID_RE = re.compile(r"^[0-9A-Z]{1,18}$")


@dataclass
class _Context:
    """Everything a row is checked against, loaded once per import."""

    today: dt.date
    divisions: dict[str, tuple[str, int]]  # code → (name, level)
    industries: dict[str, str | None]  # code → parent
    units: dict[str, tuple[int, str, str | None, int | None]]  # code → (id, kind, division, parent id)
    unit_codes: dict[int, str]
    scope: Any  # jianguan.core.scope.Scope or None for the command line without --actor


def _load_context(actor, today: dt.date) -> _Context:
    units = {code: (pk, kind, division, parent) for pk, code, kind, division, parent in
             OrgUnit.objects.values_list("id", "code", "kind", "division_id", "parent_id")}
    return _Context(
        today=today,
        divisions={c: (n, lv) for c, n, lv in Division.objects.values_list("code", "name", "level")},
        industries=dict(Industry.objects.values_list("code", "parent_id")),
        units=units,
        unit_codes={v[0]: k for k, v in units.items()},
        scope=scope_for(actor) if getattr(actor, "is_authenticated", False) else None,
    )


def _industry(value: Any, ctx: _Context) -> str:
    text = _code_text(value)
    if isinstance(value, int | float) and len(text) == 1:
        text = "0" + text  # Excel turned "01" into 1
    if not text:
        raise _Bad("行业代码不能为空")
    section = ""
    if text[:1].isalpha():
        section, text = text[:1], text[1:]
    if not text:
        raise _Bad(f"「{section}」是行业门类；请填写2位行业大类代码（GB/T 4754-2017，如 52 零售业）")
    if not text.isdigit() or len(text) not in (2, 3, 4):
        raise _Bad("行业代码应为 GB/T 4754-2017 的2位大类代码（如 52），也可填写3、4位中类、小类代码")
    code = text[:2]  # 中类/小类 → 大类: the registry keeps divisions
    if code not in ctx.industries:
        raise _Bad(f"行业代码「{text}」不存在（GB/T 4754-2017 大类为 01–97）")
    if section and ctx.industries[code] != section:
        raise _Bad(f"行业代码「{section}{text}」的门类字母与大类不符（{code} 属于门类 {ctx.industries[code]}）")
    return code


# --- The importer -----------------------------------------------------------------------------------------------

#: Entity columns written on create, in this order (see bulk.insert).
_CREATE_FIELDS = ("id", "uscc", "uscc_problem", "name", "kind", "legal_rep", "legal_rep_id_no", "phone",
                  "registered_capital", "established_on", "address", "division_id", "unit_id",
                  "registration_authority_id", "industry_id", "business_scope", "status", "status_changed_on",
                  "created_at", "updated_at")
_CHANGE_FIELDS = ("entity_id", "kind", "on", "changes", "note", "actor_id", "at")
#: Fields compared and updated by an import with update=True (the code never changes).
_UPDATE_FIELDS = ("name", "kind", "legal_rep", "legal_rep_id_no", "phone", "registered_capital", "established_on",
                  "address", "division_id", "unit_id", "registration_authority_id", "industry_id",
                  "business_scope", "status", "status_changed_on")


class _Row:
    __slots__ = ("number", "raw", "data", "errors", "flag")

    def __init__(self, number: int, raw: list):
        self.number = number
        self.raw = raw
        self.data: dict[str, Any] = {}
        self.errors: list[tuple[Column | None, int | None, str]] = []
        self.flag = ""


class _Report:
    """The bad rows, written as they are found (CSV or XLSX), with their original row number and the reasons."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt, self.count = path, fmt, 0
        self._fh = self._wb = self._ws = None

    def _open(self):
        header = [REPORT_ROW_HEADER, *HEADERS, REPORT_REASON_HEADER]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.fmt == "xlsx":
            import openpyxl

            self._wb = openpyxl.Workbook(write_only=True)
            self._ws = self._wb.create_sheet(SHEET_TITLE)
            self._ws.append(header)
        else:
            self._fh = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._fh)
            self._writer.writerow(header)

    def write(self, row: _Row, mapping: dict[int, Column]):
        if self._fh is None and self._wb is None:
            self._open()
        cells = {col.field: _text(row.raw[i]) if i < len(row.raw) else "" for i, col in mapping.items()}
        reasons = "；".join(f"{col.header if col else '（整行）'}：{msg}" for col, _i, msg in row.errors)
        values = [row.number, *(cells.get(c.field, "") for c in COLUMNS), reasons]
        if self._ws is not None:
            self._ws.append([_xlsx_text(v) for v in values])
        else:
            self._writer.writerow([_csv_safe(v) for v in values])
        self.count += 1

    def close(self):
        if self._wb is not None:
            self._wb.save(self.path)
        if self._fh is not None:
            self._fh.close()


def _file_digest(fh: IO[bytes]) -> tuple[str, int]:
    fh.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    fh.seek(0)
    return digest.hexdigest(), size


def import_entities(source: IO[bytes] | str | Path, *, file_name: str | None = None, actor=None,
                    dry_run: bool = False, skip_invalid: bool = False, update: bool = False,
                    report_path: str | Path | None = None, today: dt.date | None = None,
                    max_bytes: int | None = None) -> ImportResult:
    """Import market entities from an .xlsx or .csv file (a path or a binary file object). See the module
    docstring for the rules. Never raises for bad input: everything wrong is in the returned result."""
    import time

    started = time.monotonic()
    own = not hasattr(source, "read")
    fh: IO[bytes] = open(source, "rb") if own else source  # noqa: SIM115
    file_name = file_name or Path(getattr(source, "name", None) or str(source)).name
    result = ImportResult(file_name=file_name, dry_run=dry_run, skip_invalid=skip_invalid, update=update)
    try:
        size = getattr(fh, "size", None)
        if max_bytes is not None and size is not None and size > max_bytes:
            raise FileProblem(_too_big(size, max_bytes))
        result.sha256, result.size = _file_digest(fh)
        if max_bytes is not None and result.size > max_bytes:
            raise FileProblem(_too_big(result.size, max_bytes))
        if result.size == 0:
            raise FileProblem("文件是空的")
        head = fh.read(16)
        fh.seek(0)
        result.format = detect_format(file_name, head)
        sheet = _open_xlsx(fh) if result.format == "xlsx" else _open_csv(fh)
        try:
            result.warnings += sheet.warnings
            _run(sheet, result, actor=actor, today=today or timezone.localdate(), report_path=report_path)
        finally:
            sheet.close()
    except FileProblem as exc:
        result.fatal = True
        result.written = False
        result.created = result.updated = result.unchanged = 0
        for p in exc.problems:
            result.add(p)
    finally:
        if own:
            fh.close()
        result.seconds = round(time.monotonic() - started, 3)
    return result


def _too_big(size: int, limit: int) -> str:
    return (f"文件大小 {size / 1048576:.1f} MB，超过上传上限 {limit / 1048576:.0f} MB：请拆分成多个文件，"
            "或由系统管理员在服务器上用命令 jianguan import entities 导入")


def _run(sheet: _Sheet, result: ImportResult, *, actor, today: dt.date, report_path) -> None:
    mapping, header_problems = _map_headers(sheet.headers)
    if header_problems:
        hint = ""
        if not mapping:
            hint = "第1行必须是表头（如有标题行请删除）；可下载导出文件作为模板"
        raise FileProblem("表头不符合要求" + (f"：{hint}" if hint else ""),
                          header_problems + ([Problem(1, "", "", "", hint)] if hint else []))
    ctx = _load_context(actor, today)
    index_of = {c.field: i for i, c in mapping.items()}
    width = max((i for i, h in enumerate(sheet.headers) if _header_key(h)), default=-1) + 1
    report = None
    if report_path:
        fmt = "xlsx" if str(report_path).lower().endswith(".xlsx") else "csv"
        report = _Report(Path(report_path), fmt)
    writing = not result.dry_run
    seen: dict[str, int] = {}
    pending_blank: list[int] = []
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    note = f"数据导入：{result.file_name}"[:180]
    try:
        with transaction.atomic():
            batch: list[_Row] = []

            def flush():
                nonlocal writing
                _check_batch(batch, ctx, seen, index_of, update=result.update)
                bad = [r for r in batch if r.errors]
                for r in bad:
                    result.invalid_rows += 1
                    r.errors.sort(key=lambda e: (e[1] is None, e[1] or 0))
                    for col, index, message in r.errors:
                        letter = column_letter(index) if index is not None else ""
                        value = _display(r.raw[index]) if index is not None and index < len(r.raw) else ""
                        result.add(Problem(r.number, col.header if col else "", letter, value, message))
                    if report is not None:
                        report.write(r, mapping)
                if bad and not result.skip_invalid:
                    writing = False  # keep validating to report everything; the transaction is rolled back
                good = [r for r in batch if not r.errors]
                for r in good:
                    if r.flag:
                        result.flagged += 1
                        if len(result.flags) < KEEP_PROBLEMS:
                            result.flags.append(Problem(r.number, "统一社会信用代码", column_letter(index_of["uscc"]),
                                                        r.data["uscc"], r.flag))
                if writing:
                    _write(good, result, actor_id=actor_id, now=now, note=note)
                batch.clear()

            for number, values in sheet.rows:
                if not any(_text(v) for v in values):
                    pending_blank.append(number)
                    continue
                if pending_blank:  # blank rows inside the data; trailing ones are not worth a mention
                    result.skipped_blank += pending_blank
                    pending_blank = []
                result.rows += 1
                row = _Row(number, values)
                _parse(row, mapping, ctx, width)
                batch.append(row)
                if len(batch) >= BATCH:
                    flush()
            if batch:
                flush()
            if result.rows == 0:
                raise FileProblem("文件中没有数据行（只有表头）")
            if result.dry_run or not writing:
                transaction.set_rollback(True)
                result.created = result.updated = 0
            else:
                result.written = True
                if connection.vendor == "postgresql" and result.created >= ANALYZE_FROM:
                    # The deferred foreign-key checks of every row run at COMMIT, planned from the table's
                    # statistics; an emptied or young table's say "no rows", and each check becomes a scan of
                    # the rows just loaded (a million-row import sat in COMMIT for over half an hour). Fresh
                    # statistics first make each check an index probe.
                    with connection.cursor() as cursor:
                        for model in (Entity, EntityChange):
                            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
                # One audit entry for the whole load, not one per row: the file's SHA-256 makes every row of it
                # attributable (anyone holding the file can prove what was loaded, by whom, when), while a million
                # entries would bury the log and serialise on its hash chain. Each entity still gets its own
                # 数据导入 history entry naming the file.
                audit.record(actor=actor or "cli", action="registry.entity.imported", object_type="import",
                             object_id=result.sha256[:16], object_repr=result.file_name[:200],
                             changes={"file": [None, result.file_name], "sha256": [None, result.sha256],
                                      "rows": [None, result.rows], "created": [None, result.created],
                                      "updated": [None, result.updated], "flagged": [None, result.flagged],
                                      "invalid_rows_skipped": [None, result.invalid_rows]})
    finally:
        if report is not None:
            report.close()
            if report.count:
                result.report_path = str(report.path)
            else:
                report.path.unlink(missing_ok=True)


def _parse(row: _Row, mapping: dict[int, Column], ctx: _Context, width: int | None = None) -> None:
    """Check every cell of one row; fill row.data (model attribute values) and row.errors. ``width`` is the
    number of columns with a header (ignored ones such as 问题说明 included): data beyond it is an error."""
    values = row.raw
    data = row.data
    present: dict[str, int] = {}
    for i, col in mapping.items():
        present[col.field] = i
        value = values[i] if i < len(values) else None
        try:
            data[col.field] = _PARSERS[col.field](value, ctx)
        except _Bad as exc:
            row.errors.append((col, i, str(exc)))
    width = max(mapping) + 1 if width is None else width
    if len(values) > width:
        for i in range(width, len(values)):
            if _text(values[i]):
                row.errors.append((None, i, f"{column_letter(i)} 列有数据但没有表头"))
                break
    if row.errors:
        return
    # Cross-field rules.
    code, code_flag = data["uscc"]
    data["uscc"] = code
    kind = data["kind"]
    if not code_flag and code[0] == "9":
        expected = {"individual": "2", "cooperative": "3"}.get(kind, "1")
        if code[1] != expected:
            code_flag = (f"代码第2位为{code[1]}（{uscc.MARKET_ENTITY_TYPES.get(code[1], '未知')}），"
                         f"与主体类型「{KIND_LABELS[kind]}」不符")
    row.flag = code_flag
    data["uscc_problem"] = code_flag[:120]
    division = data.get("division")
    unit_id, unit_kind, unit_division, unit_parent = ctx.units[data["unit"]]
    if unit_division and ctx.divisions.get(unit_division, ("", 0))[1] == 3 and unit_division != division:
        row.errors.append((_COL["division"], present["division"],
                           f"与监管单位「{data['unit']}」所在区划 {unit_division} 不符"))
    authority = data.get("registration_authority")
    if authority:
        authority_id = ctx.units[authority][0]
    else:  # the unit's district bureau, as a registration does it
        authority_id = unit_parent if unit_kind == OrgUnit.Kind.STATION and unit_parent else unit_id
    status = data.get("status") or EntityStatus.ACTIVE
    data["status"] = status
    changed_on = data.get("status_changed_on")
    if status != EntityStatus.ACTIVE and changed_on is None:
        index = present.get("status_changed_on", present.get("status"))
        column = _COL["status_changed_on"] if "status_changed_on" in present else _COL["status"]
        row.errors.append((column, index, f"登记状态为「{STATUS_LABELS[status]}」时必须填写状态变更日期"))
    if changed_on and data["established_on"] and changed_on < data["established_on"]:
        row.errors.append((_COL["status_changed_on"], present["status_changed_on"], "状态变更日期早于成立日期"))
    data["unit_id"] = unit_id
    data["division_id"] = division
    data["registration_authority_id"] = authority_id
    data["industry_id"] = data.pop("industry")
    for key in ("unit", "division", "registration_authority"):
        data.pop(key, None)
    for key in ("legal_rep_id_no", "phone", "business_scope"):
        data.setdefault(key, "")
    data.setdefault("registered_capital", None)
    data.setdefault("status_changed_on", None)


def _p_uscc(value, ctx) -> tuple[str, str]:
    """(normalised code, reason it fails a check or ""); _Bad only when it is not a code at all."""
    _digits_lost(value, "统一社会信用代码")
    code = uscc.normalize(_text(value))
    if not code:
        raise _Bad("统一社会信用代码不能为空")
    if len(code) != 18:
        raise _Bad(f"统一社会信用代码应为18位，实为{len(code)}位")
    reason = None if uscc.quick_valid(code) else uscc.invalid_reason(code)
    if reason and "不是统一社会信用代码允许的字符" in reason:
        raise _Bad(f"统一社会信用代码格式错误：{reason}")
    return code, reason or ""


def _p_kind(value, ctx):
    text = _text(value)
    if not text:
        raise _Bad("主体类型不能为空")
    kind = kind_from_text(text)
    if kind is None:
        raise _Bad("主体类型无效；应为：" + "、".join(KIND_LABELS.values()))
    return kind


def _p_status(value, ctx):
    text = _text(value)
    if not text:
        return EntityStatus.ACTIVE
    status = status_from_text(text)
    if status is None:
        raise _Bad("登记状态无效；应为：" + "、".join(STATUS_LABELS.values()))
    return status


def _p_id_no(value, ctx):
    _digits_lost(value, "证件号码")
    text = _text(value).upper().replace(" ", "")
    if text and not _ID_RE.match(text):
        raise _Bad("证件号码只能由数字和字母组成，最长18位")
    return text


def _p_established(value, ctx):
    day = _date(value, "成立日期", ctx.today)
    if day is None:
        raise _Bad("成立日期不能为空")
    return day


def _p_division(value, ctx):
    code = _code_text(value)
    if not code:
        raise _Bad("行政区划代码不能为空")
    found = ctx.divisions.get(code)
    if found is None:
        raise _Bad(f"行政区划代码「{code}」不存在")
    if found[1] != 3:
        raise _Bad(f"「{code} {found[0]}」不是县级区划：请填写区、县或县级市的代码（如 410402 新华区）")
    return code


def _p_unit(value, ctx):
    code = _code_text(value)
    if not code:
        raise _Bad("监管单位代码不能为空")
    found = ctx.units.get(code)
    if found is None:
        raise _Bad(f"监管单位代码「{code}」不存在")
    if found[1] not in (OrgUnit.Kind.STATION, OrgUnit.Kind.DISTRICT):
        raise _Bad(f"「{code}」不是市场监管所或县（市、区）局，不能作为监管单位")
    if ctx.scope is not None and not ctx.scope.allows_unit(found[0]):
        raise _Bad(f"监管单位「{code}」不在您的管辖范围内")
    return code


def _p_authority(value, ctx):
    code = _code_text(value)
    if not code:
        return None
    found = ctx.units.get(code)
    if found is None:
        raise _Bad(f"登记机关代码「{code}」不存在")
    if found[1] not in (OrgUnit.Kind.CITY, OrgUnit.Kind.DISTRICT):
        raise _Bad(f"「{code}」不是市局或县（市、区）局，不能作为登记机关")
    return code


_PARSERS: dict[str, Callable[[Any, _Context], Any]] = {
    "uscc": _p_uscc,
    "name": lambda v, ctx: _required(v, "名称", 200),
    "kind": _p_kind,
    "legal_rep": lambda v, ctx: _required(v, "法定代表人/经营者", 50),
    "legal_rep_id_no": _p_id_no,
    "phone": lambda v, ctx: _optional(v, "联系电话", 20),
    "registered_capital": lambda v, ctx: _capital(v),
    "established_on": _p_established,
    "address": lambda v, ctx: _required(v, "住所", 200),
    "division": _p_division,
    "unit": _p_unit,
    "registration_authority": _p_authority,
    "industry": _industry,
    "business_scope": lambda v, ctx: _text(v),
    "status": _p_status,
    "status_changed_on": lambda v, ctx: _date(v, "状态变更日期", ctx.today),
}
_COL = {c.field: c for c in COLUMNS}


def _code_of(row: _Row) -> str | None:
    code = row.data.get("uscc")
    return code[0] if isinstance(code, tuple) else code


def _check_batch(batch: list[_Row], ctx: _Context, seen: dict[str, int], index_of: dict[str, int], *,
                 update: bool) -> None:
    """Duplicates within the file and against the registry for one batch (one query per chunk of codes); with
    ``update``, the changes each existing entity would get and whether its status may change that way."""
    uscc_col = _COL["uscc"]
    index = index_of["uscc"]
    candidates: dict[str, _Row] = {}
    for row in batch:
        code = _code_of(row)
        if code is None:
            continue
        first = seen.get(code)
        if first is not None:
            row.errors.append((uscc_col, index, f"与第{first}行的统一社会信用代码重复"))
            continue
        seen[code] = row.number
        candidates[code] = row
    if not candidates:
        return
    fields = ("uscc", "id", *_UPDATE_FIELDS) if update else ("uscc",)
    existing: dict[str, tuple] = {}
    codes = list(candidates)
    step = connection.features.max_query_params or 5000
    step = min(step - 10, 5000)
    for start in range(0, len(codes), step):
        for values in Entity.objects.filter(uscc__in=codes[start:start + step]).values_list(*fields):
            existing[values[0]] = values
    for code, values in existing.items():
        row = candidates[code]
        if not update:
            row.errors.append((uscc_col, index, "该统一社会信用代码已在市场主体库中登记（如需更新已有主体，请选择“更新已有主体”）"))
            continue
        current = dict(zip(("uscc", "id", *_UPDATE_FIELDS), values, strict=True))
        if ctx.scope is not None and not ctx.scope.allows_unit(current["unit_id"]):
            row.errors.append((uscc_col, index, "该主体已登记，且不在您的管辖范围内，不能更新"))
            continue
        if row.errors:
            continue
        wanted = {f: row.data[f] for f in _UPDATE_FIELDS}
        before = {f: current[f] for f in _UPDATE_FIELDS}
        changes = audit.diff(before, wanted)
        old, new = current["status"], wanted["status"]
        if old != new and new not in TRANSITIONS[EntityStatus(old)]:
            row.errors.append((_COL["status"], index_of.get("status"),
                               f"登记状态不能由「{STATUS_LABELS[old]}」变更为「{STATUS_LABELS[new]}」"))
            continue
        row.data["_existing"] = (current["id"], changes, wanted)


def _write(rows: list[_Row], result: ImportResult, *, actor_id, now, note) -> None:
    """Write one batch of valid rows: new entities by bulk insert, existing ones (update mode) one by one."""
    today = timezone.localdate()
    new = [r for r in rows if "_existing" not in r.data]
    if new:
        ids = bulk.allocate_ids(Entity, len(new))
        ring = crypto.keyring()  # a raw insert: the personal columns are encrypted here (#14)
        bulk.insert(Entity, _CREATE_FIELDS, (
            (pk, d["uscc"], d["uscc_problem"], d["name"], d["kind"], d["legal_rep"], crypto.encrypt(d["legal_rep_id_no"], ring),
             crypto.encrypt(d["phone"], ring), d["registered_capital"], d["established_on"], d["address"], d["division_id"], d["unit_id"],
             d["registration_authority_id"], d["industry_id"], d["business_scope"], d["status"],
             d["status_changed_on"], now, now)
            for pk, d in zip(ids, (r.data for r in new), strict=True)))
        bulk.insert(EntityChange, _CHANGE_FIELDS, (
            (pk, EntityChange.Kind.IMPORTED, today, "{}", f"{note} 第{r.number}行"[:200], actor_id, now)
            for pk, r in zip(ids, new, strict=True)))
        result.created += len(new)
    for r in rows:
        if "_existing" not in r.data:
            continue
        pk, changes, wanted = r.data["_existing"]
        if not changes:
            result.unchanged += 1
            continue
        Entity.objects.filter(pk=pk).update(**{f: wanted[f] for f in changes}, updated_at=now)
        EntityChange.objects.create(entity_id=pk, kind=EntityChange.Kind.IMPORTED, on=today,
                                    changes=redact_changes(changes),
                                    note=f"{note} 第{r.number}行"[:200], actor_id=actor_id, at=now)
        result.updated += 1


# --- Export -----------------------------------------------------------------------------------------------------

#: What each column is read from, in COLUMNS order.
_EXPORT_VALUES = ("uscc", "name", "kind", "legal_rep", "legal_rep_id_no", "phone", "registered_capital",
                  "established_on", "address", "division_id", "unit__code", "registration_authority__code",
                  "industry_id", "business_scope", "status", "status_changed_on")
_PERSONAL = (HEADERS.index("证件号码"), HEADERS.index("联系电话"))
_CAPITAL = HEADERS.index("注册资本（万元）")
_KIND = HEADERS.index("主体类型")
_STATUS = HEADERS.index("登记状态")
EXPORT_CHUNK = 5000


def capital_text(amount: Decimal | None) -> str:
    """100.0000 → "100", 12.5000 → "12.5": what staff type, and what imports back to the same value."""
    if amount is None:
        return ""
    return format(amount.normalize(), "f")


def export_rows(qs, *, include_personal: bool = True) -> Iterator[list]:
    """The rows of an export, in ``qs``'s order (id order when it has none), as Python values (labels for kind and
    status), streamed."""
    if not qs.ordered:
        qs = qs.order_by("id")
    for values in qs.values_list(*_EXPORT_VALUES).iterator(chunk_size=EXPORT_CHUNK):
        row = list(values)
        row[_KIND] = KIND_LABELS.get(row[_KIND], row[_KIND])
        row[_STATUS] = STATUS_LABELS.get(row[_STATUS], row[_STATUS])
        if not include_personal:
            for i in _PERSONAL:
                row[i] = ""
        yield row


def _csv_safe(value: Any) -> str:
    """Cell text for CSV. A leading = + - @ would make Excel run the cell as a formula (CSV injection); an
    apostrophe in front stops that, and the importer removes it again so the round trip stays exact."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return capital_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text[:1] in _FORMULA_START:
        return "'" + text
    return text


def iter_csv(qs, *, include_personal: bool = True, counter: list[int] | None = None) -> Iterator[bytes]:
    """A CSV export as chunks of UTF-8 bytes (with a BOM, so Excel opens it correctly), for streaming.
    ``counter``, if given, is a one-element list that ends up holding the number of rows written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    yield codecs.BOM_UTF8 + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    count = 0
    for row in export_rows(qs, include_personal=include_personal):
        writer.writerow([_csv_safe(v) for v in row])
        count += 1
        if counter is not None:
            counter[0] = count
        if count % 1000 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _xlsx_text(value: Any) -> Any:
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(qs, target: str | Path | IO[bytes], *, include_personal: bool = True) -> int:
    """An Excel export (openpyxl write-only: rows go to a temporary file, not memory). Returns the row count."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    for i, col in enumerate(COLUMNS):
        ws.column_dimensions[column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    date_columns = [HEADERS.index("成立日期"), HEADERS.index("状态变更日期")]
    count = 0
    for row in export_rows(qs, include_personal=include_personal):
        for i, value in enumerate(row):
            if isinstance(value, str):
                value = _xlsx_text(value)
                if value[:1] == "=":  # text, never a formula
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    value = cell
                row[i] = value
        for i in date_columns:
            if row[i] is not None:
                cell = WriteOnlyCell(ws, value=row[i])
                cell.number_format = "yyyy-mm-dd"
                row[i] = cell
        ws.append(row)
        count += 1
    wb.save(target)
    return count


def export_entities(qs, target: str | Path | IO[bytes], fmt: str = "csv", *, include_personal: bool = True) -> int:
    """Write ``qs`` to ``target`` (a path or a binary file) as ``fmt`` ('csv' or 'xlsx'); returns the row count."""
    if fmt == "xlsx":
        return write_xlsx(qs, target, include_personal=include_personal)
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    own = not hasattr(target, "write")
    fh = open(target, "wb") if own else target  # noqa: SIM115
    try:
        # Rows are counted as written, not as newlines: a quoted cell (经营范围) may hold line breaks.
        counter = [0]
        for chunk in iter_csv(qs, include_personal=include_personal, counter=counter):
            fh.write(chunk)
        return counter[0]
    finally:
        if own:
            fh.close()


def filter_entities(qs, *, unit: str | None = None, status: str | None = None, kind: str | None = None,
                    industry: str | None = None, division: str | None = None):
    """The export filters, shared by the command and the workbench. ValueError (Chinese) for an unknown value.
    ``unit`` includes the unit's sub-units; ``industry`` may be a section letter (all its divisions)."""
    if unit:
        found = OrgUnit.objects.filter(code=unit.strip()).values_list("path", flat=True).first()
        if found is None:
            raise ValueError(f"监管单位代码「{unit}」不存在")
        qs = qs.filter(unit__path__startswith=found)
    if status:
        value = status_from_text(status)
        if value is None:
            raise ValueError(f"登记状态「{status}」无效；应为：" + "、".join(STATUS_LABELS.values()))
        qs = qs.filter(status=value)
    if kind:
        value = kind_from_text(kind)
        if value is None:
            raise ValueError(f"主体类型「{kind}」无效；应为：" + "、".join(KIND_LABELS.values()))
        qs = qs.filter(kind=value)
    if industry:
        code = industry.strip().upper()
        if not Industry.objects.filter(code=code).exists():
            raise ValueError(f"行业代码「{industry}」不存在")
        qs = qs.filter(industry__parent_id=code) if code.isalpha() else qs.filter(industry_id=code)
    if division:
        code = division.strip()
        if not Division.objects.filter(code=code).exists():
            raise ValueError(f"行政区划代码「{division}」不存在")
        qs = qs.filter(division_id=code)
    return qs


def record_export(*, actor, count: int, fmt: str, filters: dict, include_personal: bool) -> None:
    """One audit entry per export: who took which rows out, and whether ID numbers and phones were in them."""
    with transaction.atomic():
        audit.record(actor=actor or "cli", action="registry.entity.exported", object_type="export",
                     object_repr=f"市场主体导出（{count} 户，{fmt}）",
                     changes={"count": [None, count], "format": [None, fmt],
                              "filters": [None, {k: v for k, v in filters.items() if v}],
                              "personal_data": [None, include_personal]})
