"""Workbench pages of online trading monitoring beyond the registers: a finding's evidence, its files, the lead."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError

from . import selectors, services
from .registers import CAPTURE, VIEW


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


@login_required
def finding(request, pk: int):
    _need(request.user, VIEW)
    item = selectors.finding_for(request.user, pk)
    return render(request, "monitoring/finding.html", {
        "finding": item, "can_capture": request.user.has_perm(CAPTURE),
        "can_hand_over": request.user.has_perm(CAPTURE)})


@login_required
@require_POST
def finding_lead(request, pk: int):
    _need(request.user, CAPTURE)
    item = selectors.finding_for(request.user, pk)
    try:
        lead = services.finding_to_lead(actor=request.user, finding=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已移交执法线索 #{lead.pk}")
    return redirect("monitoring:finding", pk=item.pk)


@login_required
def finding_file(request, pk: int, kind: str):
    _need(request.user, VIEW)
    item = selectors.finding_for(request.user, pk)
    relative = {"html": item.html_file, "png": item.screenshot_file}.get(kind)
    if not relative:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=kind == "html", filename=path.name,
                            content_type="text/plain; charset=utf-8" if kind == "html" else "image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
