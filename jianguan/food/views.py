"""Workbench of food safety supervision. The 三小 registrations are a register (``registers.py``); their own page
holds renewal (延续) and cancellation (注销)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.rules import rule

from . import forms, selectors, services
from .registers import MANAGE, VIEW


@login_required
@permission_required(VIEW, raise_exception=True)
def small_detail(request, pk: int):
    reg = selectors.small_for(request.user, pk)
    today = timezone.localdate()
    window = int(rule("food.small_renewal_window_days", on=today))
    return render(request, "food/small.html", {
        "reg": reg, "can_manage": request.user.has_perm(MANAGE), "today": today,
        "renew_form": forms.RenewForm(initial={"expected_until": reg.valid_until}),
        "renew_opens": reg.valid_until - timezone.timedelta(days=window),
        "cancel_form": forms.CancelForm()})


def _act(request, pk: int, action):
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    reg = selectors.small_for(request.user, pk)
    try:
        action(reg)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("food:small", pk=reg.pk)


@login_required
@require_POST
def small_renew(request, pk: int):
    form = forms.RenewForm(request.POST)

    def go(reg):
        if not form.is_valid():
            raise DomainError("延续申请缺少当前有效期，请刷新页面后重试")
        reg = services.small_renew(actor=request.user, registration=reg,
                                   expected_until=form.cleaned_data["expected_until"], today=timezone.localdate())
        messages.success(request, f"{reg.number} 已延续至 {reg.valid_until:%Y年%m月%d日}")

    return _act(request, pk, go)


@login_required
@require_POST
def small_cancel(request, pk: int):
    form = forms.CancelForm(request.POST)

    def go(reg):
        if not form.is_valid():
            raise DomainError("请填写注销原因")
        services.small_cancel(actor=request.user, registration=reg, reason=form.cleaned_data["reason"],
                              on=timezone.localdate())
        messages.success(request, f"{reg.number} 已注销")

    return _act(request, pk, go)


# --- catering grading ---------------------------------------------------------------------------------------------

GRADE_VIEW = "food.view_gradinginspection"
GRADE = "food.grade_catering"


@login_required
@permission_required(GRADE_VIEW, raise_exception=True)
def gradings(request):
    from jianguan.core import lists

    qs = selectors.gradings_for(request.user)
    grade = request.GET.get("grade") or ""
    if grade in ("excellent", "good", "fair"):
        qs = qs.filter(grade=grade)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(entity__name__contains=q) if len(q) != 18 else qs.filter(entity__uscc=q.upper())
    if lists.wants_export(request):
        return lists.export(request, selectors.GRADING_LIST, qs, filters={"grade": grade, "q": q})
    listing = lists.show(request, selectors.GRADING_LIST, qs)
    return render(request, "food/gradings.html", {
        "page": listing.page, "listing": listing, "grade": grade, "q": q,
        "counts": selectors.grade_counts(request.user), "can_grade": request.user.has_perm(GRADE),
        "export_allowed": request.user.has_perm(selectors.GRADING_LIST.export_permission)})


@login_required
@permission_required(GRADE, raise_exception=True)
def grading_new(request):
    from jianguan.registry.models import Entity

    today = timezone.localdate()
    checklist = rule("food.grading_checklist", on=today)
    form = forms.GradingForm(request.POST or None, checklist=checklist,
                             initial={"inspected_on": today, "entity": request.GET.get("entity", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entity = Entity.objects.filter(uscc=data["entity"].strip().upper()).first()
        if entity is None:
            form.add_error("entity", f"统一社会信用代码 {data['entity']} 未在市场主体名录中")
        else:
            try:
                insp = services.grading_record(actor=request.user, entity=entity, inspected_on=data["inspected_on"],
                                               answers=form.answers(), note=data["note"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已评定：{insp.get_grade_display()}（{insp.score} 分），已在门户公示")
                return redirect("food:grading", pk=insp.pk)
    return render(request, "food/grading_new.html", {"form": form})


@login_required
@permission_required(GRADE_VIEW, raise_exception=True)
def grading_detail(request, pk: int):
    insp = selectors.grading_for(request.user, pk)
    return render(request, "food/grading.html", {"insp": insp, "annual": selectors.annual_of(insp)})


# --- 明厨亮灶 / 示范店 ------------------------------------------------------------------------------------------------

REVIEW = "food.review_designation"


@login_required
@permission_required("food.view_designation", raise_exception=True)
def designations(request):
    from jianguan.core import lists
    from jianguan.registry.models import Entity

    form = forms.DesignationApplyForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST":
        if not request.user.has_perm(REVIEW):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            entity = Entity.objects.filter(uscc=data["entity"].strip().upper()).first()
            if entity is None:
                form.add_error("entity", f"统一社会信用代码 {data['entity']} 未在市场主体名录中")
            else:
                try:
                    d = services.designation_apply(actor=request.user, entity=entity, kind=data["kind"],
                                                   applied_on=data["applied_on"])
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, "已登记申报，请评审")
                    return redirect("food:designation", pk=d.pk)
    qs = selectors.designations_for(request.user)
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(entity__name__contains=q) if len(q) != 18 else qs.filter(entity__uscc=q.upper())
    if lists.wants_export(request):
        return lists.export(request, selectors.DESIGNATION_LIST, qs, filters={"status": status, "q": q})
    listing = lists.show(request, selectors.DESIGNATION_LIST, qs)
    from .models import DesignationStatus

    return render(request, "food/designations.html", {
        "page": listing.page, "listing": listing, "form": form, "q": q, "status": status,
        "statuses": DesignationStatus.choices, "can_review": request.user.has_perm(REVIEW),
        "export_allowed": request.user.has_perm(selectors.DESIGNATION_LIST.export_permission)})


@login_required
@permission_required("food.view_designation", raise_exception=True)
def designation_detail(request, pk: int):
    d = selectors.designation_for(request.user, pk)
    criteria = rule("food.designation_criteria", on=timezone.localdate())[d.kind]
    form = forms.DesignationReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST":
        if not request.user.has_perm(REVIEW):
            raise PermissionDenied
        if form.is_valid():
            try:
                d = services.designation_review(actor=request.user, designation=d, met=form.met(),
                                                on=timezone.localdate(), note=form.cleaned_data["note"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"评审结果：{d.get_status_display()}")
                return redirect("food:designation", pk=d.pk)
    return render(request, "food/designation.html", {"d": d, "form": form,
                                                     "can_review": request.user.has_perm(REVIEW)})


# --- 不合格食品核查处置 and 召回 -------------------------------------------------------------------------------------

DISPOSAL_VIEW = "food.view_disposal"
DISPOSAL = "food.handle_disposal"


@login_required
@permission_required(DISPOSAL_VIEW, raise_exception=True)
def disposals(request):
    today = timezone.localdate()
    form = forms.DisposalOpenForm(request.POST or None, initial={"opened_on": today})
    if request.method == "POST":
        if not request.user.has_perm(DISPOSAL):
            raise PermissionDenied
        if form.is_valid():
            d = _open_from_form(request, form, today)
            if d is not None:
                messages.success(request, f"已启动核查处置 {d.number}，期限 {d.due_on:%Y-%m-%d}")
                return redirect("food:disposal", pk=d.pk)
    from django.db.models import Q

    from jianguan.core import lists

    from .models import DisposalSource

    qs = selectors.disposals_for(request.user)
    state = request.GET.get("state") or ""
    if state == "open":
        qs = qs.filter(status="open")
    elif state == "overdue":
        qs = qs.filter(status="open", due_on__lt=today)
    elif state == "recall":  # a recall running: announced, not completed
        qs = qs.filter(status="open", recall_announced_on__isnull=False, recall_completed_on__isnull=True)
    elif state == "closed":
        qs = qs.filter(status="closed")
    else:
        state = ""
    source = request.GET.get("source", "")
    if source in DisposalSource.values:
        qs = qs.filter(source=source)
    else:
        source = ""
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(entity__name__contains=q) | Q(product__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.DISPOSAL_LIST, qs, filters={"state": state, "source": source, "q": q})
    listing = lists.show(request, selectors.DISPOSAL_LIST, qs)
    return render(request, "food/disposals.html", {
        "page": listing.page, "listing": listing, "form": form, "state": state, "source": source, "q": q,
        "sources": DisposalSource.choices, "today": today,
        "export_allowed": request.user.has_perm(selectors.DISPOSAL_LIST.export_permission),
        "counts": selectors.disposal_counts(request.user, today), "can_handle": request.user.has_perm(DISPOSAL)})


def _open_from_form(request, form, today):
    from jianguan.complaints.models import Complaint
    from jianguan.sampling.models import Sample

    data = form.cleaned_data
    number = (data["sample"] or data["complaint"]).strip()
    try:
        if data["sample"]:
            sample = Sample.objects.filter(number=number).first()
            if sample is None:
                form.add_error("sample", f"样品编号 {number} 不存在")
                return None
            return services.disposal_open(actor=request.user, sample=sample, today=today)
        complaint = Complaint.objects.filter(number=number).first()
        if complaint is None:
            form.add_error("complaint", f"投诉举报编号 {number} 不存在")
            return None
        return services.disposal_open(actor=request.user, complaint=complaint, opened_on=data["opened_on"],
                                      product=data["product"], batch_no=data["batch_no"], problem=data["problem"],
                                      today=today)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


DISPOSAL_ACTIONS = {
    "step": (forms.StepForm, lambda user, d, c, today: services.disposal_step(
        actor=user, disposal=d, code=c["code"], done_on=c["done_on"], note=c["note"], today=today), "已登记处置措施"),
    "recall": (forms.RecallOrderForm, lambda user, d, c, today: services.recall_order(
        actor=user, disposal=d, level=c["level"], known_at=c["known_at"]), "已责令召回，启动期限已计算"),
    "announce": (forms.RecallAnnounceForm, lambda user, d, c, today: services.recall_announce(
        actor=user, disposal=d, started_at=c["started_at"], announced_on=c["announced_on"], today=today),
        "已登记召回公告，完成期限已计算，公告已在门户公开"),
    "complete": (forms.RecallCompleteForm, lambda user, d, c, today: services.recall_complete(
        actor=user, disposal=d, on=c["on"], result=c["result"], today=today), "已登记完成召回"),
    "close": (forms.DisposalCloseForm, lambda user, d, c, today: services.disposal_close(
        actor=user, disposal=d, on=c["on"], conclusion=c["conclusion"], today=today), "已办结，结论已在门户公开"),
}


@login_required
@permission_required(DISPOSAL_VIEW, raise_exception=True)
def disposal_detail(request, pk: int):
    d = selectors.disposal_for(request.user, pk)
    today = timezone.localdate()
    bound, errors = None, []
    if request.method == "POST":
        if not request.user.has_perm(DISPOSAL):
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action == "lead":
            try:
                lead_id = services.disposal_lead(actor=request.user, disposal=d, today=today)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已移送执法线索（编号 {lead_id}）")
            return redirect("food:disposal", pk=d.pk)
        if action not in DISPOSAL_ACTIONS:
            raise PermissionDenied
        form_class, run, done = DISPOSAL_ACTIONS[action]
        bound = (action, form_class(request.POST))
        if bound[1].is_valid():
            try:
                run(request.user, d, bound[1].cleaned_data, today)
            except DomainError as exc:
                errors.append(exc.message)
            else:
                messages.success(request, done)
                return redirect("food:disposal", pk=d.pk)
        else:
            errors += [f"{bound[1].fields[f].label if f in bound[1].fields else ''}：{e}" if f != "__all__" else e
                       for f, es in bound[1].errors.items() for e in es]
    now = timezone.now()
    forms_ = {name: (bound[1] if bound and bound[0] == name else cls(initial={"on": today, "done_on": today,
                                                                             "announced_on": today}))
              for name, (cls, _, _) in DISPOSAL_ACTIONS.items() if name != "step"}
    return render(request, "food/disposal.html", {
        "d": d, "today": today, "now": now, "errors": errors, "forms": forms_,
        "can_handle": request.user.has_perm(DISPOSAL), "late": services.recall_late(d, now),
        "steps_open": any(not s["done_on"] for s in d.steps)})


# --- 食品安全示范创建 indicators -----------------------------------------------------------------------------------


@login_required
@permission_required(GRADE_VIEW, raise_exception=True)
def creation(request):
    """The creation indicators for the user's whole scope and for each county in it: the figure read from the data
    (work-plan metrics, cached for their max age), the target of rule ``food.creation_targets``, met or not."""
    from jianguan.core.models import OrgUnit
    from jianguan.core.scope import scope_for
    from jianguan.workplan import metrics as wm

    from .metrics import CREATION_KEYS

    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year)
    targets = rule("food.creation_targets", on=today)
    defs = [wm.get(k) for k in CREATION_KEYS]
    scope = scope_for(request.user)
    counties = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code")
    if not scope.everything:
        counties = counties.filter(pk__in=scope.unit_ids)
    rows = [("本单位范围" if not scope.everything else "全市", scope)]
    rows += [(c.short_name or c.name, wm.scope_of_unit(c)) for c in counties]
    table = []
    for label, s in rows:
        ctx = wm.Context(scope=s, year=year, today=today)
        readings = wm.read_many(CREATION_KEYS, ctx)
        cells = []
        for m in defs:
            r, target = readings[m.key], targets.get(m.key)
            met = None if target is None or r.value is None else r.value >= target
            cells.append({"reading": r, "target": target, "met": met, "unit": m.unit, "url": m.url(ctx)})
        table.append({"label": label, "cells": cells})
    heads = [{"label": m.label, "unit": m.unit, "target": targets.get(m.key)} for m in defs]
    return render(request, "food/creation.html", {"heads": heads, "table": table, "year": year,
                                                  "years": range(today.year, today.year - 4, -1)})


# --- Excel import of gradings and designations ---------------------------------------------------------------------

IMPORTS = {
    # kind → (permission, the sheet of the rules in force, the importer, the list it fills)
    "gradings": (GRADE, "grading_sheet", "import_gradings", "food:gradings"),
    "designations": (REVIEW, "designation_sheet", "import_designations", "food:designations"),
}
MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _import_page(request, kind: str):
    """The import page of ``kind`` (on the registers' template): upload, all or nothing, the errors by row and
    column; the permission is the one of the workbench form the rows stand for."""
    from . import imports

    perm, sheet_of, run, list_name = IMPORTS[kind]
    if not request.user.has_perm(perm):
        raise PermissionDenied
    today = timezone.localdate()
    errors, created = [], None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [{"row": None, "column": "", "message": "请选择要导入的 .xlsx 文件"}]
        elif upload.size > MAX_IMPORT_BYTES:
            errors = [{"row": None, "column": "", "message": "文件不能超过 10 MB"}]
        else:
            try:
                created = getattr(imports, run)(actor=request.user, data=upload.read(), today=today).created
            except DomainError as exc:
                errors = exc.details or [{"row": None, "column": "", "message": exc.message}]
    return render(request, "registers/import.html", {
        "register": getattr(imports, sheet_of)(today), "errors": errors, "created": created,
        "list_url": reverse(list_name), "template_url": reverse(f"food:{kind}_template")},
        status=422 if errors else 200)


def _import_template(request, kind: str):
    from urllib.parse import quote

    from django.http import HttpResponse

    from jianguan.core.registers import XLSX, template

    from . import imports

    perm, sheet_of, _run, _list = IMPORTS[kind]
    if not request.user.has_perm(perm):
        raise PermissionDenied
    sheet = getattr(imports, sheet_of)(timezone.localdate())
    response = HttpResponse(template(sheet), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(sheet.title + '导入模板.xlsx')}"
    return response


@login_required
def gradings_import(request):
    return _import_page(request, "gradings")


@login_required
def gradings_template(request):
    return _import_template(request, "gradings")


@login_required
def designations_import(request):
    return _import_page(request, "designations")


@login_required
def designations_template(request):
    return _import_template(request, "designations")
