"""Import and export of the device register (设备台账) as Excel — one column list for both directions, so an
exported file imports back.

All or nothing: every row is checked (unknown category codes, duplicate device codes in the file or the register,
impossible dates such as an inspection before commissioning, a using unit that is not a registered entity in the
importer's scope, parameters the category needs); any problem and nothing is written. Problems come back as
{row, column, letter, value, message}, in Chinese. A good file is written with set-based inserts, one audit entry,
and the schedules of the new devices computed in one pass.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from jianguan.core import audit
from jianguan.core.scope import scope_filter
from jianguan.registry.models import Entity

from . import categories, schedule, services
from .models import Conclusion, Device, DeviceStatus, Inspection, StatusChange

SHEET = "特种设备"
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    required: bool = False
    kind: str = "text"  # text / date / param


COLUMNS: tuple[Col, ...] = (
    Col("设备代码", "code", True),
    Col("设备类别代码", "category", True),
    Col("设备名称", "name"),
    Col("使用单位统一社会信用代码", "uscc", True),
    Col("使用单位名称", "entity_name"),
    Col("设备使用地点", "location", True),
    Col("使用登记证编号", "registration_no"),
    Col("使用登记日期", "registered_on", kind="date"),
    Col("投入使用日期", "commissioned_on", True, "date"),
    Col("制造单位", "manufacturer"),
    Col("安装单位", "installer"),
    Col("维护保养单位", "maintainer"),
    *(Col(f"{p.label}（{p.unit}）" if p.unit else p.label, f"p_{p.key}", kind="param")
      for p in dict.fromkeys(p for req, opt in categories.PARAMS.values() for p in req + opt)),
    Col("上次检验日期", "inspected_on", kind="date"),
    Col("上次检验种类", "inspection_kind"),
    Col("上次检验结论", "conclusion"),
    Col("检验机构", "body"),
    Col("状态", "status"),
)
HEADERS = {c.header: c for c in COLUMNS}
KIND_BY_LABEL = {v: k for k, v in schedule.KIND_LABELS.items()}
CONCLUSION_BY_LABEL = {c.label: c.value for c in Conclusion}
STATUS_BY_LABEL = {s.label: s.value for s in DeviceStatus}


@dataclass
class Result:
    rows: int = 0
    written: int = 0
    problems: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class FileRefused(Exception):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None | str:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return "bad"


def import_devices(source: IO[bytes], *, actor, today: dt.date | None = None) -> Result:
    """Check every row of the workbook and, when there is no problem at all, register every device."""
    today = today or timezone.localdate()
    from jianguan.core import uploads
    from jianguan.core.rules import rule

    try:
        uploads.check_xlsx(source, max_bytes=int(rule("equipment.import_max_bytes", on=today)))
    except uploads.UploadRefused as exc:
        raise FileRefused(exc.message) from None
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused(f"无法读取文件：不是有效的 Excel（.xlsx）文件（{exc.__class__.__name__}）") from None
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise FileRefused("文件为空：第1行应为表头")
    mapping: dict[int, Col] = {}
    problems = []
    for i, text in enumerate(header):
        name = _text(text).rstrip("*")
        if not name:
            continue
        col = HEADERS.get(name)
        if col is None:
            problems.append({"row": 1, "column": name, "letter": get_column_letter(i + 1), "value": name,
                             "message": f"未知的列「{name}」"})
        elif col in mapping.values():
            problems.append({"row": 1, "column": name, "letter": get_column_letter(i + 1), "value": name,
                             "message": f"列「{name}」重复"})
        else:
            mapping[i] = col
    for col in COLUMNS:
        if col.required and col not in mapping.values():
            problems.append({"row": 1, "column": col.header, "letter": "", "value": "", "message":
                             f"缺少必填列「{col.header}」"})
    result = Result(problems=problems)
    if problems:
        return result
    letters = {col.key: get_column_letter(i + 1) for i, col in mapping.items()}
    parsed: list[tuple[int, dict]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        if len(parsed) >= MAX_ROWS:
            raise FileRefused(f"一次最多导入 {MAX_ROWS:,} 行，请拆分文件")
        parsed.append((number, {col.key: values[i] if i < len(values) else None for i, col in mapping.items()}))
    result.rows = len(parsed)
    codes_in_db = set(Device.objects.filter(code__in=[_text(r.get("code")).upper() for _, r in parsed])
                      .values_list("code", flat=True))
    usccs = {_text(r.get("uscc")).upper() for _, r in parsed}
    entities = {e.uscc: e for e in scope_filter(Entity.objects.filter(uscc__in=usccs), actor)}
    seen: dict[str, int] = {}
    good = []

    def bad(number, key, value, message):
        header = next(c.header for c in COLUMNS if c.key == key)
        result.problems.append({"row": number, "column": header, "letter": letters.get(key, ""),
                                "value": _text(value), "message": message})

    for number, raw in parsed:
        data: dict[str, Any] = {k: _text(raw.get(k)) for k in ("code", "category", "name", "location",
                                                               "registration_no", "manufacturer", "installer",
                                                               "maintainer")}
        data["category"] = data["category"].upper()
        row_ok = True
        for key in ("registered_on", "commissioned_on", "inspected_on"):
            value = _date(raw.get(key))
            if value == "bad":
                bad(number, key, raw.get(key), "日期格式应为 YYYY-MM-DD")
                row_ok = False
                value = None
            data[key] = value
        uscc = _text(raw.get("uscc")).upper()
        data["entity"] = entities.get(uscc)
        if data["entity"] is None:
            bad(number, "uscc", uscc, f"统一社会信用代码 {uscc or '（空）'} 不是您管辖范围内已登记的市场主体")
            row_ok = False
        data["params"] = {k[2:]: raw.get(k) for k in raw if k.startswith("p_") and _text(raw.get(k))}
        clean, row_problems = services.check_device(data, today=today, existing_codes=codes_in_db)
        for p in row_problems:
            if p["field"] == "entity" and data["entity"] is None:
                continue
            key = p["field"] if p["field"] in letters or p["field"] in {c.key for c in COLUMNS} else f"p_{p['field']}"
            if key not in {c.key for c in COLUMNS}:
                key = "category"
            bad(number, key, raw.get(key), p["message"])
            row_ok = False
        code = clean["code"]
        if code and code in seen:
            bad(number, "code", code, f"设备代码 {code} 与第 {seen[code]} 行重复")
            row_ok = False
        seen.setdefault(code, number)
        status = _text(raw.get("status")) or DeviceStatus.IN_USE.label
        clean["status"] = STATUS_BY_LABEL.get(status, status)
        if clean["status"] not in DeviceStatus.values:
            bad(number, "status", status, "状态应为：" + "、".join(STATUS_BY_LABEL))
            row_ok = False
        inspection = None
        if data["inspected_on"] or _text(raw.get("conclusion")):
            inspection, message, key = _inspection(raw, data, clean, today)
            if message:
                bad(number, key, raw.get(key), message)
                row_ok = False
        if row_ok:
            good.append((clean, inspection))
    if result.problems:
        return result
    with transaction.atomic():
        result.written = _write(good, actor=actor, today=today)
    return result


def _inspection(raw: dict, data: dict, clean: dict, today: dt.date) -> tuple[dict | None, str, str]:
    on = data["inspected_on"]
    if on is None:
        return None, "填写了检验结论时须填写上次检验日期", "inspected_on"
    commissioned = data.get("commissioned_on")
    if isinstance(commissioned, dt.date) and on < commissioned:
        return None, f"上次检验日期 {on} 早于投入使用日期 {commissioned}，不可能", "inspected_on"
    if on > today:
        return None, f"上次检验日期 {on} 晚于今天，不可能", "inspected_on"
    kind_text = _text(raw.get("inspection_kind")) or schedule.KIND_LABELS[schedule.PERIODIC]
    kind = KIND_BY_LABEL.get(kind_text, kind_text)
    if clean.get("category") and kind not in schedule.kinds_for(clean["category"]):
        allowed = "、".join(schedule.KIND_LABELS[k] for k in schedule.kinds_for(clean["category"]))
        return None, f"检验种类「{kind_text}」不适用于该类设备，应为：{allowed}", "inspection_kind"
    conclusion_text = _text(raw.get("conclusion")) or Conclusion.PASSED.label
    conclusion = CONCLUSION_BY_LABEL.get(conclusion_text, conclusion_text)
    if conclusion not in Conclusion.values:
        return None, "检验结论应为：合格、复检合格或不合格", "conclusion"
    body = _text(raw.get("body"))
    if not body:
        return None, "填写了上次检验时须填写检验机构", "body"
    return {"kind": kind, "inspected_on": on, "conclusion": conclusion, "body": body}, "", ""


def _write(good: list[tuple[dict, dict | None]], *, actor, today: dt.date) -> int:
    user = actor if getattr(actor, "is_authenticated", False) else None
    devices = [Device(code=c["code"], category=c["category"], name=c["name"], registration_no=c["registration_no"],
                      registered_on=c.get("registered_on"), entity=c["entity"], unit_id=c["entity"].unit_id,
                      location=c["location"], manufacturer=c["manufacturer"], installer=c["installer"],
                      maintainer=c["maintainer"], commissioned_on=c["commissioned_on"], params=c["params"],
                      status=c["status"], status_changed_on=c["commissioned_on"]) for c, _ in good]
    Device.objects.bulk_create(devices, batch_size=2000)
    # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; read them back by code to be safe
    ids = dict(Device.objects.filter(code__in=[d.code for d in devices]).values_list("code", "id"))
    StatusChange.objects.bulk_create([StatusChange(device_id=ids[d.code], after=d.status, on=d.commissioned_on,
                                                   reason="台账导入", actor=user) for d in devices], batch_size=2000)
    Inspection.objects.bulk_create([Inspection(device_id=ids[c["code"]], recorded_by=user, note="台账导入", **ins)
                                    for c, ins in good if ins], batch_size=2000)
    services.recompute_schedules(today=today, device_ids=ids.values())
    audit.record(actor=actor, action="equipment.device.imported", object_type="equipment.device",
                 object_repr=f"导入 {len(devices)} 台设备", unit=getattr(getattr(actor, "profile", None), "unit", None),
                 changes={"devices": [None, len(devices)], "codes": [None, sorted(ids)[:50]]})
    return len(devices)


# --- export ----------------------------------------------------------------------------------------------------


def _export_row(d: Device) -> list:
    row = {
        "code": d.code, "category": d.category, "name": d.name, "uscc": d.entity.uscc, "entity_name": d.entity.name,
        "location": d.location, "registration_no": d.registration_no, "registered_on": d.registered_on,
        "commissioned_on": d.commissioned_on, "manufacturer": d.manufacturer, "installer": d.installer,
        "maintainer": d.maintainer, "status": d.get_status_display(),
    }
    for key, value in (d.params or {}).items():
        row[f"p_{key}"] = value
    last = d.last_inspection if hasattr(d, "last_inspection") else None
    if last is not None:
        row.update({"inspected_on": last.inspected_on, "inspection_kind": last.kind_label,
                    "conclusion": last.get_conclusion_display(), "body": last.body})
    return [row.get(c.key, "") for c in COLUMNS]


def export_devices(qs) -> bytes:
    """The devices of ``qs`` as a workbook in the import's layout (their latest inspection included)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append([c.header for c in COLUMNS])
    qs = qs.select_related("entity").order_by("id")
    last: dict[int, Inspection] = {}
    batch = []

    def flush():
        for ins in Inspection.objects.filter(device_id__in=[d.id for d in batch]).order_by("device_id",
                                                                                          "inspected_on", "id"):
            last[ins.device_id] = ins
        for d in batch:
            d.last_inspection = last.pop(d.id, None)
            ws.append(_export_row(d))
        batch.clear()

    for device in qs.iterator(chunk_size=2000):
        batch.append(device)
        if len(batch) >= 2000:
            flush()
    flush()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template() -> bytes:
    return export_devices(Device.objects.none())
