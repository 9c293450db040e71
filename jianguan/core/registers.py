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
  name, with the form's and the import's validation).

Writes stay in the app's services (keyword-only, ``actor``, atomic, audited); this module only converts text to
values and reports which row and column a refusal concerns (``ValidationFailed.field`` names the column).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from ninja import Body, Query, Schema

from .errors import DomainError, ValidationFailed

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
    namespace: str = field(default="", init=False)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


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


def create_row(register: Register, *, actor, raw: dict) -> Any:
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


def import_rows(register: Register, *, actor, data: bytes) -> ImportReport:
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


def workbook(register: Register, rows) -> bytes:
    """The register as .xlsx, with the import's headers (so an export can be corrected and imported elsewhere)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = register.title[:31]
    ws.append([c.header for c in register.columns] + [h for h, _ in register.extra])
    for row in rows:
        ws.append([shown(c, row) for c in register.columns] + [fn(row) for _, fn in register.extra])
    for i, c in enumerate(register.columns, 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, len(c.header) * 2 + 4)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template(register: Register) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = register.title[:31]
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


def _page(register: Register, request):
    qs = register.queryset(request.user)
    q = request.GET.get("q", "").strip()
    if q and register.search:
        cond = Q()
        for name in register.search:
            cond |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(cond)
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), q


def list_view(register: Register):
    @login_required
    def view(request):
        _need(request.user, register.view_perm)
        page, q = _page(register, request)
        shown_columns = [c for c in register.columns if c.in_list]
        rows = [{"cells": [shown(c, row) for c in shown_columns] + [fn(row) for _, fn in register.extra],
                 "link": register.link(row) if register.link else ""} for row in page.object_list]
        return render(request, "registers/list.html", {
            "register": register, "page": page, "rows": rows, "q": q,
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
                placed = False
                for item in exc.details if isinstance(exc.details, list) else []:
                    if item.get("field") in form.fields:
                        form.add_error(item["field"], item.get("message") or exc.message)
                        placed = True
                if not placed:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已登记到「{register.title}」")
                return redirect(f"{register.namespace}:{register.key}_list")
        return render(request, "registers/form.html", {
            "register": register, "form": form,
            "list_url": reverse(f"{register.namespace}:{register.key}_list")})

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


def export_view(register: Register):
    @login_required
    def view(request):
        _need(request.user, register.view_perm)
        return _xlsx(workbook(register, register.queryset(request.user).iterator(chunk_size=2000)),
                     f"{register.title}.xlsx")

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
                qs = reg.queryset(request.auth)
                if params.q and reg.search:
                    cond = Q()
                    for name in reg.search:
                        cond |= Q(**{f"{name}__icontains": params.q})
                    qs = qs.filter(cond)
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

        make(register)
