"""Workbench views of the numbered documents: the case's documents, issuing one, downloading .docx or PDF.

Everything goes through the scoped selectors: a case or a document outside the user's scope is a 404.
"""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jianguan.core.errors import DomainError
from jianguan.core.scope import get_in_scope_or_404

from . import documents
from .doclayout import KINDS

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _case(request, case_pk: int):
    from .models import Case

    return get_in_scope_or_404(Case.objects.select_related("unit"), request.user, "unit", pk=case_pk)


class IssueForm(forms.Form):
    """The inputs of one kind (built from its layout fields), plus the correction reason."""

    def __init__(self, *args, kind, correcting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for f in kind.fields:
            widget = forms.Textarea(attrs={"rows": 6}) if f.lines else forms.TextInput()
            self.fields[f.name] = forms.CharField(label=f.label, required=f.required, widget=widget)
        if kind.code in ("prior_notice", "penalty_decision"):
            self.fields["violated"] = forms.CharField(label="违反的法律规定", required=False)
            self.fields["basis"] = forms.CharField(label="处罚依据（默认取处罚决定的依据）", required=False)
        if correcting:
            self.fields["correction_reason"] = forms.CharField(label="更正理由", max_length=300)


@login_required
@permission_required("enforcement.view_document", raise_exception=True)
def case_documents(request, case_pk: int):
    case = _case(request, case_pk)
    docs = documents.documents_for(request.user).filter(case=case).order_by("kind", "issued_at", "id")
    return render(request, "enforcement/documents/list.html",
                  {"case": case, "docs": docs, "kinds": list(KINDS.values())})


@login_required
@permission_required("enforcement.issue_document", raise_exception=True)
def issue(request, case_pk: int, kind: str):
    case = _case(request, case_pk)
    if kind not in KINDS:
        raise Http404
    k = KINDS[kind]
    correcting = request.GET.get("correct") == "1" or "correction_reason" in request.POST
    form = IssueForm(request.POST or None, kind=k, correcting=correcting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("correction_reason", "")
        try:
            doc = documents.document_issue(case=case, kind=kind, actor=request.user, inputs=data,
                                           correction_reason=reason)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{k.title}（{doc.number}）已制作。")
            return redirect("enforcement_documents:list", case_pk=case.pk)
    return render(request, "enforcement/documents/issue.html",
                  {"case": case, "kind": k, "form": form, "correcting": correcting})


@login_required
@permission_required("enforcement.view_document", raise_exception=True)
def download(request, pk: int, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    doc = get_in_scope_or_404(documents.documents_for(request.user).defer(None), request.user, "case__unit", pk=pk)
    data = bytes(doc.docx if fmt == "docx" else doc.pdf)
    documents.record_download(user=request.user, doc=doc)
    filename = f"{doc.get_kind_display()}_{doc.number}.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    if fmt == "docx":
        response["X-Content-SHA256"] = doc.content_hash  # the hash recorded when it was issued
    return response


# --- penalty publication (the workbench side of publication.py) -----------------------------------------------------


@login_required
@permission_required("enforcement.view_case", raise_exception=True)
def publications(request):
    """The unit's penalty notices by status (tabs): pending ones with their deadline (overdue first), published and
    ended ones the latest first; a search, sorting, the total and the export of the tab's filtered rows (core.lists)."""
    from django.db.models import Q
    from django.utils import timezone

    from jianguan.core import lists
    from jianguan.core.scope import scope_filter

    from . import selectors
    from .document_models import Publication, PublicationStatus

    today = timezone.localdate()
    status = request.GET.get("status") or PublicationStatus.PENDING
    q = request.GET.get("q", "").strip()[:50]
    qs = scope_filter(Publication.objects.select_related("penalty__case", "push_extension_approved_by"),
                      request.user, "unit")
    if status in PublicationStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(decision_no__contains=q) | Q(party_name__contains=q) | Q(uscc=q.upper()))
    spec = selectors.PUBLICATION_PENDING_LIST if status == PublicationStatus.PENDING else selectors.PUBLICATION_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"status": status, "q": q})
    listing = lists.show(request, spec, qs)
    from . import forms, publication

    heads: dict = {}  # the heads of each unit whose push may still be extended, read once per unit
    for p in listing.rows:
        p.push_explained = publication.push_explained(p)
        if p.other_province and not p.pushed_on and not p.push_extended \
                and request.user.has_perm("enforcement.approve_case"):
            if p.unit_id not in heads:
                heads[p.unit_id] = forms.unit_heads(p.unit_id)
            p.extend_form = forms.PushExtendForm(heads=heads[p.unit_id], prefix=f"x{p.pk}",
                                                 initial={"approver": request.user.pk, "on": today})
    return render(request, "enforcement/documents/publications.html", {
        "page": listing.page, "listing": listing, "q": q, "status": status, "statuses": PublicationStatus.choices,
        "today": today, "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@permission_required("enforcement.approve_case", raise_exception=True)
def publication_action(request, pk: int, action: str):
    from jianguan.core.scope import scope_filter

    from . import publication
    from .document_models import EndReason, Publication

    if request.method != "POST" or action not in ("publish", "end", "push", "push_extend"):
        raise Http404
    pub = get_in_scope_or_404(scope_filter(Publication.objects.all(), request.user, "unit"), request.user, "unit",
                              pk=pk)
    try:
        if action == "publish":
            pub = publication.publication_publish(publication=pub, actor=request.user)
            messages.success(request, f"{pub.decision_no} 已在门户网站公示，至 {pub.ends_on:%Y-%m-%d}。")
        elif action == "push":
            pub = publication.publication_push(publication=pub, actor=request.user)
            messages.success(request, f"{pub.decision_no} 已记录推送至当事人登记地省份。")
        elif action == "push_extend":
            from . import forms

            form = forms.PushExtendForm(request.POST, unit_id=pub.unit_id, prefix=f"x{pub.pk}")
            if not form.is_valid():
                problems = "；".join(f"{form.fields[f].label if f in form.fields else ''}：{' '.join(e)}"
                                    for f, e in form.errors.items())
                messages.error(request, f"{pub.decision_no} 未延长：{problems}")
            else:
                d = form.cleaned_data
                pub = publication.publication_push_extend(publication=pub, actor=request.user, reason=d["reason"],
                                                          approver=d["approver"], today=d["on"])
                messages.success(request, f"{pub.decision_no} 推送期限经负责人批准延长至 {pub.push_due:%Y-%m-%d}。")
        else:
            from django.utils.dateparse import parse_date

            revoked_on = parse_date(request.POST.get("revoked_on") or "") or None
            pub = publication.publication_end(publication=pub, actor=request.user, reason=EndReason.REVOKED,
                                              note=request.POST.get("note", ""), revoked_on=revoked_on)
            messages.success(request, f"{pub.decision_no} 已停止公示。")
    except DomainError as exc:
        messages.error(request, exc.message)
    from django.urls import reverse

    return redirect(f"{reverse('enforcement_documents:publications')}?status={pub.status}")
