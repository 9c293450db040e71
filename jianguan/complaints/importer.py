"""Import of the national 12315 platform's Excel export (全国12315平台导出数据).

The platform's export template is not published; the columns below are the ones its exports carry in practice and
the import page lists them (with a template to download). Headers are matched by name, in any order; extra
columns are ignored. All or nothing: a file with any error writes nothing, and every error names its row and
column. Rows whose 12315 number is already registered are skipped (reported, not errors); rows that look like a
complaint already received through another channel (same phone, business and text within 30 days) are imported
and flagged for the handler.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from jianguan.core import audit
from jianguan.core.errors import ValidationFailed
from jianguan.core.models import Division

from . import services
from .models import Category, Channel, Complaint, ImportBatch, Kind


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    note: str


COLUMNS = (
    Column("national_no", "投诉/举报编号", True, "全国12315平台编号，用于识别重复导入"),
    Column("received", "登记时间", True, "日期或日期时间，如 2026-03-02 或 2026-03-02 09:30"),
    Column("kind", "类型", True, "投诉 或 举报"),
    Column("person_name", "消费者姓名", False, "投诉必填；匿名举报可空"),
    Column("person_phone", "联系电话", False, "投诉必填"),
    Column("entity_name", "被投诉人名称", True, "经营者名称"),
    Column("entity_uscc", "被投诉人统一社会信用代码", False, "18位；填写后按代码匹配市场主体"),
    Column("entity_address", "被投诉人地址", False, ""),
    Column("division", "所属行政区划", False, "区划代码或名称，如 410402 或 新华区；用于未登记经营者的分流"),
    Column("category", "问题类别", False, "如 食品、预付式消费、网络购物；空为「其他」"),
    Column("description", "投诉内容", True, "事情经过"),
    Column("amount", "涉及金额", False, "元，数字"),
    Column("demand", "诉求", False, ""),
)
HEADERS = {c.header: c for c in COLUMNS}
MAX_ROWS = 20000
KIND_LABELS = {"投诉": Kind.COMPLAINT, "举报": Kind.REPORT}
CATEGORY_LABELS = {c.label: c.value for c in Category}


@dataclass
class Result:
    batch: ImportBatch
    created: list[str]
    skipped: list[str]
    flagged: list[str]


def template_bytes() -> bytes:
    """An .xlsx with the expected headers, one example row and a sheet explaining each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "12315数据"
    ws.append([c.header for c in COLUMNS])
    ws.append(["1234567890123456", "2026-03-02 09:30", "投诉", "张三", "13800000000", "平顶山某某超市有限公司", "",
               "平顶山市新华区中兴路1号", "新华区", "食品", "购买的酸奶已过保质期", 35.5, "退一赔十"])
    for i, c in enumerate(COLUMNS, 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, len(c.header) * 2 + 2)
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "必填", "说明"])
    for c in COLUMNS:
        notes.append([c.header, "是" if c.required else "否", c.note])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _divisions() -> dict[str, str]:
    out = {}
    for code, name in Division.objects.values_list("code", "name"):
        out[code] = code
        out.setdefault(name, code)
    return out


