"""The inspections workbench: item list, inspector list, plans, batches (freeze, randomness, publish, re-draw),
tasks (phone-sized: checklist, result, photos, confirmation) and listing proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import lists
from jianguan.core.errors import DomainError
from jianguan.core.rules import rule
from jianguan.core.scope import get_in_scope_or_404
from jianguan.registry.selectors import entities_for

from . import queries, services
from .forms import (
    AttachmentForm,
    BatchForm,
    ConflictForm,
    DecisionForm,
    ItemForm,
    PlanForm,
    RandomnessForm,
    RedrawForm,
    ResultForm,
)
from .models import (
    Attachment,
    DrawBatch,
    InspectionItem,
    InspectionPlan,
    ItemResult,
    ListingProposal,
    TaskStatus,
)
from .rules import RISK_CLASSES

workbench = permission_required("core.access_workbench", raise_exception=True)
view_plans = permission_required("inspections.view_inspectionplan", raise_exception=True)
manage_plans = permission_required("inspections.manage_plans", raise_exception=True)


def _fail(request, exc: DomainError, form=None) -> None:
    """Show a refusal: on the form when there is one (naming the field), else as a message."""
    if form is not None:
        field = exc.field if exc.field in form.fields else None
        for detail in exc.details or []:
            if isinstance(detail, dict) and detail.get("field") in form.fields:
                form.add_error(detail["field"], detail["message"])
                field = "done"
        if field != "done":
            form.add_error(field, exc.message)
    else:
        messages.error(request, exc.message)


def _user_unit(user):
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    if profile is None:
        raise PermissionDenied("没有所属单位的账号不能制定抽查计划")
    return profile.unit


# --- home card ----------------------------------------------------------------------------------------------------


def home_tasks(request) -> list[dict]:
    """The inspector's open tasks on the workbench home page."""
    user = request.user
    if not user.has_perm("inspections.record_results"):
        return []
    tasks = list(queries.open_tasks_of(user)[:6])
    if not tasks:
        return []
    return [{"template": "inspections/home_tasks.html", "tasks": tasks[:5], "more": len(tasks) > 5}]


# --- the item list ------------------------------------------------------------------------------------------------


@login_required
@permission_required("inspections.view_inspectionitem", raise_exception=True)
def item_list(request):
    qs = InspectionItem.objects.all()
    state = request.GET.get("state", "")
    if state in ("active", "inactive"):
        qs = qs.filter(is_active=state == "active")
    else:
        state = ""
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(code__contains=q) | Q(name__contains=q) | Q(department__contains=q)
                       | Q(object_type__contains=q) | Q(legal_basis__contains=q))
    if lists.wants_export(request):
        return lists.export(request, queries.ITEM_LIST, qs, filters={"state": state, "q": q})
    listing = lists.show(request, queries.ITEM_LIST, qs)
    return render(request, "inspections/item_list.html", {
        "page": listing.page, "listing": listing, "state": state, "q": q,
        "export_allowed": request.user.has_perm(queries.ITEM_LIST.export_permission)})


@login_required
@permission_required("inspections.manage_items", raise_exception=True)
def item_edit(request, pk: int | None = None):
    item = get_object_or_404(InspectionItem, pk=pk) if pk else None
    form = ItemForm.for_item(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_save(actor=request.user, item=item, **form.service_data())
        except DomainError as exc:
            _fail(request, exc, form)
        else:
            messages.success(request, "抽查事项已保存。")
            return redirect("inspections:item_list")
    return render(request, "inspections/item_form.html", {"form": form, "item": item})


# --- the inspector list and conflicts -----------------------------------------------------------------------------


@login_required
@view_plans
def inspector_list(request):
    today = timezone.localdate()
    qs = queries.inspector_list_queryset(request.user)
    state = request.GET.get("state", "")
    valid = Q(credential_expiry__gte=today) & ~Q(credential_no="")
    if state == "valid":
        qs = qs.filter(valid)
    elif state == "invalid":  # 执法证过期或缺失: never drawn
        qs = qs.exclude(valid)
    else:
        state = ""
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(staff_code__contains=q) | Q(user__first_name__contains=q) | Q(unit__name__contains=q)
                       | Q(specialties__contains=q))
    if lists.wants_export(request):
        return lists.export(request, queries.INSPECTOR_LIST, qs, filters={"state": state, "q": q})
    listing = lists.show(request, queries.INSPECTOR_LIST, qs)
    return render(request, "inspections/inspector_list.html", {
        "page": listing.page, "listing": listing, "state": state, "q": q, "today": today,
        "export_allowed": request.user.has_perm(queries.INSPECTOR_LIST.export_permission)})


