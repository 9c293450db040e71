"""Registers (台账): the simple lists a department keeps — GI products, certification bodies, standards… — with one
engine for their workbench list, entry form, Excel import and export, and staff API.

An app describes a register once (``Register``: its model, columns, the service that writes a row, the two
permissions) and gets:

- the list page (scoped through the register's ``queryset(user)``, searchable, paginated, one query per page plus
  the count), the entry form and the Excel export and template, via ``urls(namespace, registers)``;
- the import: an .xlsx whose first row names the columns (any order; extra columns ignored). All or nothing: every
  row goes through the same service as the form, each in a savepoint, and a single refusal anywhere rolls the whole
  file back and lists every problem by row and column;
- ``api_routes(router, registers)``: ``GET /<key>`` (paginated) and ``POST /<key>`` (a JSON object keyed by column
  name, with the form's and the import's validation);
- corrections and withdrawals of a row, for every register (#20): ``correct_row`` (the entry form pre-filled; every
  changed column kept as before/after with a required reason), ``withdraw_row`` / ``restore_row`` (a reason; the row
  is kept, hidden from the list, the exports and the public side unless asked for with ``state``), each audited and
  kept as the row's history (``core.RegisterEvent``), under ``manage_perm`` and the register's scope, atomic, and a
  repeated request changes nothing. Workbench: ``<key>/<pk>/record/`` (the row and its history), ``…/correct/``,
  ``…/withdraw/``, ``…/restore/``; API: ``GET``/``PATCH /<key>/{id}``, ``POST /<key>/{id}/withdraw`` and
  ``/restore``. Public pages and figures that read a register's model directly filter it with ``live(qs)``.

A correction is validated by the register's own create service, so it meets every rule a new row meets
(duplicates, areas, number formats, expired approvals): inside a savepoint the row (and its ``companions``, the
rows the service creates with it, e.g. its licence) is set aside, the service is called with the corrected values,
the values it would store are kept, and the savepoint is rolled back; then those values are written onto the row
itself (same id, same links). A register whose service has side effects that must not run twice (a capture of a web
page) names its own ``update`` service instead; ``correctable`` limits the columns that may be corrected.

Writes stay in the app's services (keyword-only, ``actor``, atomic, audited); this module only converts text to
values and reports which row and column a refusal concerns (``ValidationFailed.field`` names the column).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import router as db_router
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from ninja import Body, Query, Schema

from . import lists
from .errors import DomainError, TransitionNotAllowed, ValidationFailed

MAX_IMPORT_ROWS = 5000
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column of a register: ``name`` is the service's keyword and the API's key, ``header`` the Excel column.

    ``kind``: text, date, decimal, int, bool, choice (``choices`` = ((value, label), …); the import accepts either),
    list (several values separated by 、 , ; or new lines), entity (a USCC, resolved to a registry entity), ref (text
    resolved by ``parse``). ``attr`` is the model attribute shown (default ``name``); ``show`` a function of the row
    giving the text shown in lists and exports when the attribute alone is not enough.
    """

    name: str
    header: str
    kind: str = "text"
    required: bool = True
    choices: tuple = ()
    note: str = ""
    max_length: int = 200
    parse: Callable[[str], Any] | None = None
    show: Callable[[Any], str] | None = None
    attr: str = ""
    in_list: bool = True


@dataclass
class Register:
    key: str
    title: str
    model: type
    columns: tuple[Column, ...]
    create: Callable[..., Any]
    queryset: Callable[[Any], Any]
    view_perm: str
    manage_perm: str
    description: str = ""
    search: tuple[str, ...] = ()
    extra: tuple[tuple[str, Callable[[Any], str]], ...] = ()  # (header, fn(row)) shown after the columns
    example: tuple = ()  # one example row for the template, in column order
    link: Callable[[Any], str] | None = None  # the URL of a row's own page, linked from its first cell
    correctable: tuple[str, ...] | None = None  # the columns a correction may change (None: every column)
    companions: tuple[str, ...] = ()  # FKs to rows the create service makes with the row (its licence)
    update: Callable[..., Any] | None = None  # the app's own correction service (actor, row, **values)
    namespace: str = field(default="", init=False)

    def __post_init__(self):
        REGISTRY[self.label] = self

    @property
    def label(self) -> str:
        """Unique across apps: ``<app_label>.<key>`` (the key alone is unique only within its app)."""
        return f"{self.model._meta.app_label}.{self.key}"

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def may_correct(self, column: Column) -> bool:
        return self.correctable is None or column.name in self.correctable


REGISTRY: dict[str, Register] = {}


@dataclass(frozen=True)
class Sheet:
    """A table that is imported like a register — the same columns, conversion, all-or-nothing import with errors by
    row and column, and template — but is not a register: no list, entry form, correction or withdrawal of its own
    (records with their own workflow and pages, such as inspections imported in bulk). ``import_rows`` and
    ``template`` take a Sheet or a Register; the caller checks the permission and renders
    ``registers/import.html`` with ``register`` = the sheet."""

    title: str
    columns: tuple[Column, ...]
    create: Callable[..., Any]
    description: str = ""
    example: tuple = ()


def all_registers() -> list[Register]:
    """Every register of every installed app (each app's ``registers.py``)."""
    autodiscover_modules("registers")
    return list(REGISTRY.values())


# --- converting text to values ---------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("日期格式应为 2026-03-02")


def split_list(text: str) -> list[str]:
    for sep in ("、", "，", ";", "；", "\n"):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def entity_by_code(text: str):
    from jianguan.registry.models import Entity

    code = text.strip().upper()
    entity = Entity.objects.select_related("division", "unit").filter(uscc=code).first()
    if entity is None:
        raise ValueError(f"统一社会信用代码 {code} 未在市场主体名录中")
    return entity


