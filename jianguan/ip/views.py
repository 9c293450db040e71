"""Workbench of the IP department: IP cases with their facts and the identification pause, campaign statistics
and their Excel report. Registers come from ``core.registers`` (see ``urls.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.registers import _xlsx
from jianguan.enforcement.models import PauseReason

from . import forms, selectors, services

view_cases = permission_required("enforcement.view_case", raise_exception=True)
record_facts = permission_required("ip.record_ip_facts", raise_exception=True)
view_stats = permission_required("ip.view_ip_statistics", raise_exception=True)


@login_required
@view_cases
def case_list(request):
    from django.db.models import Q

    from jianguan.core import lists

    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    qs = selectors.ip_cases_for(request.user, year=year)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(party_name__contains=q) | Q(ip_facts__registration_no=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.IP_CASE_LIST, qs, filters={"year": year, "q": q})
    listing = lists.show(request, selectors.IP_CASE_LIST, qs)
    return render(request, "ip/cases.html", {
        "page": listing.page, "listing": listing, "year": year or "", "q": q,
        "export_allowed": request.user.has_perm(selectors.IP_CASE_LIST.export_permission)})


def _place_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@view_cases
def case_facts(request, pk: int):
    case = selectors.ip_case_for(request.user, pk)
    facts = selectors.case_facts(case)
    can_record = request.user.has_perm("ip.record_ip_facts")
    initial = ({k: getattr(facts, k) for k in ("right_kind", "registration_no", "right_holder", "goods",
                                                  "goods_seized_qty", "goods_seized_unit")} if facts else
               {"right_kind": "patent" if case.case_type == "patent_counterfeit" else "trademark"})
    form = forms.CaseFactsForm(request.POST or None, initial=initial) if can_record else None
    if request.method == "POST":
        if not can_record:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.case_facts_save(actor=request.user, case=case, **form.cleaned_data)
            except DomainError as exc:
                _place_error(form, exc)
            else:
                messages.success(request, "知识产权案件要素已保存")
                return redirect("ip:case", pk=case.pk)
    pauses = list(case.pauses.all())
    running = next((p for p in pauses if p.ends_on is None and p.reason == PauseReason.IDENTIFICATION), None)
    other_running = next((p for p in pauses if p.ends_on is None and p.reason != PauseReason.IDENTIFICATION), None)
    today = timezone.localdate()
    return render(request, "ip/case.html", {
        "case": case, "facts": facts, "form": form, "pauses": pauses, "running": running,
        "other_running": other_running, "can_record": can_record and case.is_open,
        "start_form": forms.IdentificationStartForm(initial={"starts_on": today}),
        "end_form": forms.IdentificationEndForm(initial={"ends_on": today}),
    })


@login_required
@record_facts
@require_POST
def identification(request, pk: int, action: str):
    if action not in ("start", "end"):
        raise Http404
    case = selectors.ip_case_for(request.user, pk)
    form = (forms.IdentificationStartForm if action == "start" else forms.IdentificationEndForm)(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()))
        return redirect("ip:case", pk=case.pk)
    try:
        if action == "start":
            services.identification_start(actor=request.user, case=case, **form.cleaned_data)
            messages.success(request, "已记录送权利人辨认，案件办理期限自该日起暂停计算")
        else:
            services.identification_end(actor=request.user, case=case, **form.cleaned_data)
            messages.success(request, "权利人辨认结束，案件办理期限恢复计算并已顺延")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("ip:case", pk=case.pk)


def _statistics(request):
    form = forms.StatisticsForm(request.GET or None, initial={"year": timezone.localdate().year})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
    else:
        data = {"year": timezone.localdate().year, "start": None, "end": None}
    rows = selectors.campaign_statistics(request.user, year=data["year"], start=data.get("start"),
                                         end=data.get("end"))
    return form, data, rows


@login_required
@view_stats
def statistics(request):
    form, data, rows = _statistics(request)
    return render(request, "ip/statistics.html", {"form": form, "rows": rows, "year": data["year"],
                                                  "query": request.GET.urlencode()})


@login_required
@view_stats
def statistics_export(request):
    _form, data, rows = _statistics(request)
    profile = getattr(request.user, "profile", None)
    unit_name = profile.unit.name if profile else ""
    return _xlsx(selectors.statistics_workbook(rows, year=data["year"], unit_name=unit_name),
                 f"知识产权专项行动统计_{data['year']}.xlsx")
