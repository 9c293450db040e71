"""Workbench pages of online trading monitoring beyond the registers: a finding's evidence, its files, the lead."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError

from . import selectors, services
from .registers import CAPTURE, MONITOR_ADS, VIEW, VIEW_ADS


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


# --- advertising monitoring ------------------------------------------------------------------------------------------


def _year(request) -> int:
    from django.utils import timezone

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
def ad(request, pk: int):
    _need(request.user, VIEW_ADS)
    item = selectors.ad_for(request.user, pk)
    from . import adlaw

    return render(request, "monitoring/ad.html", {
        "ad": item, "category": adlaw.CATEGORIES.get(item.category), "article": item.article_obj,
        "can_hand_over": request.user.has_perm(MONITOR_ADS)})


@login_required
@require_POST
def ad_lead(request, pk: int):
    _need(request.user, MONITOR_ADS)
    item = selectors.ad_for(request.user, pk)
    try:
        lead = services.ad_to_lead(actor=request.user, ad=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已移交执法线索 #{lead.pk}")
    return redirect("monitoring:ad", pk=item.pk)


@login_required
def ad_statistics(request):
    _need(request.user, VIEW_ADS)
    year = _year(request)
    stats = selectors.ad_statistics(selectors.ads_for(request.user), year)
    return render(request, "monitoring/ad_statistics.html", {"stats": stats, "year": year,
                                                             "years": range(year - 2, year + 2)})


@login_required
def ad_statistics_export(request):
    _need(request.user, VIEW_ADS)
    from jianguan.core import audit

    from .exports import ad_statistics_xlsx

    year = _year(request)
    stats = selectors.ad_statistics(selectors.ads_for(request.user), year)
    data = ad_statistics_xlsx(stats)
    with transaction.atomic():
        audit.record(actor=request.user, action="monitoring.ad.statistics_exported",
                     object_type="monitoring.ad", object_repr=f"广告监测统计 {year}", changes={"year": [None, year]})
    return _xlsx(data, f"广告监测统计-{year}.xlsx")


@login_required
def ad_rules(request):
    _need(request.user, VIEW_ADS)
    from . import adlaw

    rows = [(c, [adlaw.ARTICLES[a] for a in c.articles]) for c in adlaw.CATEGORIES.values()]
    return render(request, "monitoring/ad_rules.html", {"rows": rows, "law": adlaw.LAW})


def _xlsx(data: bytes, filename: str):
    from django.http import HttpResponse

    from jianguan.core.registers import XLSX

    response = HttpResponse(data, content_type=XLSX)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