def convert(column: Column, raw) -> Any:
    """The value of ``raw`` (a cell, a form field or a JSON value) for ``column``; ValueError with the reason."""
    if column.kind == "date" and isinstance(raw, dt.date):
        return raw.date() if isinstance(raw, dt.datetime) else raw
    if column.kind == "bool" and isinstance(raw, bool):
        return raw
    if column.kind == "list" and isinstance(raw, list | tuple):
        raw = ",".join(str(v) for v in raw)
    text = _text(raw)
    if not text:
        if column.required:
            raise ValueError("必填")
        return [] if column.kind == "list" else (False if column.kind == "bool" else ("" if column.kind in (
            "text", "choice") else None))
    if column.kind == "text":
        if len(text) > column.max_length:
            raise ValueError(f"不能超过 {column.max_length} 个字")
        return text
    if column.kind == "date":
        return parse_date(text)
    if column.kind == "decimal":
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError("应为数字") from None
        if value < 0 or not value.is_finite():
            raise ValueError("不能为负数")
        return value
    if column.kind == "int":
        try:
            value = int(text.replace(",", ""))
        except ValueError:
            raise ValueError("应为整数") from None
        if value < 0:
            raise ValueError("不能为负数")
        return value
    if column.kind == "bool":
        if text in ("是", "1", "true", "True", "TRUE", "Y", "y", "on"):
            return True
        if text in ("否", "0", "false", "False", "FALSE", "N", "n", "off"):
            return False
        raise ValueError("应为 是 或 否")
    if column.kind == "choice":
        for value, label in column.choices:
            if text in (value, label):
                return value
        raise ValueError("应为以下之一：" + "、".join(label for _, label in column.choices))
    if column.kind == "list":
        return split_list(text)
    if column.kind == "entity":
        return entity_by_code(text)
    if column.kind == "ref":
        return column.parse(text)
    raise ValueError(f"未知的列类型 {column.kind}")


def shown(column: Column, row) -> str:
    """The text of ``column`` for ``row`` in lists and exports (exports re-import: codes, not names)."""
    if column.show is not None:
        return column.show(row)
    value = getattr(row, column.attr or column.name)
    if value is None or value == "":
        return ""
    if column.kind == "entity":
        return value.uscc
    if column.kind == "choice":
        return dict(column.choices).get(value, value)
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "list":
        return "、".join(str(v) for v in value)
    if column.kind == "date":
        return value.isoformat()
    return str(value)


# --- writing rows -----------------------------------------------------------------------------------------------------


def create_row(register: Register | Sheet, *, actor, raw: dict) -> Any:
    """Convert ``raw`` (column name → text or value) and call the register's service.

    ValidationFailed lists every conversion problem as {field, message}; a service's refusal passes through.
    """
    values, problems = {}, []
    for column in register.columns:
        try:
            values[column.name] = convert(column, raw.get(column.name))
        except ValueError as exc:
            problems.append({"field": column.name, "column": column.header, "message": f"{column.header}：{exc}"})
    if problems:
        raise ValidationFailed(problems[0]["message"], field=problems[0]["field"], details=problems)
    return register.create(actor=actor, **values)


@dataclass
class ImportReport:
    created: int = 0
    errors: list[dict] = field(default_factory=list)


class ImportRefused(ValidationFailed):
    pass


def import_rows(register: Register | Sheet, *, actor, data: bytes) -> ImportReport:
    """Import an .xlsx into ``register``: every row or none (ImportRefused lists each problem by row and column)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds for a file that is not a workbook
        raise ImportRefused("文件不是有效的 .xlsx 工作簿", details=[{"row": None, "column": "", "message":
                                                            "请上传 Excel 2007 及以上格式（.xlsx）的文件"}]) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    by_header = {c.header: c for c in register.columns}
    positions: dict[int, Column] = {}
    for i, cell in enumerate(header or ()):
        column = by_header.get(_text(cell))
        if column is not None:
            positions[i] = column
    missing = [c.header for c in register.columns if c.required and c not in positions.values()]
    if missing:
        raise ImportRefused("缺少必填列：" + "、".join(missing),
                            details=[{"row": 1, "column": h, "message": "缺少此列"} for h in missing])
    report = ImportReport()
    header_of = {c.name: c.header for c in register.columns}
    with transaction.atomic():
        for number, cells in enumerate(rows, start=2):
            if cells is None or all(_text(v) == "" for v in cells):
                continue
            if number - 1 > MAX_IMPORT_ROWS:
                report.errors.append({"row": number, "column": "", "message": f"一次最多导入 {MAX_IMPORT_ROWS} 行"})
                break
            raw = {col.name: cells[i] if i < len(cells) else None for i, col in positions.items()}
            try:
                with transaction.atomic():
                    create_row(register, actor=actor, raw=raw)
                report.created += 1
            except DomainError as exc:
                items = exc.details if isinstance(exc.details, list) and exc.details else [
                    {"field": exc.field, "message": exc.message}]
                for item in items:
                    report.errors.append({"row": number, "column": header_of.get(item.get("field"), ""),
                                          "message": item.get("message") or exc.message})
        if report.errors:
            transaction.set_rollback(True)
    if report.errors:
        raise ImportRefused(f"共 {len(report.errors)} 处错误，未导入任何数据", details=report.errors)
    if not report.created:
        raise ImportRefused("文件中没有数据行", details=[{"row": 2, "column": "", "message": "第 2 行起应为数据"}])
    return report


def write_workbook(register: Register, rows, target) -> int:
    """The register as .xlsx written to ``target``, with the import's headers (so an export can be corrected and
    imported elsewhere). openpyxl write-only: rows stream from ``rows`` to the file, memory stays flat. Text is never
    a formula (a cell starting with = + - @ is kept as text). Returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(lists.sheet_title(register.title))
    headers = [c.header for c in register.columns] + [h for h, _ in register.extra]
    for i, header in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(header) * 2 + 4)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    count = 0
    for row in rows:
        values = [shown(c, row) for c in register.columns] + [fn(row) for _, fn in register.extra]
        ws.append([lists.cell_value(ws, v) for v in values])
        count += 1
    wb.save(target)
    return count