@login_required
@permission_required("inspections.record_results", raise_exception=True)
def conflict_list(request):
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entity = entities_for(request.user).filter(uscc=form.cleaned_data["uscc"].strip().upper()).first()
        if entity is None:
            form.add_error("uscc", "在您的管辖范围内没有该统一社会信用代码的主体")
        else:
            try:
                services.conflict_declare(
                    actor=request.user,
                    entity=entity,
                    reason=form.cleaned_data["reason"],
                    valid_until=form.cleaned_data["valid_until"],
                )
            except DomainError as exc:
                _fail(request, exc, form)
            else:
                messages.success(request, f"已声明回避：{entity.name}。今后的抽取不会把您分配给该主体。")
                return redirect("inspections:conflict_list")
    qs = queries.conflicts_of(request.user)
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state == "valid":
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    elif state == "expired":
        qs = qs.filter(valid_until__lt=today)
    else:
        state = ""
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(entity__name__contains=q) | Q(entity__uscc=q.upper()) | Q(reason__contains=q))
    spec = queries.CONFLICT_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"state": state, "q": q})
    listing = lists.show(request, spec, qs)
    return render(request, "inspections/conflict_list.html", {
        "form": form, "page": listing.page, "listing": listing, "state": state, "q": q, "today": today,
        "export_allowed": request.user.has_perm(spec.export_permission)})


# --- plans --------------------------------------------------------------------------------------------------------


@login_required
@view_plans
def plan_list(request):
    plans = (
        queries.plans_for(request.user)
        .annotate(batch_count=Count("batches", distinct=True), item_count=Count("items", distinct=True))
    )
    q, status = request.GET.get("q", "").strip()[:50], request.GET.get("status", "")
    if q:
        plans = plans.filter(Q(code__contains=q) | Q(title__contains=q))
    if status in InspectionPlan.Status.values:
        plans = plans.filter(status=status)
    if lists.wants_export(request):
        return lists.export(request, queries.PLAN_LIST, plans, filters={"q": q, "status": status})
    listing = lists.show(request, queries.PLAN_LIST, plans, size=30)
    return render(request, "inspections/plan_list.html", {
        "page": listing.page, "listing": listing, "q": q, "status": status,
        "statuses": InspectionPlan.Status.choices,
        "export_allowed": request.user.has_perm(queries.PLAN_LIST.export_permission)})


def _plan_form(request, plan: InspectionPlan | None):
    unit = plan.unit if plan else _user_unit(request.user)
    today = timezone.localdate()
    defaults = {
        "year": today.year,
        "assignment": "station",
        "ratios": services.default_ratios(today),
        "team_size": rule("inspections.team_size"),
        "max_tasks": rule("inspections.max_tasks"),
        "exclusion_months": rule("inspections.exclusion_months"),
        "min_age_months": rule("inspections.min_age_months"),
    }
    form = PlanForm(request.POST or None, unit=unit, initial=PlanForm.initial_for(plan, defaults))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            if plan is None:
                plan = services.plan_create(actor=request.user, unit=unit, year=form.cleaned_data["year"], **data)
            else:
                data.pop("title")
                plan = services.plan_update(actor=request.user, plan=plan, title=form.cleaned_data["title"], **data)
        except DomainError as exc:
            _fail(request, exc, form)
        else:
            messages.success(request, f"抽查计划 {plan.code} 已保存。")
            return redirect("inspections:plan_detail", code=plan.code)
    return render(
        request, "inspections/plan_form.html", {"form": form, "plan": plan, "unit": unit, "risk_classes": RISK_CLASSES}
    )


@login_required
@manage_plans
def plan_create(request):
    return _plan_form(request, None)


@login_required
@manage_plans
def plan_edit(request, code: str):
    plan = queries.plan_for(request.user, code)
    if plan.status != InspectionPlan.Status.DRAFT:
        messages.error(request, "计划已公示，不能再修改。")
        return redirect("inspections:plan_detail", code=code)
    return _plan_form(request, plan)


