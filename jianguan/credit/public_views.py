"""Enterprise self-service on the portal: annual reports, instant information, the credit record and repair.

Only an enterprise account (``PublicProfile(kind="enterprise")``) reaches these pages, and only for its own entity.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError

from . import periods, services, timeline
from .forms import AnnualReportForm, InstantInfoForm, RepairForm
from .models import AnnualReport, EntryStatus, InstantInfo


def enterprise_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "/account/login/")
        profile = getattr(user, "public_profile", None) if hasattr(user, "public_profile") else None
        if profile is None or profile.kind != "enterprise" or profile.entity_id is None:
            raise PermissionDenied("仅企业账号可以办理")
        request.entity = profile.entity
        return view(request, *args, **kwargs)

    return wrapper


def report_years(entity, today: dt.date) -> list[dict]:
    """Every report year the entity had or has to file, newest first, with its state and what it may do now."""
    latest = periods.latest_fileable_year(today)
    first = max(periods.first_report_year(entity.established_on), latest - 4)
    current = {r.year: r for r in AnnualReport.objects.filter(entity=entity, is_current=True, year__gte=first)}
    rows = []
    for year in range(latest, first - 1, -1):
        start, end = periods.window(year)
        report = current.get(year)
        rows.append({"year": year, "start": start, "end": end, "report": report,
                     "can_file": report is None and today >= start,
                     "can_correct": report is not None and today <= end,
                     "late_now": today > end})
    return rows


@enterprise_required
def reports(request):
    today = timezone.localdate()
    return render(request, "credit/public/reports.html",
                  {"entity": request.entity, "rows": report_years(request.entity, today), "today": today})


@enterprise_required
def report_form(request, year: int):
    """File or correct the report for ``year`` (the service decides which is allowed)."""
    entity = request.entity
    today = timezone.localdate()
    current = AnnualReport.objects.filter(entity=entity, year=year, is_current=True).first()
    if request.method == "POST":
        form = AnnualReportForm(request.POST)
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in services.REPORT_FIELDS}
            try:
                if current is None:
                    rep = services.report_file(actor=request.user, entity=entity, year=year, data=data, today=today)
                    messages.success(request, f"{year}年度报告已报送" + ("（逾期补报）。" if rep.late else "。"))
                else:
                    rep = services.report_correct(actor=request.user, entity=entity, year=year, data=data,
                                                  today=today)
                    messages.success(request, f"{year}年度报告已更正（第{rep.version}版）。")
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("credit_public:reports")
    else:
        initial = ({f: getattr(current, f) for f in services.REPORT_FIELDS} if current
                   else {"address": entity.address, "phone": entity.phone})
        form = AnnualReportForm(initial=initial)
    start, end = periods.window(year)
    versions = list(AnnualReport.objects.filter(entity=entity, year=year).order_by("-version"))
    return render(request, "credit/public/report_form.html", {
        "entity": entity, "year": year, "form": form, "current": current, "start": start, "end": end,
        "versions": versions, "late": today > end})


@enterprise_required
def instant(request):
    entity = request.entity
    form = InstantInfoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            info = services.instant_info_record(actor=request.user, entity=entity, **form.cleaned_data)
            services.instant_info_publish(actor=request.user, info=info)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "即时信息已公示。")
            return redirect("credit_public:instant")
    items = InstantInfo.objects.filter(entity=entity).order_by("-arose_on", "-id")
    return render(request, "credit/public/instant.html", {"entity": entity, "form": form, "items": items,
                                                         "today": timezone.localdate()})


@enterprise_required
@require_POST
def instant_publish(request, pk: int):
    info = InstantInfo.objects.filter(entity=request.entity, pk=pk).first()
    if info is None:
        raise Http404
    services.instant_info_publish(actor=request.user, info=info)
    messages.success(request, "已公示。")
    return redirect("credit_public:instant")


@enterprise_required
def record(request):
    entity = request.entity
    entries = list(entity.list_entries.filter(status=EntryStatus.ACTIVE).select_related("deciding_unit"))
    form = RepairForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = next((e for e in entries if e.pk == data["list_entry"]), None)
        try:
            services.repair_apply(actor=request.user, entity=entity, kind=data["kind"], statement=data["statement"],
                                  list_entry=entry, penalty_ref=data["penalty_ref"],
                                  penalty_sector=data["penalty_sector"],
                                  penalty_published_on=data["penalty_published_on"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "信用修复申请已提交，等待审核。")
            return redirect("credit_public:record")
    return render(request, "credit/public/record.html", {
        "entity": entity, "entries": entries, "form": form,
        "events": timeline.events_for(entity, request.user),
        "notices": entity.credit_notices.order_by("-sent_on", "-id")[:50],
        "repairs": entity.repairs.order_by("-id")})
