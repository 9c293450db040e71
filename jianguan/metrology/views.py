"""Workbench pages of metrology: the instrument register with due/overdue filters, an instrument's page with
its verifications, and the campaigns with their progress."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import lists
from jianguan.core.errors import DomainError

from . import selectors, services
from .models import Campaign, Verification
from .rules import KINDS

view_perm = permission_required("metrology.view_instrument", raise_exception=True)
manage_perm = permission_required("metrology.manage_instrument", raise_exception=True)


@login_required
@view_perm
def instrument_list(request):
    today = timezone.localdate()
    which, kind = request.GET.get("due", ""), request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    qs = selectors.instruments(request.user)
    spec = selectors.INSTRUMENT_LIST
    if which in ("overdue", "soon"):
        qs = selectors.due_filter(qs, which, today)
        # a due list is a work queue: the longest overdue first
        spec = dataclasses.replace(spec, default_sort="next_due", default_note="检定日期最早的在前")
    else:
        which = ""
    if kind in KINDS:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    if q:
        qs = qs.filter(Q(serial=q) | Q(owner__name__contains=q) | Q(location__contains=q))
    qs = qs.values(*selectors.FIELDS)
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"due": which, "kind": kind, "q": q})
    listing = lists.show(request, spec, qs)
    return render(request, "metrology/list.html", {
        "page": listing.page, "listing": listing, "which": which, "kind": kind, "kinds": KINDS, "q": q,
        "today": today, "counts": selectors.due_counts(request.user),
        "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@view_perm
def instrument_detail(request, pk: int):
    instrument = selectors.instrument_for(request.user, pk)
    return render(request, "metrology/detail.html", {
        "instrument": instrument, "verifications": list(instrument.verifications.all()),
        "conclusions": Verification.Conclusion.choices, "today": timezone.localdate(),
        "can_manage": request.user.has_perm("metrology.manage_instrument")})


@login_required
@manage_perm
@require_POST
def verification_add(request, pk: int):
    instrument = selectors.instrument_for(request.user, pk)
    from django.utils.dateparse import parse_date

    try:
        services.verification_record(actor=request.user, instrument=instrument,
                                     verified_on=parse_date(request.POST.get("verified_on", "") or "") or None,
                                     body=request.POST.get("body", ""),
                                     certificate_no=request.POST.get("certificate_no", ""),
                                     conclusion=request.POST.get("conclusion", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, "检定日期格式应为 YYYY-MM-DD")
    else:
        messages.success(request, "检定记录已登记，下次检定日期已重新计算。")
    return redirect("metrology:detail", pk=pk)


@login_required
@view_perm
def campaign_list(request):
    import functools

    spec = dataclasses.replace(selectors.CAMPAIGN_LIST,
                               prepare=functools.partial(selectors.campaign_rows, request.user))
    qs = Campaign.objects.all()
    year = request.GET.get("year", "").strip()
    if year.isdigit() and len(year) == 4:  # a campaign running at some time of the year
        qs = qs.filter(starts_on__year__lte=int(year), ends_on__year__gte=int(year))
    else:
        year = ""
    kind = request.GET.get("kind", "")
    if kind in KINDS:
        qs = qs.filter(kinds__contains=[kind]) if connection.vendor == "postgresql" else qs.filter(
            kinds__icontains=f'"{kind}"')
    else:
        kind = ""
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(title__contains=q)
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"year": year, "kind": kind, "q": q})
    listing = lists.show(request, spec, qs)
    return render(request, "metrology/campaigns.html", {
        "page": listing.page, "listing": listing, "year": year, "kind": kind, "q": q, "kinds": KINDS,
        "export_allowed": request.user.has_perm(spec.export_permission)})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@manage_perm
def import_view(request):
    from . import importer

    result = error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要导入的 Excel 文件"
        else:
            try:
                result = importer.import_instruments(upload, actor=request.user)
            except importer.FileRefused as exc:
                error = str(exc)
            else:
                if result.ok:
                    messages.success(request, f"已导入 {result.written} 台计量器具。")
    return render(request, "metrology/import.html", {"result": result, "error": error, "columns": importer.COLUMNS},
                  status=422 if error or (result and not result.ok) else 200)


@login_required
@view_perm
def export(request):
    from django.http import HttpResponse

    from jianguan.core import audit

    from . import importer

    body = importer.export_instruments(selectors.instruments(request.user))
    audit.record(actor=request.user, action="metrology.instrument.exported", object_type="metrology.instrument",
                 object_repr="计量器具台账导出")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=instruments-{timezone.localdate():%Y%m%d}.xlsx"
    return response