@login_required
@view_plans
def plan_detail(request, code: str):
    plan = queries.plan_for(request.user, code)
    batches = list(plan.batches.defer("manifest", "bundle").order_by("number"))
    preview = None
    if request.GET.get("preview") or plan.status == InspectionPlan.Status.DRAFT:
        pool = queries.build_pool(plan, timezone.localdate(), with_inspectors=False)
        preview = queries.strata_summary(plan, pool.sizes)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "items": plan.items.all(),
            "units": plan.filter_units.all(),
            "batches": batches,
            "preview": preview,
            "batch_form": BatchForm(),
            "can_manage": request.user.has_perm("inspections.manage_plans"),
            "result_days": rule("inspections.result_days"),
        },
    )


@login_required
@manage_plans
@require_POST
def plan_publish(request, code: str):
    plan = queries.plan_for(request.user, code)
    try:
        services.plan_publish(actor=request.user, plan=plan)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "计划已公示。")
    return redirect("inspections:plan_detail", code=code)


@login_required
@manage_plans
@require_POST
def batch_create(request, code: str):
    plan = queries.plan_for(request.user, code)
    form = BatchForm(request.POST)
    if form.is_valid():
        try:
            batch = services.batch_create(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"已新建第 {batch.number} 批。")
            return redirect("inspections:batch_detail", pk=batch.pk)
    else:
        messages.error(request, "请写明将采用的公开随机源。")
    return redirect("inspections:plan_detail", code=code)


# --- batches ------------------------------------------------------------------------------------------------------


@login_required
@view_plans
def batch_detail(request, pk: int):
    batch = queries.batch_for(request.user, pk)
    tasks = queries.task_list(request.user, batch=batch.pk, status=request.GET.get("status", ""))
    if batch.status == DrawBatch.Status.SUPERSEDED:
        tasks = queries.task_list(request.user, batch=batch.pk, status=TaskStatus.VOID)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    unassigned = (batch.unassigned_entities or [])[:200]
    confirmed = batch.tasks.filter(status=TaskStatus.CONFIRMED).count()
    return render(
        request,
        "inspections/batch_detail.html",
        {
            "batch": batch,
            "plan": batch.plan,
            "page": page,
            "unassigned": unassigned,
            "confirmed": confirmed,
            "edit_form": BatchForm(initial={"beacon": batch.beacon, "draw_date": batch.draw_date}),
            "randomness_form": RandomnessForm(),
            "redraw_form": RedrawForm(initial={"beacon": batch.beacon}),
            "can_manage": request.user.has_perm("inspections.manage_plans"),
            "statuses": TaskStatus.choices,
        },
    )


def _batch_action(request, pk: int, action):
    batch = queries.batch_for(request.user, pk)
    try:
        result = action(batch)
    except DomainError as exc:
        _fail(request, exc)
        return redirect("inspections:batch_detail", pk=pk)
    return result or redirect("inspections:batch_detail", pk=pk)


@login_required
@manage_plans
@require_POST
def batch_edit(request, pk: int):
    form = BatchForm(request.POST)

    def action(batch):
        if not form.is_valid():
            messages.error(request, "请写明将采用的公开随机源。")
            return None
        services.batch_update(actor=request.user, batch=batch, **form.cleaned_data)
        messages.success(request, "已保存。")
        return None

    return _batch_action(request, pk, action)


@login_required
@manage_plans
@require_POST
def batch_freeze(request, pk: int):
    def action(batch):
        batch = services.batch_freeze(actor=request.user, batch=batch)
        messages.success(request, f"抽取清单已冻结，承诺值 {batch.commitment} 已在门户网站公示。")

    return _batch_action(request, pk, action)


@login_required
@manage_plans
@require_POST
def batch_draw(request, pk: int):
    form = RandomnessForm(request.POST)

    def action(batch):
        if not form.is_valid():
            messages.error(request, "请录入随机源公布的值。")
            return None
        batch = services.batch_draw(actor=request.user, batch=batch, randomness=form.cleaned_data["randomness"])
        messages.success(
            request, f"抽取完成：{batch.tasks.count()} 个检查任务，{len(batch.unassigned)} 个对象未分配检查组。"
        )
        return None

    return _batch_action(request, pk, action)


