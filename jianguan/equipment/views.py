"""Workbench pages of special equipment: the register, a device's page with its actions, the due and overdue
lists with the one-click hand-over to enforcement, import/export, certificates, hazards, accidents, campaigns.
Reads through ``selectors`` (outside the scope: 404), writes through ``services``."""

from __future__ import annotations

import dataclasses
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import lists
from jianguan.core.errors import DomainError
from jianguan.core.scope import get_in_scope_or_404, scope_filter, scoped_units
from jianguan.registry.models import Entity

from . import forms, importer, schedule, selectors, services
from .models import Accident, Campaign, DeviceStatus, Hazard, RectificationOrder

view_perm = permission_required("equipment.view_device", raise_exception=True)
manage_perm = permission_required("equipment.manage_device", raise_exception=True)
PAGE = 50


def form_errors_from(form, exc: DomainError) -> None:
    placed = False
    for item in exc.details or []:
        name = item.get("field")
        name = name if name in form.fields else f"p_{name}" if f"p_{name}" in form.fields else None
        if name == "entity" or (name is None and item.get("field") == "entity"):
            name = "uscc" if "uscc" in form.fields else None
        if name:
            form.add_error(name, item["message"])
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _next(request) -> str:
    """A return address inside this section only (never an open redirect)."""
    target = request.POST.get("next", "")
    return target if target.startswith("/workbench/equipment/") and "//" not in target else ""


def _entity_in_scope(user, uscc: str) -> Entity | None:
    return scope_filter(Entity.objects.all(), user).filter(uscc=(uscc or "").strip().upper()).first()


# --- the register ----------------------------------------------------------------------------------------------


