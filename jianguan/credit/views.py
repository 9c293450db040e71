"""Staff pages of credit supervision. Every read goes through ``selectors`` (scope); every write through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import lists as core_lists
from jianguan.core.errors import DomainError
from jianguan.core.scope import get_in_scope_or_404
from jianguan.registry.selectors import entities_for, entity_for, search_units, unit_and_subunits

from . import clocks, periods, selectors, services, timeline
from .forms import ListEnterForm, RejectForm, RemoveForm, RepairForm, SeriousProposeForm
from .models import EntityRisk, EntryStatus, Ground, RepairStatus, RiskClass

PAGE = 50


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _error(request, exc: DomainError) -> None:
    messages.error(request, exc.message)


def home_card(request) -> list[dict]:
    """The class distribution of the user's scope on the workbench home page."""
    user = request.user
    if not user.has_perm("credit.view_entityrisk"):
        return []
    rows, counted_at = selectors.class_distribution(user)
    totals = {c: sum(r[c] for r in rows) for c in selectors.CLASSES}
    return [{"template": "credit/home_card.html", "totals": totals, "total": sum(totals.values()),
             "counted_at": counted_at}]


def removal_card(request) -> list[dict]:
    """Abnormal-list removals due within 7 days or overdue (flagged by the nightly job), on the workbench home."""
    from django.utils import timezone

    user = request.user
    if not user.has_perm("credit.view_listentry"):
        return []
    entries = selectors.removal_clocks(user, today=timezone.localdate(), limit=8)
    if not entries:
        return []
    return [{"template": "credit/_removal_card.html", "entries": entries,
             "late": sum(1 for e in entries if e.late)}]


@login_required
@permission_required("credit.view_entityrisk", raise_exception=True)
def home(request):
    """Risk classes: the distribution per unit (chart and table) and the entities of one class with their reasons."""
    rows, counted_at = selectors.class_distribution(request.user)
    totals = {c: sum(r[c] for r in rows) for c in selectors.CLASSES}
    chart = {"units": [r["unit"].short_name or r["unit"].name for r in rows],
             "series": {c: [r[c] for r in rows] for c in selectors.CLASSES}}
    risk_class = request.GET.get("class", "D")
    if risk_class not in selectors.CLASSES:
        risk_class = "D"
    qs = (selectors.risks_for(request.user).filter(risk_class=risk_class)
          .select_related("entity", "entity__unit"))
    spec = selectors.RISK_CLASS_LIST
    if core_lists.wants_export(request):
        return core_lists.export(request, spec, qs, filters={"class": risk_class})
    listing = core_lists.show(request, spec, qs, size=PAGE)
    return render(request, "credit/home.html", {
        "rows": rows, "totals": totals, "total": sum(totals.values()), "counted_at": counted_at, "chart": chart,
        "page": listing.page,
        "listing": listing, "export_allowed": request.user.has_perm(spec.export_permission),
        "risk_class": risk_class, "classes": RiskClass.choices})


@login_required
@permission_required("credit.recompute_risk", raise_exception=True)
@require_POST
def risk_recompute(request):
    result = services.risk_recompute(actor=request.user)
    messages.success(request, f"已重新分类 {result.entities} 户，其中 {result.class_changed} 户分类变化。")
    return redirect("credit:home")