def parse(data: bytes, *, today: dt.date) -> list[dict]:
    """The rows of an export as dicts, or ValidationFailed listing every problem by row and column."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ValidationFailed("文件不是有效的 Excel（.xlsx）文件，请从全国12315平台导出后直接上传",
                               details=[{"row": None, "column": None, "message": "文件格式无法识别"}]) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise ValidationFailed("文件为空：第1行应为列名", details=[{"row": 1, "column": None, "message": "缺少列名行"}])
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = _text(cell)
        if name in HEADERS and HEADERS[name].key not in positions:
            positions[HEADERS[name].key] = i
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise ValidationFailed(
            f"第1行缺少必需的列：{'、'.join(missing)}（请使用导入模板的列名）",
            details=[{"row": 1, "column": m, "message": "缺少此列"} for m in missing])
    divisions = _divisions()
    errors: list[dict] = []
    parsed: list[dict] = []
    seen: dict[str, int] = {}

    def err(row_no, key, message):
        errors.append({"row": row_no, "column": next(c.header for c in COLUMNS if c.key == key), "message": message})

    for row_no, values in enumerate(rows, start=2):
        if values is None or all(v is None or _text(v) == "" for v in values):
            continue
        if len(parsed) >= MAX_ROWS:
            errors.append({"row": row_no, "column": None, "message": f"每个文件最多 {MAX_ROWS} 行，请分批导入"})
            break
        raw = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
        item = {key: _text(raw.get(key)) for key in positions}
        item["row"] = row_no
        for c in COLUMNS:
            if c.required and not item.get(c.key):
                err(row_no, c.key, "不能为空")
        no = item.get("national_no", "")
        if no:
            if no in seen:
                err(row_no, "national_no", f"与第 {seen[no]} 行编号重复")
            seen.setdefault(no, row_no)
        if item.get("received"):
            received = _date(raw.get("received"))
            if received is None:
                err(row_no, "received", f"「{item['received']}」不是有效的日期")
            elif received > today:
                err(row_no, "received", "登记时间晚于今天")
            item["received_on"] = received
        if item.get("kind"):
            if item["kind"] not in KIND_LABELS:
                err(row_no, "kind", f"「{item['kind']}」无效，应为 投诉 或 举报")
            item["kind"] = KIND_LABELS.get(item["kind"], "")
        if item.get("kind") == Kind.COMPLAINT:
            if not item.get("person_name"):
                err(row_no, "person_name", "投诉须有消费者姓名")
            if not item.get("person_phone"):
                err(row_no, "person_phone", "投诉须有联系电话")
        phone = item.get("person_phone", "")
        if phone and not services.PHONE.match(phone.replace(" ", "")):
            err(row_no, "person_phone", f"「{phone}」不是有效的电话号码")
        amount = item.get("amount", "")
        item["amount"] = None
        if amount:
            try:
                item["amount"] = Decimal(amount.replace(",", "").replace("元", ""))
                if item["amount"] < 0:
                    raise InvalidOperation
            except InvalidOperation:
                err(row_no, "amount", f"「{amount}」不是有效的金额")
        category = item.get("category", "")
        if category and category not in CATEGORY_LABELS:
            err(row_no, "category", f"「{category}」不是已知的问题类别（{'、'.join(CATEGORY_LABELS)}）")
        item["category"] = CATEGORY_LABELS.get(category, Category.OTHER)
        division = item.get("division", "")
        item["division_code"] = ""
        if division:
            if division not in divisions:
                err(row_no, "division", f"「{division}」不是已知的行政区划")
            item["division_code"] = divisions.get(division, "")
        parsed.append(item)
    if not parsed and not errors:
        errors.append({"row": 2, "column": None, "message": "没有数据行"})
    if errors:
        shown = "；".join(f"第{e['row']}行" + (f"「{e['column']}」" if e["column"] else "") + f"：{e['message']}"
                         for e in errors[:5])
        more = f" 等共 {len(errors)} 处错误" if len(errors) > 5 else ""
        raise ValidationFailed(f"导入失败，未导入任何数据。{shown}{more}", details=errors)
    return parsed


@transaction.atomic
def import_12315(*, actor, filename: str, data: bytes, today: dt.date) -> Result:
    """Import an export all-or-nothing. Raises ValidationFailed (nothing written) on any bad row."""
    rows = parse(data, today=today)
    known = set(Complaint.objects.filter(national_no__in=[r["national_no"] for r in rows])
                .values_list("national_no", flat=True))
    created, skipped, flagged = [], [], []
    for row in rows:
        if row["national_no"] in known:
            skipped.append(row["national_no"])
            continue
        entity = services.find_entity(uscc=row.get("entity_uscc", ""), name=row["entity_name"])
        complaint, _code, _ = services.complaint_submit(
            actor=actor, kind=row["kind"], channel=Channel.PLATFORM, description=row["description"], entity=entity,
            entity_name=row["entity_name"], entity_uscc=row.get("entity_uscc", ""),
            entity_address=row.get("entity_address", ""), division_code=row["division_code"],
            person_name=row.get("person_name", ""), person_phone=row.get("person_phone", "").replace(" ", ""),
            anonymous=row["kind"] == Kind.REPORT and not row.get("person_name"), category=row["category"],
            demand=row.get("demand", ""), amount=row["amount"], received_on=row["received_on"],
            national_no=row["national_no"], notify=False)
        created.append(complaint.number)
        if complaint.possible_duplicate_of_id:
            flagged.append(complaint.number)
    batch = ImportBatch.objects.create(
        filename=filename[:200], imported_by=actor, rows=len(rows), created=len(created), skipped=len(skipped),
        flagged=len(flagged), report={"created": created, "skipped": skipped, "flagged": flagged})
    audit.record(actor=actor, action="complaints.import.done", obj=batch, changes={
        "filename": [None, batch.filename], "rows": [None, len(rows)], "created": [None, len(created)],
        "skipped": [None, len(skipped)], "flagged": [None, len(flagged)]})
    return Result(batch, created, skipped, flagged)