def workbook(register: Register, rows) -> bytes:
    """``write_workbook`` into memory (small registers, tests)."""
    out = io.BytesIO()
    write_workbook(register, rows, out)
    return out.getvalue()


def template(register: Register | Sheet) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = lists.sheet_title(register.title)
    ws.append([c.header for c in register.columns])
    if register.example:
        ws.append(list(register.example))
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "必填", "说明"])
    for c in register.columns:
        note = c.note or ("可填：" + "、".join(label for _, label in c.choices) if c.choices else "")
        notes.append([c.header, "是" if c.required else "否", note])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- corrections and withdrawals (#20) ------------------------------------------------------------------------------

STATES = (("", "在册"), ("withdrawn", "已撤回"), ("all", "全部（含已撤回）"))
MAX_REASON = 500


def _withdrawn_ids(model):
    from django.contrib.contenttypes.models import ContentType

    from .models import RegisterWithdrawal

    return RegisterWithdrawal.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False)).values("object_id")


def live(qs):
    """``qs`` without its withdrawn rows: what lists, exports, public pages and figures show by default."""
    return qs.exclude(pk__in=_withdrawn_ids(qs.model))


def in_state(qs, state: str):
    """``state``: "" the rows in the register (default), "withdrawn" the withdrawn ones, "all" both."""
    if state == "all":
        return qs
    if state == "withdrawn":
        return qs.filter(pk__in=_withdrawn_ids(qs.model))
    return live(qs)


def withdrawal_of(row):
    from django.contrib.contenttypes.models import ContentType

    from .models import RegisterWithdrawal

    return RegisterWithdrawal.objects.filter(
        content_type=ContentType.objects.get_for_model(type(row), for_concrete_model=False),
        object_id=row.pk).select_related("actor").first()


def withdrawn_message(row, *, what: str, doing: str) -> str | None:
    """Why ``row``'s own action ``doing`` is refused — it was withdrawn from its register — or None. ``what`` names
    the row (“地方标准“…””). The row's page shows it in place of the action's form."""
    withdrawal = withdrawal_of(row)
    if withdrawal is None:
        return None
    at = timezone.localtime(withdrawal.at).date()
    return (f"{what}已于 {at:%Y-%m-%d} 撤回（理由：{withdrawal.reason}），不能{doing}；"
            f"如撤回有误，请先在台账的登记记录中恢复")


def refuse_if_withdrawn(row, *, what: str, doing: str) -> None:
    """Raise ``TransitionNotAllowed`` (API 409) when ``row`` is withdrawn: a withdrawn row is out of the register, so
    its own actions (a visit's record, a pilot's milestones, a local standard's next stage, a batch's trace…) are
    refused until it is restored."""
    message = withdrawn_message(row, what=what, doing=doing)
    if message:
        raise TransitionNotAllowed(message, code="row_withdrawn")


def refuse_reference_to_withdrawn(row, *, what: str, field: str) -> None:
    """A new row may not refer to a withdrawn one (a visit to a withdrawn park, a movement of a withdrawn batch…):
    ``ValidationFailed`` naming ``field``, whichever door the new row comes through, until the row is restored."""
    if withdrawal_of(row) is not None:
        raise ValidationFailed(f"{what}已撤回，不能引用（如撤回有误，请先在台账中恢复）", field=field)


def register_of(row) -> Register | None:
    """The register whose rows are ``row``'s model (None if it is not a register's)."""
    return next((r for r in REGISTRY.values() if r.model is type(row)), None)


def history(row) -> list:
    """The row's corrections, withdrawals and restorations, oldest first."""
    from django.contrib.contenttypes.models import ContentType

    from .models import RegisterEvent

    return list(RegisterEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(row), for_concrete_model=False),
        object_id=row.pk).order_by("at", "id"))


def row_for(register: Register, user, pk) -> Any:
    """The row ``pk`` of ``register`` if ``user`` may see it (the register's scope), withdrawn or not; else 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    row = register.queryset(user).filter(pk=pk).first()
    if row is None:
        raise Http404(f"{register.title}中没有这条记录，或不在您的管辖范围内")
    return row


def values_of(register: Register, row) -> dict[str, str]:
    """Column name → the text shown (and exported) for ``row``; what a correction compares."""
    return {c.name: shown(c, row) for c in register.columns}


def initial_of(register: Register, row) -> dict:
    """The entry form's initial values for ``row`` (the correction form is the entry form pre-filled)."""
    out = {}
    for c in register.columns:
        text = shown(c, row)
        if c.kind in ("date", "choice", "bool") and text:
            try:
                out[c.name] = convert(c, text)
            except ValueError:
                out[c.name] = text
        else:
            out[c.name] = text
    return out


def _reason(reason) -> str:
    text = _text(reason)
    if not text:
        raise ValidationFailed("请填写理由", field="reason", details=[{"field": "reason", "message": "理由：必填"}])
    if len(text) > MAX_REASON:
        raise ValidationFailed(f"理由不能超过 {MAX_REASON} 个字", field="reason")
    return text