@login_required
@permission_required("credit.view_annualreport", raise_exception=True)
def reports(request):
    """Filing rates per unit for a report year, and reminders to the non-filers."""
    today = timezone.localdate()
    year = _year(request, periods.latest_fileable_year(today))
    status = request.GET.get("status", "")
    status = status if status in dict(selectors.FILING_STATES) else ""
    unit, q = request.GET.get("unit", "").strip()[:20], request.GET.get("q", "").strip()[:50]
    qs = selectors.filing_search(request.user, year, status=status, unit=unit, q=q)
    spec = selectors.FILING_LIST
    if core_lists.wants_export(request):
        return core_lists.export(request, spec, qs, filters={"year": year, "status": status, "unit": unit, "q": q})
    counted = selectors.filing_counts(request.user, year)
    # the default order (non-filers, then late, by name) read segment by segment; the total from the figures above
    # the list unless a name narrows it
    total = None if q else selectors.filing_total(request.user, counted, status=status, unit=unit)
    units = search_units(request.user, unit_and_subunits(request.user, unit))  # a district's: read unit by unit
    listing = core_lists.show(request, spec, qs, size=PAGE,
                              segments=selectors.filing_segments(qs, year, status, total, units=units))
    rows, counted_at = selectors.filing_rates(request.user, year, counted)
    total = {k: sum(r[k] for r in rows) for k in ("required", "filed", "late", "zero", "missing")}
    total["rate"] = round(100 * total["filed"] / total["required"], 1) if total["required"] else None
    start, end = periods.window(year)
    return render(request, "credit/reports.html", {
        "year": year, "rows": rows, "total": total, "counted_at": counted_at, "start": start, "end": end,
        "years": list(range(periods.latest_fileable_year(today), periods.latest_fileable_year(today) - 5, -1)),
        "page": listing.page, "listing": listing, "status": status, "unit": unit, "q": q,
        "states": selectors.FILING_STATES, "units": selectors.units_for_filter(request.user).order_by("path"),
        "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@permission_required("credit.send_report_reminder", raise_exception=True)
@require_POST
def reports_remind(request):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "报告年度无效")
        return redirect("credit:reports")
    count = services.report_remind(actor=request.user, entities=entities_for(request.user), year=year)
    messages.success(request, f"已向 {count} 户未报送{year}年度报告的主体发送催报提醒（今天已提醒过的不再重复发送）。")
    return redirect(f"{reverse('credit:reports')}?year={year}")


@login_required
@permission_required("credit.view_annualreport", raise_exception=True)
def zero(request):
    """Entities whose latest annual report shows all financials as zero."""
    year = _year(request, periods.latest_fileable_year(timezone.localdate()))
    qs = (selectors.reports_for(request.user).filter(year=year, is_current=True, financials_all_zero=True)
          .select_related("entity", "entity__unit"))
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(entity__name__contains=q) if len(q) != 18 else qs.filter(entity__uscc=q.upper())
    spec = selectors.ZERO_LIST
    if core_lists.wants_export(request):
        return core_lists.export(request, spec, qs, filters={"year": year, "q": q})
    listing = core_lists.show(request, spec, qs, size=PAGE)
    return render(request, "credit/zero.html", {
        "page": listing.page, "listing": listing, "year": year, "q": q,
        "export_allowed": request.user.has_perm(spec.export_permission)})


def _entry_list(request, qs, template, extra=None, spec=None):
    status = request.GET.get("status", "active")
    if status in EntryStatus.values:
        qs = qs.filter(status=status)
    ground = request.GET.get("ground", "")
    if ground in Ground.values:
        qs = qs.filter(ground=ground)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(entity__name__contains=q) if len(q) != 18 else qs.filter(entity__uscc=q.upper())
    qs = qs.select_related("entity", "entity__unit", "deciding_unit").order_by("-listed_on", "-proposed_on", "-id")
    context = {"status": status, "ground": ground, "q": q, "statuses": EntryStatus.choices, **(extra or {})}
    if spec is not None:
        filters = {"status": status if status in EntryStatus.values else "", "ground": ground, "q": q}
        if core_lists.wants_export(request):
            return core_lists.export(request, spec, qs, filters=filters)
        listing = core_lists.show(request, spec, qs)
        for e in listing.page:  # pure computations on the row's own fields: no query per row
            e.clock = clocks.deadline_explained(e) if e.status == EntryStatus.ACTIVE else None
            e.listing_explained = clocks.listing_explained(e)
            e.clock_late = bool(e.clock and e.clock.due_on and e.clock.due_on < timezone.localdate()
                                and e.clock.what.startswith("移出"))
        return render(request, template, {"page": listing.page, "listing": listing,
                                          "export_allowed": request.user.has_perm(spec.export_permission), **context})
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, **context})


@login_required
@permission_required("credit.view_listentry", raise_exception=True)
def lists(request):
    from .models import ABNORMAL_GROUNDS

    return _entry_list(request, selectors.abnormal_entries(request.user), "credit/lists.html",
                       {"grounds": [(g.value, g.label) for g in ABNORMAL_GROUNDS]}, spec=selectors.ABNORMAL_LIST)