@login_required
@view_perm
def device_list(request):
    f = selectors.Filters(q=request.GET.get("q", ""), category=request.GET.get("category", ""),
                          status=request.GET.get("status", ""), due=request.GET.get("due", ""))
    qs = selectors.search(request.user, f).values(*selectors.LIST_FIELDS)
    spec = selectors.DEVICE_LIST
    if f.due:  # a due list is a work queue: the longest overdue first
        spec = dataclasses.replace(spec, default_sort="next_due", default_note="检验日期最早的在前")
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters=dataclasses.asdict(f))
    listing = lists.show(request, spec, qs)
    return render(request, "equipment/device_list.html", {
        "page": listing.page, "listing": listing, "f": f, "categories": forms.CATEGORY_CHOICES[1:],
        "statuses": DeviceStatus.choices, "today": timezone.localdate(),
        "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@manage_perm
def device_new(request):
    form = forms.DeviceForm(request.POST or None, initial={"uscc": request.GET.get("uscc", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entity = _entity_in_scope(request.user, data["uscc"])
        if entity is None:
            form.add_error("uscc", "该统一社会信用代码不是您管辖范围内已登记的市场主体")
        else:
            try:
                device = services.device_register(
                    actor=request.user, code=data["code"], category=data["category"], name=data["name"],
                    entity=entity, location=data["location"], registration_no=data["registration_no"],
                    registered_on=data["registered_on"], commissioned_on=data["commissioned_on"],
                    manufacturer=data["manufacturer"], installer=data["installer"], maintainer=data["maintainer"],
                    params=form.params())
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"已登记设备 {device.code}，下次检验日期 {device.next_due or '—'}。")
                return redirect("equipment:device_detail", pk=device.pk)
    return render(request, "equipment/form.html", {"form": form, "title": "登记特种设备",
                                                   "back": "equipment:device_list"})


@login_required
@view_perm
def device_detail(request, pk: int):
    device = selectors.device_for(request.user, pk)
    can = request.user.has_perm("equipment.manage_device")
    today = timezone.localdate()
    actions = list(device.overdue_actions.all())
    orders = list(device.orders.defer("docx", "pdf").order_by("-issued_on", "-id"))
    for order in orders:
        order.late = order.status == RectificationOrder.Status.OPEN and order.correct_by < today
    return render(request, "equipment/device_detail.html", {
        "device": device, "today": today, "can_manage": can,
        "can_act": request.user.has_perm("equipment.act_on_overdue"),
        "inspections": list(selectors.inspections_of(device)),
        "history": list(device.status_changes.select_related("actor").order_by("-on", "-id")),
        "hazards": list(device.hazards.order_by("-found_on", "-id")),
        "accidents": list(device.accidents.all()),
        "actions": actions,
        "orders": orders,
        "order_for_due": any(o.due == device.next_due for o in orders),
        "lead_for_due": any(a.kind == "lead" and a.due == device.next_due for a in actions),
        "overdue": device.status == DeviceStatus.IN_USE and device.next_due and device.next_due < today,
        "inspection_form": forms.InspectionForm(kinds=schedule.kinds_for(device.category)) if can else None,
        "status_form": forms.StatusForm(initial={"on": today}) if can else None,
        "hazard_form": forms.HazardForm(initial={"found_on": today}) if can else None,
        "accident_form": forms.AccidentForm() if can else None,
    })


ACTIONS = {
    "inspection": (forms.InspectionForm, "检验记录已登记，检验日期已重新计算。"),
    "status": (forms.StatusForm, "设备状态已变更。"),
    "hazard": (forms.HazardForm, "隐患已登记。"),
    "accident": (forms.AccidentForm, "事故已登记。"),
}


@login_required
@manage_perm
@require_POST
def device_action(request, pk: int, action: str):
    device = selectors.device_for(request.user, pk)
    if action not in ACTIONS:
        return redirect("equipment:device_detail", pk=pk)
    form_class, done = ACTIONS[action]
    form = form_class(request.POST, **({"kinds": schedule.kinds_for(device.category)} if action == "inspection" else {}))
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "inspection":
                services.inspection_record(actor=request.user, device=device, **d)
            elif action == "status":
                services.device_change_status(actor=request.user, device=device, **d)
            elif action == "hazard":
                services.hazard_add(actor=request.user, device=device, **d)
            else:
                services.accident_record(actor=request.user, device=device, **d)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    else:
        messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''}：{'；'.join(v)}"
                                         for k, v in form.errors.items()))
    return redirect("equipment:device_detail", pk=pk)


@login_required
@permission_required("equipment.act_on_overdue", raise_exception=True)
@require_POST
def overdue_act(request, pk: int):
    device = selectors.device_for(request.user, pk)
    try:
        action = services.overdue_act(actor=request.user, device=device)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已移送执法线索（{action.reference}），附设备检验和状态记录。")
    return redirect(_next(request) or reverse("equipment:device_detail", args=[pk]))


@login_required
@permission_required("equipment.act_on_overdue", raise_exception=True)
@require_POST
def order_issue(request, pk: int):
    device = selectors.device_for(request.user, pk)
    try:
        order = services.order_issue(actor=request.user, device=device)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已制作责令改正通知书 {order.number}，改正期限 {order.correct_by}；请打印送达使用单位。")
    return redirect(_next(request) or reverse("equipment:device_detail", args=[pk]))


DOC_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf"}


@login_required
@view_perm
def order_download(request, pk: int, fmt: str):
    if fmt not in DOC_TYPES:
        raise Http404
    order = get_in_scope_or_404(RectificationOrder.objects.all(), request.user, pk=pk)
    response = HttpResponse(bytes(getattr(order, fmt)), content_type=DOC_TYPES[fmt])
    name = f"责令改正通知书-{order.number}.{fmt}"
    response["Content-Disposition"] = (f"{'inline' if fmt == 'pdf' else 'attachment'}; "
                                       f"filename*=UTF-8''{quote(name)}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@view_perm
def order_list(request):
    status = request.GET.get("status", "open")
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.orders(request.user)
    if status in RectificationOrder.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(device__code__contains=q) | Q(entity__name__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.ORDER_LIST, qs, filters={"status": status, "q": q})
    listing = lists.show(request, selectors.ORDER_LIST, qs, size=PAGE)
    return render(request, "equipment/orders.html", {
        "page": listing.page, "listing": listing, "status": status, "q": q,
        "statuses": RectificationOrder.Status.choices, "today": timezone.localdate(),
        "can_act": request.user.has_perm("equipment.act_on_overdue"),
        "export_allowed": request.user.has_perm(selectors.ORDER_LIST.export_permission)})


# --- due and overdue lists ----------------------------------------------------------------------------------------


@login_required
@view_perm
def due(request):
    which = request.GET.get("which", "overdue")
    if which not in ("overdue", "soon", "apply"):
        which = "overdue"
    units = list(scoped_units(request.user).order_by("path"))
    unit_ids = None
    unit_code = request.GET.get("unit", "")
    chosen = next((u for u in units if u.code == unit_code), None)
    if chosen is not None:
        unit_ids = [u.id for u in units if u.path.startswith(chosen.path)]
    today = timezone.localdate()
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.due_search(request.user, which, unit_ids=unit_ids, today=today)
    if q:
        qs = qs.filter(Q(code__contains=q) | Q(entity__name__contains=q) | Q(location__contains=q))
    spec = selectors.DUE_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"which": which, "unit": unit_code if chosen else "", "q": q})
    listing = lists.show(request, spec, qs)
    return render(request, "equipment/due.html", {
        "which": which, "page": listing.page, "listing": listing, "units": units, "unit_code": unit_code, "q": q,
        "today": today, "export_allowed": request.user.has_perm(spec.export_permission),
        "counts": selectors.due_counts(request.user, today=today),
        "by_unit": selectors.overdue_by_unit(request.user, today=today) if which == "overdue" else [],
        "can_act": request.user.has_perm("equipment.act_on_overdue")})