def _locked(row):
    """``row`` again, locked until the transaction ends: two clicks at once are served one after the other."""
    return type(row)._base_manager.select_for_update().get(pk=row.pk)


def _stored_fields(register: Register):
    """The model fields a correction writes: those named by a column, the unit (follows the entity) and the blind
    index of an encrypted column (#14: else a corrected value is searched by its old hash)."""
    from .fields import BlindIndexField

    model = register.model
    names = {c.name for c in register.columns} | {"unit"}
    out = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in register.companions:
            continue
        if f.name in names or (isinstance(f, BlindIndexField) and f.source in names):
            out.append(f)
    return out


def _companion_fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name != "status"
            and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)]


class _Probe(Exception):
    pass


def _apply_by_probe(register: Register, *, actor, row, values: dict) -> None:
    """Validate ``values`` with the register's create service on the row set aside, then write them onto ``row``."""
    using = db_router.db_for_write(type(row))
    fields = _stored_fields(register)
    companions = {name: getattr(row, name) for name in register.companions if getattr(row, name) is not None}
    kept: dict = {}
    try:
        with transaction.atomic(using=using):
            # foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED), and this savepoint never commits
            type(row)._base_manager.filter(pk=row.pk)._raw_delete(using)
            for obj in companions.values():
                type(obj)._base_manager.filter(pk=obj.pk)._raw_delete(using)
            probe = register.create(actor=actor, **values)
            kept["row"] = {f.attname: getattr(probe, f.attname) for f in fields}
            for name, obj in companions.items():
                other = getattr(probe, name)
                kept[name] = {f.attname: getattr(other, f.attname) for f in _companion_fields(type(obj))}
            raise _Probe
    except _Probe:
        pass
    for attname, value in kept["row"].items():
        setattr(row, attname, value)
    row.save(update_fields=[f.name for f in fields])
    for name, obj in companions.items():
        for attname, value in kept[name].items():
            setattr(obj, attname, value)
        obj.save(update_fields=[f.name for f in _companion_fields(type(obj))])


def _masked(register: Register, changes):
    """``changes`` with the values of encrypted columns masked: the history and the audit log are JSON kept in
    clear, so the value itself stays only in the encrypted column (#14, as ``registry.masking.redact_changes``)."""
    from jianguan.registry.masking import mask_personal

    if not changes:
        return changes
    return [{**c, "before": mask_personal(c["column"], c["before"]), "after": mask_personal(c["column"], c["after"])}
            if _encrypted(register.model, c["column"]) else c for c in changes]


def _event(register: Register, *, actor, row, kind: str, reason: str, changes=None):
    from django.contrib.contenttypes.models import ContentType

    from . import audit
    from .models import RegisterEvent

    unit = getattr(row, "unit_id", None)
    changes = _masked(register, changes)
    event = RegisterEvent.objects.create(
        register=register.label, kind=kind, reason=reason, changes=changes or [],
        content_type=ContentType.objects.get_for_model(type(row), for_concrete_model=False), object_id=row.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=(actor.get_username() if getattr(actor, "is_authenticated", False) else str(actor))[:150],
        unit_id=unit)
    audit_changes = {"register": [None, register.label], "reason": [None, reason]}
    for change in changes or []:
        audit_changes[change["column"]] = [change["before"], change["after"]]
    audit.record(actor=actor, action=f"registers.{kind}", obj=row, unit=unit, changes=audit_changes)
    return event


def _as_value(column: Column, text: str):
    """The value a stored row's shown ``text`` stands for (None when it cannot be read back)."""
    try:
        return convert(column, text) if text != "" else convert(Column(column.name, column.header, column.kind,
                                                                            required=False), None)
    except ValueError:
        return None


@dataclass
class Correction:
    row: Any
    changes: list[dict]  # [{column, header, before, after}]; empty: nothing changed, nothing recorded


@transaction.atomic
def correct_row(register: Register, *, actor, row, raw: dict, reason) -> Correction:
    """Correct ``row`` with ``raw`` (column name → text or value; a column left out keeps its value).

    Refused: a withdrawn row (restore it first), a column the register does not allow to correct, any value its
    create service would refuse. Every changed column is kept (before/after, the reason) and audited; the same
    correction sent twice changes nothing the second time.
    """
    row = _locked(row)
    if withdrawal_of(row) is not None:
        raise ValidationFailed("该记录已撤回，请先恢复再更正")
    current = values_of(register, row)
    values, problems = {}, []
    for column in register.columns:
        given = raw.get(column.name, current[column.name]) if column.name in raw else current[column.name]
        try:
            values[column.name] = convert(column, given)
        except ValueError as exc:
            problems.append({"field": column.name, "column": column.header, "message": f"{column.header}：{exc}"})
            continue
        if values[column.name] != _as_value(column, current[column.name]) and not register.may_correct(column):
            problems.append({"field": column.name, "column": column.header,
                             "message": f"{column.header}：此项不能更正（如确有错误，请撤回本条后重新登记）"})
    if problems:
        raise ValidationFailed(problems[0]["message"], field=problems[0]["field"], details=problems)
    reason = _reason(reason)
    unchanged = all(values[c.name] == _as_value(c, current[c.name]) for c in register.columns)
    if unchanged:
        return Correction(row=row, changes=[])
    if register.update is not None:
        register.update(actor=actor, row=row, **values)
    else:
        _apply_by_probe(register, actor=actor, row=row, values=values)
    # read back through the register's own query (its annotations, e.g. milestones done, feed the extra columns)
    row = register.queryset(actor).filter(pk=row.pk).first() or type(row)._base_manager.get(pk=row.pk)
    after = values_of(register, row)
    changes = [{"column": c.name, "header": c.header, "before": current[c.name], "after": after[c.name]}
               for c in register.columns if current[c.name] != after[c.name]]
    if changes:
        _event(register, actor=actor, row=row, kind="corrected", reason=reason, changes=changes)
    return Correction(row=row, changes=changes)