@login_required
@permission_required("credit.view_listentry", raise_exception=True)
def serious(request):
    if "status" not in request.GET:
        request.GET = request.GET.copy()
        request.GET["status"] = "proposed" if request.user.has_perm("credit.approve_serious") else "active"
    return _entry_list(request, selectors.serious_entries(request.user), "credit/serious.html",
                       {"reject_form": RejectForm()}, spec=selectors.SERIOUS_LIST)


@login_required
@permission_required("credit.approve_serious", raise_exception=True)
@require_POST
def serious_decide(request, pk: int):
    entry = get_in_scope_or_404(selectors.serious_entries(request.user), request.user, "entity__unit", pk=pk)
    try:
        if request.POST.get("action") == "approve":
            entry = services.serious_approve(actor=request.user, entry=entry)
            messages.success(request, f"已批准列入严重违法失信名单（{entry.decision_no}）。")
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, "不予列入须写明理由")
            else:
                services.serious_reject(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
                messages.success(request, "已作出不予列入决定。")
    except DomainError as exc:
        _error(request, exc)
    return redirect(request.POST.get("next") or reverse("credit:serious"))


@login_required
@permission_required("credit.view_repairapplication", raise_exception=True)
def repairs(request):
    status = request.GET.get("status", RepairStatus.PENDING)
    qs = selectors.repairs_for(request.user)
    if status in RepairStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(entity__name__contains=q) if len(q) != 18 else qs.filter(entity__uscc=q.upper())
    qs = qs.select_related("entity", "list_entry", "deciding_unit")
    spec = selectors.REPAIR_LIST
    if core_lists.wants_export(request):
        return core_lists.export(request, spec, qs, filters={"status": status, "q": q})
    listing = core_lists.show(request, spec, qs, size=PAGE)
    return render(request, "credit/repairs.html", {
        "page": listing.page, "listing": listing, "status": status, "q": q, "statuses": RepairStatus.choices,
        "reject_form": RejectForm(), "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@permission_required("credit.decide_repair", raise_exception=True)
@require_POST
def repair_decide(request, pk: int):
    app = get_in_scope_or_404(selectors.repairs_for(request.user), request.user, "entity__unit", pk=pk)
    approve = request.POST.get("action") == "approve"
    try:
        app = services.repair_decide(actor=request.user, application=app, approve=approve,
                                     reason=request.POST.get("reason", ""))
        messages.success(request, f"已作出信用修复决定（{app.decision_no}）：{app.get_status_display()}。")
    except DomainError as exc:
        _error(request, exc)
    return redirect(request.POST.get("next") or reverse("credit:repairs"))


@login_required
@permission_required("credit.view_instantinfo", raise_exception=True)
def instant(request):
    """Instant information past its 20-working-day clock and still unpublished."""
    today = timezone.localdate()
    qs = (selectors.instant_for(request.user).filter(published_on__isnull=True, due_on__lt=today)
          .select_related("entity", "entity__unit"))
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(entity__name__contains=q) if len(q) != 18 else qs.filter(entity__uscc=q.upper())
    spec = selectors.INSTANT_LIST
    if core_lists.wants_export(request):
        return core_lists.export(request, spec, qs, filters={"q": q})
    listing = core_lists.show(request, spec, qs, size=PAGE)
    return render(request, "credit/instant.html", {
        "page": listing.page, "listing": listing, "today": today, "q": q,
        "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@permission_required("credit.order_instant_info", raise_exception=True)
@require_POST
def instant_order(request, pk: int):
    info = get_in_scope_or_404(selectors.instant_for(request.user), request.user, "entity__unit", pk=pk)
    try:
        info = services.instant_info_order(actor=request.user, info=info)
        messages.success(request, f"已责令限期公示，期限至 {info.order_due_on:%Y-%m-%d}。")
    except DomainError as exc:
        _error(request, exc)
    return redirect("credit:instant")


def _report_contact(user, entity, report) -> dict | None:
    """The latest annual report's 通信地址 and 联系电话 as ``user`` may see them: in clear for staff with
    ``registry.view_entity_personal`` (a logged read, #14), masked for the others, as the entity page's phone."""
    from jianguan.core import audit
    from jianguan.registry.masking import can_see_personal, mask_address, mask_phone

    if report is None or not (report.address or report.phone):
        return None
    if can_see_personal(user):
        audit.record_personal_read(actor=user, obj=report, fields=["address", "phone"], unit=entity.unit_id)
        return {"year": report.year, "address": report.address, "phone": report.phone, "masked": False}
    return {"year": report.year, "address": mask_address(report.address), "phone": mask_phone(report.phone),
            "masked": True}


@login_required
@permission_required("credit.view_entityrisk", raise_exception=True)
def entity(request, uscc: str):
    """An entity's credit record: its class with reasons and history, its list entries, and the timeline."""
    ent = entity_for(request.user, uscc)
    risk = EntityRisk.objects.filter(entity=ent).first()
    history = list(ent.risk_history.all()[:20])
    entries = list(ent.list_entries.select_related("deciding_unit").order_by("-id"))
    from .clocks import all_explained

    for e in entries:
        e.explanations = all_explained(e)
    reports = list(ent.annual_reports.filter(is_current=True).order_by("-year"))
    ctx = {
        "entity": ent, "risk": risk, "history": history, "entries": entries,
        "events": timeline.events_for(ent, request.user),
        "reports": reports, "contact": _report_contact(request.user, ent, reports[0] if reports else None),
        "repairs": list(ent.repairs.order_by("-id")),
        "notices": list(ent.credit_notices.order_by("-sent_on", "-id")[:20]),
        "enter_form": ListEnterForm(), "propose_form": SeriousProposeForm(), "remove_form": RemoveForm(),
        "repair_form": RepairForm(entries=[e for e in entries if e.status == EntryStatus.ACTIVE]),
    }
    return render(request, "credit/entity.html", ctx)


def _entity_post(request, uscc):
    return entity_for(request.user, uscc), redirect("credit:entity", uscc=uscc.upper())


@login_required
@permission_required("credit.decide_listing", raise_exception=True)
@require_POST
def entity_list_enter(request, uscc: str):
    ent, back = _entity_post(request, uscc)
    form = ListEnterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择列入事由并填写事实和依据")
        return back
    try:
        entry = services.list_enter(actor=request.user, entity=ent, ground=form.cleaned_data["ground"],
                                    facts=form.cleaned_data["facts"], report_year=form.cleaned_data["report_year"])
        messages.success(request, f"已列入{entry.get_list_kind_display()}（{entry.decision_no}）。")
    except DomainError as exc:
        _error(request, exc)
    return back


@login_required
@permission_required("credit.decide_listing", raise_exception=True)
@require_POST
def entity_list_remove(request, uscc: str, pk: int):
    ent, back = _entity_post(request, uscc)
    entry = get_object_or_404(ent.list_entries, pk=pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明移出原因")
        return back
    try:
        services.list_remove(actor=request.user, entity=ent, list_kind=entry.list_kind, ground=entry.ground,
                             reason=form.cleaned_data["reason"])
        messages.success(request, "已移出。")
    except DomainError as exc:
        _error(request, exc)
    return back


@login_required
@permission_required("credit.propose_serious", raise_exception=True)
@require_POST
def entity_serious_propose(request, uscc: str):
    ent, back = _entity_post(request, uscc)
    form = SeriousProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写列入情形、处罚决定书文号和违法事实")
        return back
    try:
        services.serious_propose(actor=request.user, entity=ent, **form.cleaned_data)
        messages.success(request, "已提请列入严重违法失信名单，待负责人审批。")
    except DomainError as exc:
        _error(request, exc)
    return back


@login_required
@permission_required("credit.decide_repair", raise_exception=True)
@require_POST
def entity_repair_apply(request, uscc: str):
    """Record a repair application received on paper or at the counter."""
    ent, back = _entity_post(request, uscc)
    entries = list(ent.list_entries.filter(status=EntryStatus.ACTIVE))
    form = RepairForm(request.POST, entries=entries)
    if not form.is_valid():
        messages.error(request, "修复申请填写有误：" + "；".join(str(e) for errs in form.errors.values() for e in errs))
        return back
    data = form.cleaned_data
    entry = next((e for e in entries if e.pk == data["list_entry"]), None)
    try:
        services.repair_apply(actor=request.user, entity=ent, kind=data["kind"], statement=data["statement"],
                              list_entry=entry, penalty_ref=data["penalty_ref"],
                              penalty_sector=data["penalty_sector"],
                              penalty_published_on=data["penalty_published_on"])
        messages.success(request, "已受理信用修复申请。")
    except DomainError as exc:
        _error(request, exc)
    return back