# --- import / export -----------------------------------------------------------------------------------------------


@login_required
@permission_required("equipment.import_device", raise_exception=True)
def import_view(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = error = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importer.import_devices(request.FILES["file"], actor=request.user)
        except importer.FileRefused as exc:
            error = str(exc)
        else:
            if result.ok:
                messages.success(request, f"已导入 {result.written} 台设备。")
    return render(request, "equipment/import.html", {"form": form, "result": result, "error": error,
                                                     "columns": importer.COLUMNS},
                  status=422 if (result and not result.ok) or error else 200)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@permission_required("equipment.import_device", raise_exception=True)
def import_template(request):
    response = HttpResponse(importer.template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''equipment-template.xlsx"
    return response


@login_required
@permission_required("equipment.export_device", raise_exception=True)
def export(request):
    f = selectors.Filters(q=request.GET.get("q", ""), category=request.GET.get("category", ""),
                          status=request.GET.get("status", ""), due=request.GET.get("due", ""))
    qs = selectors.search(request.user, f)
    from jianguan.core import audit

    body = importer.export_devices(qs)
    audit.record(actor=request.user, action="equipment.device.exported", object_type="equipment.device",
                 object_repr="设备台账导出", changes={"filters": [None, f.__dict__]})
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=equipment-{timezone.localdate():%Y%m%d}.xlsx"
    return response


# --- certificates, hazards, accidents, campaigns ------------------------------------------------------------------


@login_required
@view_perm
def certificate_list(request):
    today = timezone.localdate()
    form = forms.CertificateForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("equipment.manage_device"):
            return HttpResponse(status=403)
        if form.is_valid():
            d = form.cleaned_data
            entity = _entity_in_scope(request.user, d.pop("uscc"))
            if entity is None:
                form.add_error("uscc", "该统一社会信用代码不是您管辖范围内已登记的市场主体")
            else:
                try:
                    services.certificate_add(actor=request.user, entity=entity, **d)
                except DomainError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, "作业人员证已登记。")
                    return redirect("equipment:certificates")
    expiring = request.GET.get("expiring") == "1"
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.certificates(request.user)
    if expiring:
        qs = qs.filter(expires_on__lte=today + timezone.timedelta(days=90))
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(holder__contains=q) | Q(entity__name__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.CERTIFICATE_LIST, qs, filters={"expiring": expiring, "q": q})
    listing = lists.show(request, selectors.CERTIFICATE_LIST, qs, size=PAGE)
    return render(request, "equipment/certificates.html", {
        "page": listing.page, "listing": listing, "form": form, "today": today, "expiring": expiring, "q": q,
        "export_allowed": request.user.has_perm(selectors.CERTIFICATE_LIST.export_permission)})


@login_required
@view_perm
def hazard_list(request):
    status = request.GET.get("status", "open")
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.hazards(request.user)
    if status in Hazard.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(device__code__contains=q) | Q(device__entity__name__contains=q) | Q(description__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.HAZARD_LIST, qs, filters={"status": status, "q": q})
    listing = lists.show(request, selectors.HAZARD_LIST, qs, size=PAGE)
    return render(request, "equipment/hazards.html", {
        "page": listing.page, "listing": listing, "status": status, "q": q, "statuses": Hazard.Status.choices,
        "today": timezone.localdate(), "rectify_form": forms.RectifyForm(),
        "export_allowed": request.user.has_perm(selectors.HAZARD_LIST.export_permission)})


@login_required
@manage_perm
@require_POST
def hazard_action(request, pk: int, action: str):
    hazard = get_in_scope_or_404(Hazard.objects.all(), request.user, pk=pk)
    try:
        if action == "rectified":
            form = forms.RectifyForm(request.POST)
            if not form.is_valid():
                messages.error(request, "请填写整改完成日期和整改情况")
                return redirect("equipment:hazards")
            services.hazard_rectified(actor=request.user, hazard=hazard, **form.cleaned_data)
            messages.success(request, "已登记整改完成，待核查。")
        elif action == "verify":
            services.hazard_verify(actor=request.user, hazard=hazard)
            messages.success(request, "隐患已核查销号。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_next(request) or reverse("equipment:hazards"))


@login_required
@view_perm
def accident_list(request):
    qs = scope_filter(Accident.objects.select_related("device", "device__entity", "penalty"), request.user)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(device__code__contains=q) | Q(device__entity__name__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.ACCIDENT_LIST, qs, filters={"q": q})
    listing = lists.show(request, selectors.ACCIDENT_LIST, qs, size=PAGE)
    return render(request, "equipment/accidents.html", {
        "page": listing.page, "listing": listing, "q": q,
        "export_allowed": request.user.has_perm(selectors.ACCIDENT_LIST.export_permission)})


@login_required
@manage_perm
@require_POST
def accident_penalty(request, pk: int):
    accident = get_in_scope_or_404(Accident.objects.all(), request.user, pk=pk)
    try:
        services.accident_link_penalty(actor=request.user, accident=accident,
                                       decision_no=request.POST.get("decision_no", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已关联行政处罚决定；处罚公示期间，该事故在企业信用信息公示中一并显示。")
    return redirect("equipment:accidents")


@login_required
@view_perm
def campaign_list(request):
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("equipment.manage_device"):
            return HttpResponse(status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    actor=request.user, title=d["title"], tag=d["tag"], categories_=d["categories"].replace("，", ",")
                    .split(","), checklist=d["checklist"].splitlines(), starts_on=d["starts_on"],
                    ends_on=d["ends_on"], unit=request.user.profile.unit)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                return redirect("equipment:campaign", pk=campaign.pk)
    qs = selectors.campaigns(request.user)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(tag__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.CAMPAIGN_LIST, qs, filters={"q": q})
    listing = lists.show(request, selectors.CAMPAIGN_LIST, qs, size=PAGE)
    return render(request, "equipment/campaigns.html", {
        "page": listing.page, "listing": listing, "q": q, "form": form,
        "export_allowed": request.user.has_perm(selectors.CAMPAIGN_LIST.export_permission)})


@login_required
@view_perm
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    today = timezone.localdate()
    if request.method == "POST":
        if not request.user.has_perm("equipment.manage_device"):
            return HttpResponse(status=403)
        device = selectors.device_for(request.user, int(request.POST.get("device") or 0))
        answers = [request.POST.get(f"item{i}") == "1" for i in range(len(campaign.checklist))]
        try:
            services.campaign_check(actor=request.user, campaign=campaign, device=device, checked_on=today,
                                    answers=answers, note=request.POST.get("note", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"设备 {device.code} 检查已登记。")
        return redirect("equipment:campaign", pk=pk)
    checked = {c.device_id: c for c in campaign.checks.select_related("device")}
    todo = list(scope_filter(services.campaign_devices(campaign), request.user).exclude(id__in=checked)
                .select_related("entity").order_by("next_due", "id")[:30])
    return render(request, "equipment/campaign_detail.html", {
        "campaign": campaign, "checks": list(checked.values()), "todo": todo,
        "can_manage": request.user.has_perm("equipment.manage_device")})