@login_required
@manage_plans
@require_POST
def batch_publish(request, pk: int):
    def action(batch):
        services.batch_publish(actor=request.user, batch=batch)
        messages.success(request, "抽取结果已公示，公众可下载结果包自行验证。")

    return _batch_action(request, pk, action)


@login_required
@manage_plans
@require_POST
def batch_redraw(request, pk: int):
    form = RedrawForm(request.POST)

    def action(batch):
        if not form.is_valid():
            messages.error(request, "重新抽取须说明原因并写明新的公开随机源。")
            return None
        new = services.batch_redraw(
            actor=request.user,
            batch=batch,
            reason=form.cleaned_data["reason"],
            beacon=form.cleaned_data["beacon"],
            draw_date=form.cleaned_data["draw_date"],
        )
        messages.success(request, f"已作废原批次并新建第 {new.number} 批，原因已记入审计日志。")
        return redirect("inspections:batch_detail", pk=new.pk)

    return _batch_action(request, pk, action)


@login_required
@manage_plans
@require_POST
def batch_publish_results(request, pk: int):
    def action(batch):
        count = services.results_publish(
            actor=request.user, tasks=list(batch.tasks.filter(status=TaskStatus.CONFIRMED))
        )
        messages.success(request, f"已公示 {count} 条检查结果。")

    return _batch_action(request, pk, action)


@login_required
@view_plans
def batch_file(request, pk: int, kind: str):
    """The manifest (after freezing) or the bundle (after the draw), byte for byte as hashed."""
    if kind not in ("manifest", "bundle"):
        raise Http404
    batch = queries.batch_for(request.user, pk, full=True)
    text = batch.bundle if kind == "bundle" else batch.manifest
    if not text:
        raise Http404
    name = batch.bundle_filename if kind == "bundle" else f"manifest-{batch.plan.code}-{batch.number}.json"
    response = HttpResponse(text.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- tasks --------------------------------------------------------------------------------------------------------


@login_required
@workbench
def task_list(request):
    mine = request.GET.get("all") != "1" or not request.user.has_perm("inspections.view_inspectiontask")
    status = request.GET.get("status", "")
    status = status if status in TaskStatus.values else ""
    tasks = queries.task_list(request.user, mine=mine, status=status)
    if lists.wants_export(request):
        return lists.export(request, queries.TASK_LIST, tasks, filters={"mine": mine, "status": status})
    listing = lists.show(request, queries.TASK_LIST, tasks)
    return render(request, "inspections/task_list.html", {
        "listing": listing, "page": listing.page, "mine": mine, "statuses": TaskStatus.choices,
        "export_allowed": request.user.has_perm(queries.TASK_LIST.export_permission)})


@login_required
@permission_required("inspections.record_results", raise_exception=True)
def today(request):
    """今日检查: the inspector's open tasks as cards for a phone in the field — the entity, its address with a map
    link, the deadline, the plan's items, and a photo taken with the camera straight into the task."""
    tasks = list(queries.open_tasks_of(request.user).select_related("batch__plan")[:30])
    plans = {t.batch.plan_id for t in tasks}
    items: dict[int, list[str]] = {}
    if plans:
        through = InspectionPlan.items.through
        for plan_id, name in through.objects.filter(inspectionplan_id__in=plans).values_list(
                "inspectionplan_id", "inspectionitem__name"):
            items.setdefault(plan_id, []).append(name)
    for t in tasks:
        t.item_names = items.get(t.batch.plan_id, [])
    return render(request, "inspections/today.html", {"tasks": tasks, "today": timezone.localdate()})


def _task_context(request, task, form=None, upload_form=None):
    items = list(task.batch.plan.items.all())
    results = {r.item_id: r for r in ItemResult.objects.filter(task=task).select_related("item")}
    members = list(task.members.select_related("inspector"))
    is_member = any(m.inspector_id == request.user.pk for m in members)
    me = next((m for m in members if m.inspector_id == request.user.pk), None)
    return {
        "task": task,
        "entity": task.entity,
        "items": items,
        "results": [results[i.pk] for i in items if i.pk in results],
        "members": members,
        "is_member": is_member,
        "me": me,
        "form": form
        or ResultForm(
            items=items,
            results=results,
            initial={"inspected_on": task.inspected_on or timezone.localdate(), "notes": task.notes},
        ),
        "upload_form": upload_form or AttachmentForm(),
        "attachments": list(task.attachments.all()),
        "editable": is_member and task.status in (TaskStatus.ASSIGNED, TaskStatus.RECORDED),
        "proposal": ListingProposal.objects.filter(task=task).first(),
        "leads": _leads_of(task),
    }


def _leads_of(task):
    from jianguan.enforcement.models import Lead

    return list(Lead.objects.filter(source_type="inspections.task", source_id=str(task.pk)))


@login_required
@workbench
def task_detail(request, pk: int):
    task = queries.task_for(request.user, pk)
    if task.entity.phone:  # the page shows the legal representative's mobile number
        from jianguan.core import audit

        audit.record_personal_read(actor=request.user, obj=task.entity, fields=["phone"], unit=task.unit_id)
    form = None
    if request.method == "POST":
        items = list(task.batch.plan.items.all())
        form = ResultForm(request.POST, items=items)
        if form.is_valid():
            try:
                services.result_record(
                    actor=request.user,
                    task=task,
                    inspected_on=form.cleaned_data["inspected_on"],
                    results=form.service_results(),
                    notes=form.cleaned_data["notes"],
                )
            except DomainError as exc:
                _fail(request, exc, form)
            else:
                messages.success(request, "检查结果已保存，等待检查组其他成员确认。")
                return redirect("inspections:task_detail", pk=pk)
    return render(request, "inspections/task_detail.html", _task_context(request, task, form))


@login_required
@workbench
@require_POST
def task_confirm(request, pk: int):
    task = queries.task_for(request.user, pk)
    try:
        task = services.result_confirm(actor=request.user, task=task)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request,
            "已确认检查结果。" + ("检查组成员均已确认，结果生效。" if task.status == TaskStatus.CONFIRMED else ""),
        )
    return redirect("inspections:task_detail", pk=pk)