@transaction.atomic
def withdraw_row(register: Register, *, actor, row, reason):
    """Withdraw ``row`` (kept, with its history; hidden by default) and take its companions out with it (its licence
    leaves the verifiable draw's candidates), in one transaction. Withdrawing it again changes nothing.
    Returns the withdrawal."""
    from django.contrib.contenttypes.models import ContentType

    from .models import RegisterWithdrawal

    row = _locked(row)
    existing = withdrawal_of(row)
    if existing is not None:
        return existing
    reason = _reason(reason)
    withdrawal = RegisterWithdrawal.objects.create(
        register=register.label, content_type=ContentType.objects.get_for_model(type(row), for_concrete_model=False),
        object_id=row.pk, reason=reason, actor=actor if getattr(actor, "is_authenticated", False) else None)
    _event(register, actor=actor, row=row, kind="withdrawn", reason=reason, changes=_companions_aside(register, row))
    return withdrawal


def _companion_status(name: str, obj) -> tuple[str, str]:
    field = type(obj)._meta.get_field("status")
    return f"{name}.status", f"{field.verbose_name}（{type(obj)._meta.verbose_name} {obj}）"


def _status_label(obj, value) -> str:
    return str(dict(type(obj)._meta.get_field("status").flatchoices).get(value, value or ""))


def _companions_aside(register: Register, row) -> list[dict]:
    """The companions of a withdrawn row taken out with it (a licence leaves the draw's candidate set: its
    ``withdraw_with_row``); each status change kept in the withdrawal's event (``value``: the status to give back)."""
    changes = []
    for name in register.companions:
        obj = getattr(row, name, None)
        if obj is None or not hasattr(obj, "withdraw_with_row"):
            continue
        obj = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        before = obj.withdraw_with_row()
        if before is None:
            continue
        obj.save(update_fields=["status"])
        column, header = _companion_status(name, obj)
        changes.append({"column": column, "header": header, "before": _status_label(obj, before),
                        "after": _status_label(obj, obj.status), "value": before})
    return changes


def _companions_back(register: Register, row) -> list[dict]:
    """The companions of a restored row brought back with the status the withdrawal's event kept."""
    from django.contrib.contenttypes.models import ContentType

    from .models import RegisterEvent

    last = RegisterEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(row), for_concrete_model=False), object_id=row.pk,
        kind="withdrawn").order_by("-at", "-id").first()
    kept = {c["column"]: c.get("value") for c in (last.changes if last else [])}
    changes = []
    for name in register.companions:
        obj = getattr(row, name, None)
        if obj is None or not hasattr(obj, "restore_with_row"):
            continue
        obj = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        column, header = _companion_status(name, obj)
        before = obj.status
        if not obj.restore_with_row(kept.get(column), timezone.localdate()):
            continue
        obj.save(update_fields=["status"])
        changes.append({"column": column, "header": header, "before": _status_label(obj, before),
                        "after": _status_label(obj, obj.status), "value": obj.status})
    return changes


@transaction.atomic
def restore_row(register: Register, *, actor, row, reason) -> bool:
    """Put a withdrawn row back in the register (a reason; kept in its history). False when it was not withdrawn."""
    row = _locked(row)
    existing = withdrawal_of(row)
    if existing is None:
        return False
    reason = _reason(reason)
    existing.delete()
    _event(register, actor=actor, row=row, kind="restored", reason=reason, changes=_companions_back(register, row))
    return True


