"""Import and export of the register of instruments under compulsory verification as Excel, all or nothing:
every row is checked (unknown kind, duplicate serial in the file or the register, impossible dates, an owner that
is not a registered entity in scope, a last verification without its certificate) and any problem writes nothing;
problems come back as {row, column, letter, value, message}. An exported file imports back."""

from __future__ import annotations

import datetime as dt
import io
from typing import IO

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from jianguan.core import audit
from jianguan.core.scope import scope_filter
from jianguan.equipment.importer import FileRefused, Result, _date, _text
from jianguan.equipment.schedule import add_months
from jianguan.registry.models import Entity

from .models import Instrument, Verification
from .rules import KINDS
from .services import interval_months

SHEET = "计量器具"
COLUMNS = (("出厂编号", "serial", True), ("器具种类", "kind", True), ("型号规格", "model", False),
           ("使用单位统一社会信用代码", "uscc", True), ("使用地点", "location", True), ("启用日期", "commissioned_on", True),
           ("上次检定日期", "verified_on", False), ("检定证书编号", "certificate_no", False), ("检定结论", "conclusion", False),
           ("检定机构", "body", False))
KIND_BY_LABEL = {v: k for k, v in KINDS.items()}
CONCLUSIONS = {"合格": "passed", "不合格": "failed"}


def import_instruments(source: IO[bytes], *, actor, today: dt.date | None = None) -> Result:
    today = today or timezone.localdate()
    from jianguan.core import uploads
    from jianguan.core.rules import rule

    try:
        uploads.check_xlsx(source, max_bytes=int(rule("metrology.import_max_bytes", on=today)))
    except uploads.UploadRefused as exc:
        raise FileRefused(exc.message) from None
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable file
        raise FileRefused(f"无法读取文件：不是有效的 Excel（.xlsx）文件（{exc.__class__.__name__}）") from None
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [(_text(h).rstrip("*")) for h in (next(rows, None) or ())]
    known = {h: key for h, key, _ in COLUMNS}
    result = Result()
    for i, h in enumerate(header):
        if h and h not in known:
            result.problems.append({"row": 1, "column": h, "letter": get_column_letter(i + 1), "value": h,
                                    "message": f"未知的列「{h}」"})
    for h, _key, required in COLUMNS:
        if required and h not in header:
            result.problems.append({"row": 1, "column": h, "letter": "", "value": "", "message": f"缺少必填列「{h}」"})
    if result.problems:
        return result
    index = {known[h]: i for i, h in enumerate(header) if h in known}
    letter = {k: get_column_letter(i + 1) for k, i in index.items()}
    label = {key: h for h, key, _ in COLUMNS}
    parsed = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        parsed.append((number, {k: values[i] if i < len(values) else None for k, i in index.items()}))
    result.rows = len(parsed)
    serials = [_text(r.get("serial")).upper() for _, r in parsed]
    in_db = set(Instrument.objects.filter(serial__in=serials).values_list("serial", flat=True))
    owners = {e.uscc: e for e in scope_filter(Entity.objects.filter(uscc__in={_text(r.get("uscc")).upper()
                                                                              for _, r in parsed}), actor)}
    seen: dict[str, int] = {}
    good = []

    def bad(number, key, value, message):
        result.problems.append({"row": number, "column": label[key], "letter": letter.get(key, ""),
                                "value": _text(value), "message": message})

    for number, raw in parsed:
        before = len(result.problems)
        serial = _text(raw.get("serial")).upper()
        if not serial:
            bad(number, "serial", "", "出厂编号不能为空")
        elif serial in in_db:
            bad(number, "serial", serial, f"出厂编号 {serial} 已登记")
        elif serial in seen:
            bad(number, "serial", serial, f"出厂编号 {serial} 与第 {seen[serial]} 行重复")
        seen.setdefault(serial, number)
        kind_text = _text(raw.get("kind"))
        kind = KIND_BY_LABEL.get(kind_text, kind_text)
        if kind not in KINDS:
            bad(number, "kind", kind_text, "器具种类应为：" + "、".join(KINDS.values()))
        owner = owners.get(_text(raw.get("uscc")).upper())
        if owner is None:
            bad(number, "uscc", raw.get("uscc"), "不是您管辖范围内已登记的市场主体")
        if not _text(raw.get("location")):
            bad(number, "location", "", "使用地点不能为空")
        commissioned = _date(raw.get("commissioned_on"))
        if not isinstance(commissioned, dt.date) or commissioned > today:
            bad(number, "commissioned_on", raw.get("commissioned_on"), "启用日期应为不晚于今天的日期（YYYY-MM-DD）")
        verified = _date(raw.get("verified_on"))
        conclusion = CONCLUSIONS.get(_text(raw.get("conclusion")) or "合格")
        if verified == "bad" or (isinstance(verified, dt.date) and verified > today):
            bad(number, "verified_on", raw.get("verified_on"), "上次检定日期应为不晚于今天的日期（YYYY-MM-DD）")
        elif isinstance(verified, dt.date):
            if isinstance(commissioned, dt.date) and verified < commissioned - dt.timedelta(days=90):
                bad(number, "verified_on", raw.get("verified_on"), f"上次检定日期早于启用日期 {commissioned}，不可能")
            if not _text(raw.get("certificate_no")):
                bad(number, "certificate_no", "", "填写了上次检定时须填写检定证书编号")
            if conclusion is None:
                bad(number, "conclusion", raw.get("conclusion"), "检定结论应为合格或不合格")
        if len(result.problems) == before:
            good.append((serial, kind, owner, raw, commissioned, verified if isinstance(verified, dt.date) else None,
                         conclusion))
    if result.problems:
        return result
    with transaction.atomic():
        objs = []
        for serial, kind, owner, raw, commissioned, verified, conclusion in good:
            due = (verified if conclusion == "failed" else add_months(verified, interval_months(kind, verified))) \
                if verified else commissioned
            objs.append(Instrument(serial=serial, kind=kind, model=_text(raw.get("model")), owner=owner,
                                   unit_id=owner.unit_id, location=_text(raw.get("location")),
                                   commissioned_on=commissioned, last_verified_on=verified,
                                   last_conclusion=conclusion if verified else "", next_due=due))
        Instrument.objects.bulk_create(objs, batch_size=2000)
        ids = dict(Instrument.objects.filter(serial__in=[o.serial for o in objs]).values_list("serial", "id"))
        Verification.objects.bulk_create([
            Verification(instrument_id=ids[o.serial], verified_on=o.last_verified_on,
                         body=_text(raw.get("body")) or "—", certificate_no=_text(raw.get("certificate_no")),
                         conclusion=o.last_conclusion, next_due=o.next_due)
            for o, (_s, _k, _o, raw, *_rest) in zip(objs, good) if o.last_verified_on], batch_size=2000)
        audit.record(actor=actor, action="metrology.instrument.imported", object_type="metrology.instrument",
                     object_repr=f"导入 {len(objs)} 台计量器具", changes={"instruments": [None, len(objs)]})
        result.written = len(objs)
    return result


def export_instruments(qs) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append([h for h, _k, _r in COLUMNS])
    last = {}
    for v in Verification.objects.filter(instrument__in=qs).order_by("instrument_id", "verified_on", "id"):
        last[v.instrument_id] = v
    for i in qs.select_related("owner").order_by("serial"):
        v = last.get(i.pk)
        ws.append([i.serial, KINDS[i.kind], i.model, i.owner.uscc, i.location, i.commissioned_on,
                   v.verified_on if v else None, v.certificate_no if v else "", v.get_conclusion_display() if v else "",
                   v.body if v else ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