@login_required
@workbench
@require_POST
def task_upload(request, pk: int):
    task = queries.task_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, task=task, upload=form.cleaned_data["file"])
        except DomainError as exc:
            _fail(request, exc, form)
        else:
            messages.success(request, "附件已上传。")
            if request.POST.get("next") == "today":  # from the 今日检查 card: back to the cards
                return redirect("inspections:today")
            return redirect("inspections:task_detail", pk=pk)
    return render(request, "inspections/task_detail.html", _task_context(request, task, upload_form=form), status=400)


@login_required
@workbench
def attachment_download(request, pk: int):
    """Only the team and staff whose scope covers the task may download its files."""
    attachment = get_object_or_404(Attachment.objects.select_related("task"), pk=pk)
    queries.task_for(request.user, attachment.task_id)  # 404 outside the scope
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.kind == "pdf",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- listing proposals --------------------------------------------------------------------------------------------


@login_required
@permission_required("inspections.view_listingproposal", raise_exception=True)
def proposal_list(request):
    status = request.GET.get("status", ListingProposal.Status.PROPOSED)
    proposals = queries.proposals_for(request.user)
    if status:
        proposals = proposals.filter(status=status)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        proposals = proposals.filter(entity__name__contains=q) if len(q) != 18 else proposals.filter(
            entity__uscc=q.upper())
    if lists.wants_export(request):
        return lists.export(request, queries.PROPOSAL_LIST, proposals, filters={"status": status, "q": q})
    listing = lists.show(request, queries.PROPOSAL_LIST, proposals, size=30)
    page = listing.page
    return render(
        request,
        "inspections/proposal_list.html",
        {
            "page": page,
            "listing": listing,
            "status": status,
            "q": q,
            "statuses": ListingProposal.Status.choices,
            "form": DecisionForm(),
            "can_review": request.user.has_perm("inspections.review_proposals"),
            "export_allowed": request.user.has_perm(queries.PROPOSAL_LIST.export_permission),
        },
    )


@login_required
@permission_required("inspections.review_proposals", raise_exception=True)
@require_POST
def proposal_decide(request, pk: int, decision: str):
    if decision not in ("accept", "reject"):
        raise Http404
    proposal = get_in_scope_or_404(ListingProposal.objects.all(), request.user, "unit", pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if decision == "accept":
            services.proposal_accept(actor=request.user, proposal=proposal, note=note)
            messages.success(request, "已采纳：该主体已列入经营异常名录。")
        else:
            services.proposal_reject(actor=request.user, proposal=proposal, note=note)
            messages.success(request, "已不予采纳。")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("inspections:proposal_list")