# --- workbench views ---------------------------------------------------------------------------------------------------


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def entry_form(register: Register, data=None) -> forms.Form:
    fields = {}
    for c in register.columns:
        help_text = c.note
        if c.kind == "date":
            f = forms.DateField(label=c.header, required=c.required, help_text=help_text,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        elif c.kind == "choice":
            f = forms.ChoiceField(label=c.header, required=c.required, help_text=help_text,
                                  choices=[("", "请选择")] + list(c.choices))
        elif c.kind == "bool":
            f = forms.BooleanField(label=c.header, required=False, help_text=help_text)
        elif c.kind in ("decimal", "int"):
            f = forms.CharField(label=c.header, required=c.required, help_text=help_text,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
        elif c.kind == "list" or c.max_length > 300:
            f = forms.CharField(label=c.header, required=c.required, help_text=help_text,
                                widget=forms.Textarea(attrs={"rows": 2}))
        else:
            f = forms.CharField(label=c.header, required=c.required, help_text=help_text,
                                max_length=c.max_length if c.kind == "text" else 200)
        fields[c.name] = f
    return type("RegisterForm", (forms.Form,), fields)(data)


def _state(request) -> str:
    state = request.GET.get("state", "")
    return state if state in dict(STATES) else ""


def _blind_index_of(model, name: str) -> str | None:
    """The blind-index field kept for the encrypted field ``name`` of ``model`` (None if it has none)."""
    from .fields import BlindIndexField

    return next((f.name for f in model._meta.concrete_fields
                 if isinstance(f, BlindIndexField) and f.source == name), None)


def _encrypted(model, name: str) -> bool:
    from django.core.exceptions import FieldDoesNotExist

    from .fields import EncryptedTextField

    try:
        return isinstance(model._meta.get_field(name), EncryptedTextField)
    except FieldDoesNotExist:
        return False


def search_condition(register: Register, q: str) -> Q:
    """The rows whose search columns contain ``q``; an encrypted column (#14) matches the whole value through its
    keyed hash instead (ciphertext cannot be searched for a part: an encrypted column without a blind index is
    refused by the field)."""
    from . import crypto

    cond = Q()
    for name in register.search:
        index = _blind_index_of(register.model, name) if _encrypted(register.model, name) else None
        cond |= Q(**{index: crypto.blind_index(q)}) if index else Q(**{f"{name}__icontains": q})
    return cond


def _sort_field(register: Register, column: Column) -> str | None:
    """The model field a list may sort ``column`` on: its own concrete field, an entity column by the entity's code
    (what is shown); None for computed columns (lists, references, ``show`` functions) and encrypted ones (#14: the
    ciphertext's order means nothing)."""
    from django.core.exceptions import FieldDoesNotExist

    if column.show is not None or column.kind in ("list", "ref"):
        return None
    name = column.attr or column.name
    try:
        f = register.model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if column.kind == "entity":
        return f"{name}__uscc" if f.is_relation else None  # shown as the code, sorted by it
    if _encrypted(register.model, name):
        return None
    return name if f.concrete and not f.is_relation else None


def list_spec(register: Register) -> lists.Spec:
    """The register's list as a ``core.lists`` spec: its shown columns, sortable where they are model fields."""
    spec = getattr(register, "_list_spec", None)
    if spec is None:
        columns = tuple(lists.Column(c.name, c.header, sort=_sort_field(register, c))
                        for c in register.columns if c.in_list)
        columns += tuple(lists.Column(f"extra{i}", h) for i, (h, _fn) in enumerate(register.extra))
        spec = lists.Spec(key=register.label, title=register.title, columns=columns, default_sort="",
                          export_permission=register.view_perm, page_size=PAGE_SIZE, default_note="登记顺序")
        register._list_spec = spec
    return spec


def _filtered(register: Register, request):
    """The rows of the register in the state and matching the query asked for, in the order asked for (a column
    of the list, whitelisted by ``list_spec``; else the register's own order). Returns (qs, q, sorting)."""
    qs = in_state(register.queryset(request.user), _state(request))
    q = request.GET.get("q", "").strip()
    if q and register.search:
        qs = qs.filter(search_condition(register, q))
    spec = list_spec(register)
    s = lists.sorting(spec, request.GET.get("sort"))
    if s.key:
        qs = lists.order(spec, qs, s)
    return qs, q, s


def _page(register: Register, request):
    qs, q, s = _filtered(register, request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, q, lists.Listing(list_spec(register), page, page.paginator.count, s,
                                  lists.headers(list_spec(register), s))


def list_view(register: Register):
    @login_required
    def view(request):
        _need(request.user, register.view_perm)
        page, q, listing = _page(register, request)
        state = _state(request)
        shown_columns = [c for c in register.columns if c.in_list]
        objects = list(page.object_list)
        if state == "withdrawn":
            withdrawn = {r.pk for r in objects}
        elif state == "all" and objects:
            withdrawn = set(_withdrawn_ids(register.model).filter(
                object_id__in=[r.pk for r in objects]).values_list("object_id", flat=True))
        else:
            withdrawn = set()
        base = f"{register.namespace}:{register.key}"
        rows = [{"cells": [shown(c, row) for c in shown_columns] + [fn(row) for _, fn in register.extra],
                 "link": register.link(row) if register.link else "", "pk": row.pk,
                 "withdrawn": row.pk in withdrawn,
                 "detail": reverse(f"{base}_row", args=[row.pk]),
                 "correct": reverse(f"{base}_correct", args=[row.pk]),
                 "withdraw": reverse(f"{base}_withdraw", args=[row.pk])} for row in objects]
        return render(request, "registers/list.html", {
            "register": register, "page": page, "rows": rows, "q": q, "state": state, "states": STATES,
            "listing": listing,
            "headers": [c.header for c in shown_columns] + [h for h, _ in register.extra],
            "can_manage": request.user.has_perm(register.manage_perm),
            "url": lambda name: reverse(f"{register.namespace}:{register.key}_{name}"),
            "urls": {name: reverse(f"{register.namespace}:{register.key}_{name}")
                     for name in ("list", "new", "import", "export", "template")},
        })

    return view


def new_view(register: Register):
    @login_required
    def view(request):
        _need(request.user, register.manage_perm)
        form = entry_form(register, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                create_row(register, actor=request.user, raw=form.cleaned_data)
            except DomainError as exc:
                _place_errors(form, exc)
            else:
                messages.success(request, f"已登记到「{register.title}」")
                return redirect(f"{register.namespace}:{register.key}_list")
        return render(request, "registers/form.html", {
            "register": register, "form": form,
            "list_url": reverse(f"{register.namespace}:{register.key}_list")})

    return view


def _place_errors(form, exc: DomainError) -> None:
    placed = False
    for item in exc.details if isinstance(exc.details, list) else []:
        if item.get("field") in form.fields:
            form.add_error(item["field"], item.get("message") or exc.message)
            placed = True
    if not placed:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=MAX_REASON, error_messages={"required": "请填写理由"}, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="将记入该条记录的历史和审计日志")


def _row_context(register: Register, request, row) -> dict:
    base = f"{register.namespace}:{register.key}"
    return {"register": register, "row": row,
            "values": [(c.header, shown(c, row)) for c in register.columns] + [(h, fn(row)) for h, fn in
                                                                                register.extra],
            "withdrawal": withdrawal_of(row), "events": history(row),
            "can_manage": request.user.has_perm(register.manage_perm),
            "link": register.link(row) if register.link else "",
            "list_url": reverse(f"{base}_list"),
            "detail_url": reverse(f"{base}_row", args=[row.pk]),
            "correct_url": reverse(f"{base}_correct", args=[row.pk]),
            "withdraw_url": reverse(f"{base}_withdraw", args=[row.pk]),
            "restore_url": reverse(f"{base}_restore", args=[row.pk])}


def detail_view(register: Register):
    @login_required
    def view(request, pk):
        _need(request.user, register.view_perm)
        row = row_for(register, request.user, pk)
        return render(request, "registers/row.html", _row_context(register, request, row))

    return view


def correct_view(register: Register):
    @login_required
    def view(request, pk):
        _need(request.user, register.manage_perm)
        row = row_for(register, request.user, pk)
        ctx = _row_context(register, request, row)
        if ctx["withdrawal"] is not None:
            messages.warning(request, "该记录已撤回，请先恢复再更正")
            return redirect(ctx["detail_url"])
        form = entry_form(register, request.POST if request.method == "POST" else None)
        if request.method != "POST":
            form.initial = initial_of(register, row)
        form.fields["reason"] = forms.CharField(label="更正理由（必填）", max_length=MAX_REASON,
                                                error_messages={"required": "请填写更正理由"},
                                                widget=forms.Textarea(attrs={"rows": 2}),
                                                help_text="每一处改动及理由记入该条记录的历史和审计日志")
        for c in register.columns:
            if not register.may_correct(c):
                form.fields[c.name].disabled = True
                form.fields[c.name].help_text = "此项不能更正；如确有错误，请撤回本条后重新登记"
                form.initial.setdefault(c.name, initial_of(register, row)[c.name])
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason")
            try:
                result = correct_row(register, actor=request.user, row=row, raw=data, reason=reason)
            except DomainError as exc:
                _place_errors(form, exc)
            else:
                if result.changes:
                    messages.success(request, "已更正：" + "、".join(c["header"] for c in result.changes))
                else:
                    messages.info(request, "内容与原记录相同，未作更正")
                return redirect(ctx["detail_url"])
        ctx.update(form=form)
        return render(request, "registers/correct.html", ctx, status=422 if form.errors else 200)

    return view


def _reason_view(register: Register, action: str):
    @login_required
    def view(request, pk):
        _need(request.user, register.manage_perm)
        row = row_for(register, request.user, pk)
        ctx = _row_context(register, request, row)
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                if action == "withdraw":
                    done = ctx["withdrawal"] is None
                    withdraw_row(register, actor=request.user, row=row, reason=form.cleaned_data["reason"])
                    messages.success(request, "已撤回；该记录保留在历史中，列表中选择“已撤回”可查看" if done else
                                     "该记录此前已撤回")
                else:
                    done = restore_row(register, actor=request.user, row=row, reason=form.cleaned_data["reason"])
                    messages.success(request, "已恢复到台账" if done else "该记录未撤回，无需恢复")
            except DomainError as exc:
                form.add_error("reason", exc.message)
            else:
                return redirect(ctx["detail_url"])
        ctx.update(form=form, action=action)
        return render(request, "registers/reason.html", ctx, status=422 if form.errors else 200)

    return view


def import_view(register: Register):
    @login_required
    def view(request):
        _need(request.user, register.manage_perm)
        errors, created = [], None
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                errors = [{"row": None, "column": "", "message": "请选择要导入的 .xlsx 文件"}]
            elif upload.size > 10 * 1024 * 1024:
                errors = [{"row": None, "column": "", "message": "文件不能超过 10 MB"}]
            else:
                try:
                    created = import_rows(register, actor=request.user, data=upload.read()).created
                except DomainError as exc:
                    errors = exc.details or [{"row": None, "column": "", "message": exc.message}]
        status = 422 if errors else 200
        return render(request, "registers/import.html", {
            "register": register, "errors": errors, "created": created,
            "list_url": reverse(f"{register.namespace}:{register.key}_list"),
            "template_url": reverse(f"{register.namespace}:{register.key}_template")}, status=status)

    return view


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _xlsx_file(write, filename: str) -> FileResponse:
    """A workbook written by ``write(target)`` to a temporary file and streamed from it (not held in memory)."""
    from urllib.parse import quote

    tmp = tempfile.TemporaryFile()
    write(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return response


def export_view(register: Register):
    @login_required
    def view(request):
        _need(request.user, register.view_perm)
        state = _state(request)
        suffix = {"withdrawn": "（已撤回）", "all": "（含已撤回）"}.get(state, "")
        qs, q, s = _filtered(register, request)  # exactly the list on screen: its query, state and order
        if q:
            suffix += f"（查询：{q[:20]}）"
        from . import audit

        with transaction.atomic():
            audit.record(actor=request.user, action="list.exported", object_type="list", object_id=register.label,
                         object_repr=register.title, changes={
                             "list": [None, register.label], "sort": [None, s.param],
                             "filters": [None, {k: v for k, v in (("q", q), ("state", state)) if v}]})
        return _xlsx_file(lambda target: write_workbook(register, qs.iterator(chunk_size=lists.CHUNK), target),
                          f"{register.title}{suffix}.xlsx")

    return view


def template_view(register: Register):
    @login_required
    def view(request):
        _need(request.user, register.view_perm)
        return _xlsx(template(register), f"{register.title}导入模板.xlsx")

    return view


def urls(namespace: str, registers) -> list:
    """URL patterns of ``registers`` under ``<key>/``, named ``<key>_list`` … in ``namespace``."""
    out = []
    for register in registers:
        register.namespace = namespace
        k = register.key
        out += [
            path(f"{k}/", list_view(register), name=f"{k}_list"),
            path(f"{k}/new/", new_view(register), name=f"{k}_new"),
            path(f"{k}/import/", import_view(register), name=f"{k}_import"),
            path(f"{k}/export.xlsx", export_view(register), name=f"{k}_export"),
            path(f"{k}/template.xlsx", template_view(register), name=f"{k}_template"),
            path(f"{k}/<int:pk>/record/", detail_view(register), name=f"{k}_row"),
            path(f"{k}/<int:pk>/correct/", correct_view(register), name=f"{k}_correct"),
            path(f"{k}/<int:pk>/withdraw/", _reason_view(register, "withdraw"), name=f"{k}_withdraw"),
            path(f"{k}/<int:pk>/restore/", _reason_view(register, "restore"), name=f"{k}_restore"),
        ]
    return out


# --- API -----------------------------------------------------------------------------------------------------------------


def api_row(register: Register, row) -> dict:
    return {"id": row.pk, **{c.name: shown(c, row) for c in register.columns},
            **{h: fn(row) for h, fn in register.extra}}


class PageIn(Schema):
    q: str = ""
    offset: int = 0
    limit: int = 50
    state: str = ""  # "" in the register, "withdrawn", "all"


class ReasonIn(Schema):
    reason: str


def api_detail(register: Register, row) -> dict:
    withdrawal = withdrawal_of(row)
    return {**api_row(register, row), "withdrawn": withdrawal is not None,
            "withdrawal": {"reason": withdrawal.reason, "at": withdrawal.at.isoformat()} if withdrawal else None,
            "history": [{"kind": e.kind, "label": e.get_kind_display(), "at": e.at.isoformat(),
                         "actor": e.actor_label, "reason": e.reason, "changes": e.changes} for e in history(row)]}


class PageOut(Schema):
    count: int
    items: list[dict]


def api_routes(router, registers, *, tag: str) -> None:
    """``GET /<key>`` and ``POST /<key>`` on ``router`` for each register (staff auth comes from the router)."""
    for register in registers:
        def make(reg: Register):
            @router.get(f"/{reg.key}", response=PageOut, operation_id=f"{tag}_{reg.key}_list",
                        summary=f"{reg.title}（列表）")
            def list_rows(request, params: Query[PageIn]):
                _need(request.auth, reg.view_perm)
                qs = in_state(reg.queryset(request.auth), params.state if params.state in dict(STATES) else "")
                if params.q and reg.search:
                    qs = qs.filter(search_condition(reg, params.q))
                limit = max(1, min(params.limit, 200))
                offset = max(0, params.offset)
                return {"count": qs.count(), "items": [api_row(reg, r) for r in qs[offset:offset + limit]]}

            @router.post(f"/{reg.key}", response={201: dict}, operation_id=f"{tag}_{reg.key}_create",
                         summary=f"{reg.title}（登记）",
                         description="请求体为 JSON 对象，键为列名：" + "、".join(
                             f"{c.name}（{c.header}{'，必填' if c.required else ''}）" for c in reg.columns))
            def create(request, payload: Body[dict]):
                _need(request.auth, reg.manage_perm)
                row = create_row(reg, actor=request.auth, raw=payload)
                return 201, api_row(reg, row)

            @router.get(f"/{reg.key}/{{row_id}}", response=dict, operation_id=f"{tag}_{reg.key}_detail",
                        summary=f"{reg.title}（一条及其更正、撤回历史）")
            def detail(request, row_id: int):
                _need(request.auth, reg.view_perm)
                return api_detail(reg, row_for(reg, request.auth, row_id))

            @router.patch(f"/{reg.key}/{{row_id}}", response=dict, operation_id=f"{tag}_{reg.key}_correct",
                          summary=f"{reg.title}（更正）",
                          description="请求体为 JSON 对象：要更正的列（键为列名，未给出的列保持不变）和 reason（更正理由，必填）。"
                                      "返回 changes：每一处改动的列及改动前后；内容未变时 changes 为空，不作记录。")
            def correct(request, row_id: int, payload: Body[dict]):
                _need(request.auth, reg.manage_perm)
                row = row_for(reg, request.auth, row_id)
                raw = {k: v for k, v in payload.items() if k != "reason"}
                unknown = [k for k in raw if reg.column(k) is None]
                if unknown:
                    raise ValidationFailed("没有这些列：" + "、".join(unknown), field=unknown[0])
                result = correct_row(reg, actor=request.auth, row=row, raw=raw, reason=payload.get("reason"))
                return {**api_detail(reg, result.row), "changes": result.changes}

            @router.post(f"/{reg.key}/{{row_id}}/withdraw", response=dict, operation_id=f"{tag}_{reg.key}_withdraw",
                         summary=f"{reg.title}（撤回）")
            def withdraw(request, row_id: int, payload: ReasonIn):
                _need(request.auth, reg.manage_perm)
                row = row_for(reg, request.auth, row_id)
                withdraw_row(reg, actor=request.auth, row=row, reason=payload.reason)
                return api_detail(reg, row)

            @router.post(f"/{reg.key}/{{row_id}}/restore", response=dict, operation_id=f"{tag}_{reg.key}_restore",
                         summary=f"{reg.title}（恢复已撤回的记录）")
            def restore(request, row_id: int, payload: ReasonIn):
                _need(request.auth, reg.manage_perm)
                row = row_for(reg, request.auth, row_id)
                restore_row(reg, actor=request.auth, row=row, reason=payload.reason)
                return api_detail(reg, row)

        make(register)
