"""Staff API of the numbered documents, mounted beside the case API at /api/v1/enforcement/: list a case's
documents, issue one (the same ``document_issue`` as the workbench), download the .docx or the PDF.

A case or document outside the caller's scope is a 404; a document the case is not ready for is a 409.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.scope import get_in_scope_or_404

from . import documents
from .document_views import CONTENT_TYPES

document_router = Router(tags=["enforcement-documents"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class DocumentOut(Schema):
    id: int
    case: int
    kind: str
    title: str
    key: str
    number: str
    issued_on: dt.date
    issued_by: str
    content_hash: str
    is_current: bool
    corrects: str | None
    correction_reason: str
    docx_url: str
    pdf_url: str


class IssueIn(Schema):
    kind: str
    inputs: dict[str, str] = {}
    correction_reason: str = ""


def _out(doc) -> dict:
    base = f"/api/v1/enforcement/documents/{doc.pk}"
    return {"id": doc.pk, "case": doc.case_id, "kind": doc.kind, "title": doc.get_kind_display(), "key": doc.key,
            "number": doc.number, "issued_on": doc.issued_on, "issued_by": doc.issued_by.get_username(),
            "content_hash": doc.content_hash, "is_current": doc.is_current,
            "corrects": doc.corrects.number if doc.corrects_id else None, "correction_reason": doc.correction_reason,
            "docx_url": f"{base}/docx", "pdf_url": f"{base}/pdf"}


def _case(user, case_id: int):
    from .models import Case

    return get_in_scope_or_404(Case.objects.all(), user, "unit", pk=case_id)


@document_router.get("/cases/{case_id}/documents", response=list[DocumentOut], summary="案件的执法文书")
def case_documents(request: HttpRequest, case_id: int):
    _need(request.auth, "enforcement.view_document")
    case = _case(request.auth, case_id)
    qs = documents.documents_for(request.auth).filter(case=case).select_related("corrects").order_by("issued_at", "id")
    return [_out(d) for d in qs]


@document_router.post("/cases/{case_id}/documents", response={200: DocumentOut, 201: DocumentOut},
                      summary="制作执法文书（已制作的返回原文书；更正须写明理由）")
def issue(request: HttpRequest, case_id: int, payload: IssueIn):
    _need(request.auth, "enforcement.issue_document")
    case = _case(request.auth, case_id)
    before = set(case.documents.values_list("pk", flat=True))
    doc = documents.document_issue(case=case, kind=payload.kind, actor=request.auth, inputs=payload.inputs,
                                   correction_reason=payload.correction_reason)
    return (200 if doc.pk in before else 201), _out(doc)


@document_router.get("/documents/{pk}/{fmt}", summary="下载执法文书（docx 或 pdf）",
                     openapi_extra={"responses": {200: {"description": "文书文件",
                                                        "content": {t: {} for t in CONTENT_TYPES.values()}}}})
def download(request: HttpRequest, pk: int, fmt: str):
    _need(request.auth, "enforcement.view_document")
    if fmt not in CONTENT_TYPES:
        from django.http import Http404

        raise Http404
    doc = get_in_scope_or_404(documents.documents_for(request.auth).defer(None), request.auth, "case__unit", pk=pk)
    documents.record_download(user=request.auth, doc=doc)
    response = HttpResponse(bytes(doc.docx if fmt == "docx" else doc.pdf), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{doc.number}.{fmt}')}"
    return response
