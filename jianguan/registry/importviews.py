"""Workbench import and export of market entities: the same engine as ``jianguan import/export entities``
(``importexport``), with the user's permission and data scope, CSRF, an upload size limit and an audit entry.

Uploads over ``JIANGUAN_MAX_UPLOAD_BYTES`` are refused before the file is stored: by its Content-Length when the
browser sends one, and otherwise by an upload handler that stops reading at the limit. The problem report of an
import (the bad rows with their reasons, as Excel) is kept in a private folder and offered only to the user whose
import produced it, through the session.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from . import importexport, selectors
from .forms import EntityImportForm, EntitySearchForm
from .masking import can_see_personal

SESSION_KEY = "registry_import_reports"
#: Problems shown on the result page; the downloadable report has every bad row.
SHOW_PROBLEMS = 200
#: An Excel export is built in memory-light write-only mode but still takes time per row; beyond this, CSV.
XLSX_EXPORT_MAX = 200_000
#: Multipart overhead allowed on top of the file itself.
_ENVELOPE = 64 * 1024


def upload_limit() -> int:
    return int(settings.JIANGUAN_MAX_UPLOAD_BYTES)


def _size_text(size: int) -> str:
    return f"{size / 1048576:.0f} MB" if size >= 1048576 else f"{size / 1024:.0f} KB"


def too_big_message(limit: int) -> str:
    return (f"上传的文件超过 {_size_text(limit)} 的上限，未导入任何数据。请把文件拆分成几个较小的文件分别导入，"
            "或请系统管理员在服务器上用命令 jianguan import entities 导入。")


class _LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload once it passes the limit, so a 200 MB file never reaches the disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit, self.received, self.exceeded = limit, 0, False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _reports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "private" / "registry-import-reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@csrf_exempt  # CSRF is checked by the inner view, after the size limit's upload handler is in place
@login_required
@permission_required("registry.import_entity", raise_exception=True)
def entity_import(request):
    limit = upload_limit()
    handler = None
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > limit + _ENVELOPE:
            return _import_page(request, EntityImportForm(), error=too_big_message(limit), status=413)
        handler = _LimitedUploadHandler(request, limit)
        request.upload_handlers.insert(0, handler)
    return _entity_import(request, handler, limit)


@csrf_protect
def _entity_import(request, handler, limit):
    """选择文件 → 校验或导入 → 结果（每个问题注明行、列和原因），问题行报告可下载。"""
    if request.method != "POST":
        return _import_page(request, EntityImportForm())
    form = EntityImportForm(request.POST, request.FILES)
    if handler is not None and handler.exceeded:
        return _import_page(request, EntityImportForm(), error=too_big_message(limit), status=413)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    mode = form.cleaned_data["mode"]
    token = secrets.token_hex(16)
    report = _reports_dir() / f"{token}.xlsx"
    source = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else upload.file
    result = importexport.import_entities(
        source, file_name=Path(upload.name).name, actor=request.user, dry_run=mode == "check",
        skip_invalid=mode == "skip", update=form.cleaned_data["update"], report_path=report, max_bytes=limit)
    if result.report_path:
        reports = request.session.get(SESSION_KEY, {})
        reports[token] = result.file_name
        request.session[SESSION_KEY] = dict(list(reports.items())[-20:])
    status = 200 if result.ok else 422
    return _import_page(request, EntityImportForm(initial={"mode": mode}), result=result,
                        report_token=token if result.report_path else "", status=status)


def _import_page(request, form, *, result=None, error="", report_token="", status=200):
    return render(request, "registry/entity_import.html", {
        "form": form,
        "result": result,
        "problems": result.problems[:SHOW_PROBLEMS] if result else [],
        "more_problems": max(result.problem_count - SHOW_PROBLEMS, 0) if result else 0,
        "error": error,
        "report_token": report_token,
        "limit": _size_text(upload_limit()),
        "headers": importexport.COLUMNS,
    }, status=status)


@require_GET
@login_required
@permission_required("registry.import_entity", raise_exception=True)
def entity_import_report(request, token: str):
    """The problem report of one of the user's own imports (404 for anyone else's, or an unknown token)."""
    reports = request.session.get(SESSION_KEY, {})
    if token not in reports or not token.isalnum():
        raise Http404
    path = _reports_dir() / f"{token}.xlsx"
    if not path.is_file():
        raise Http404
    name = f"{Path(reports[token]).stem}-问题行.xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


@require_GET
@login_required
@permission_required("registry.export_entity", raise_exception=True)
def entity_export(request):
    """The current search (text, unit, status, kind, industry) in the user's scope, as CSV (streamed) or Excel.
    Personal data is included only for users who may see it. Every export is audited."""
    form = EntitySearchForm(request.GET or None, user=request.user)
    filters = form.filters()
    fmt = request.GET.get("format", "csv")
    if fmt not in importexport.FORMATS:
        fmt = "csv"
    qs = selectors.entity_search(request.user, **filters)
    field, descending = selectors.ENTITY_SORTS.get(form.valid_data().get("sort") or "", selectors.ENTITY_SORTS[""])
    qs = qs.order_by(f"-{field}", "-id") if descending else qs.order_by(field, "id")  # the order shown
    personal = can_see_personal(request.user)
    count = qs.count()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx" and count > XLSX_EXPORT_MAX:
        return render(request, "registry/entity_export_refused.html", {
            "count": count, "max": XLSX_EXPORT_MAX, "query": request.GET.urlencode()}, status=422)
    importexport.record_export(actor=request.user, count=count, fmt=fmt,
                               filters={k: v for k, v in filters.items() if k != "field" or filters["q"]},
                               include_personal=personal)
    name = f"市场主体-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(importexport.iter_csv(qs, include_personal=personal),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _attachment(name)
        return response
    tmp = tempfile.TemporaryFile()
    importexport.write_xlsx(qs, tmp, include_personal=personal)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _attachment(name: str) -> str:
    """RFC 6266: an ASCII fallback name, and the Chinese one for browsers that read filename*."""
    return f"attachment; filename=\"entities.csv\"; filename*=UTF-8''{quote(name)}"
