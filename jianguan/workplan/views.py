"""Workbench pages of the key-work plan: the plans, a plan's tree with live targets, a task with its reports,
the office's review queue, the supervision notices, and the progress report as Word and PDF."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.complaints.views import form_errors_from
from jianguan.core import audit, lists
from jianguan.core.errors import DomainError
from jianguan.core.scope import scoped_units

from . import metrics, reports, selectors, services
from .forms import MilestoneFormSet, PlanCopyForm, ReportForm, ReviewForm, TargetFormSet, TaskForm
from .models import Notice, Plan, ReportFile

view_perm = permission_required("workplan.view_plan", raise_exception=True)


@login_required
@view_perm
def plan_list(request):
    q, status, year = request.GET.get("q", "").strip()[:50], request.GET.get("status", ""), request.GET.get("year", "")
    plans = selectors.plan_search(request.user, q=q, status=status, year=year.strip())
    if lists.wants_export(request):
        return lists.export(request, selectors.PLAN_LIST, plans, filters={"q": q, "status": status, "year": year})
    listing = lists.show(request, selectors.PLAN_LIST, plans)
    return render(request, "workplan/plans.html", {
        "page": listing.page, "listing": listing, "q": q, "status": status, "year": year, "statuses": Plan.Status.choices,
        "export_allowed": request.user.has_perm(selectors.PLAN_LIST.export_permission)})


@login_required
@view_perm
def plan_detail(request, code: str):
    plan = selectors.plan_for(request.user, code)
    today = timezone.localdate()
    unit = request.GET.get("unit", "")
    late_only = request.GET.get("late") == "1"
    tree = selectors.plan_tree(request.user, plan, today=today, unit=unit, late_only=late_only)
    units = scoped_units(request.user).filter(kind__in=["department", "district"]).order_by("path")
    return render(request, "workplan/plan.html", {
        "plan": plan, "tree": tree, "today": today, "unit": unit, "late_only": late_only, "units": units,
        "max_minutes": int(metrics.max_age().total_seconds() // 60), "period_month": today.strftime("%Y-%m"),
        "period_quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}",
    })


@login_required
@permission_required("workplan.manage_plan", raise_exception=True)
@require_POST
def plan_refresh(request, code: str):
    """Recompute the plan's live targets now (the office, before a meeting)."""
    plan = selectors.plan_for(request.user, code)
    selectors.plan_tree(request.user, plan, today=timezone.localdate(), fresh=True)
    messages.success(request, "系统指标已重新计算")
    return redirect("workplan:plan", code=code)


def _task_context(request, plan, task, form=None):
    today = timezone.localdate()
    task = (selectors.tasks_for(request.user, plan).filter(pk=task.pk)
            .select_related("plan", "area", "lead_unit", "lead_person", "leader")
            .prefetch_related("co_units", "milestones", "targets").get())
    ctx = metrics.Context(selectors.reading_scope(request.user, plan), plan.year, today)
    keys = {t.metric for t in task.targets.all() if t.metric}
    rows = selectors.target_rows(task.targets.all(), metrics.read_many(keys, ctx), ctx)
    may_report = services.can_report(request.user, task) and plan.status == plan.Status.ACTIVE
    history = list(task.reports.select_related("author", "unit", "milestone", "reviewed_by")
                   .prefetch_related("files"))
    return {
        "plan": plan, "task": task, "targets": rows, "milestones": list(task.milestones.all()), "history": history,
        "form": form if form is not None else (ReportForm(task=task) if may_report else None),
        "may_report": may_report, "may_review": request.user.has_perm("workplan.review_report"),
        "review_form": ReviewForm(), "today": today,
    }


@login_required
@view_perm
def task_detail(request, code: str, task_code: str):
    plan = selectors.plan_for(request.user, code)
    task = selectors.task_for(request.user, plan, task_code)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, task=task)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.report_submit(actor=request.user, task=task, text=d["text"], progress=d["progress"],
                                       milestone=form.chosen_milestone(),
                                       completes_milestone=d["completes_milestone"], values=form.values(),
                                       files=d["files"], idempotency_key=d.get("idempotency_key"))
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "进展报告已报送，待督查室审核")
                return redirect("workplan:task", code=code, task_code=task_code)
        return render(request, "workplan/task.html", _task_context(request, plan, task, form), status=422)
    return render(request, "workplan/task.html", _task_context(request, plan, task))


@login_required
@permission_required("workplan.review_report", raise_exception=True)
def review_queue(request):
    q, unit = request.GET.get("q", "").strip()[:50], request.GET.get("unit", "").strip()[:20]
    completes = request.GET.get("completes") == "1"
    qs = selectors.review_search(request.user, q=q, unit=unit, completes=completes)
    spec = selectors.REVIEW_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"q": q, "unit": unit, "completes": completes})
    listing = lists.show(request, spec, qs)
    units = scoped_units(request.user).filter(
        pk__in=selectors.review_queue(request.user).order_by().values("unit")).order_by("path")
    return render(request, "workplan/review.html", {
        "page": listing.page, "listing": listing, "q": q, "unit": unit, "completes": completes, "units": units,
        "form": ReviewForm(), "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@permission_required("workplan.review_report", raise_exception=True)
@require_POST
def report_review(request, pk: int):
    report = get_object_or_404(selectors.reports_for(request.user).select_related("task", "task__plan"), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择通过或退回")
    else:
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.report_review(actor=request.user, report=report, accept=accept, note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"「{report.task.code} {report.task.title}」的进展报告已{'通过' if accept else '退回'}")
    nxt = request.POST.get("next", "")
    if nxt == "task":
        return redirect("workplan:task", code=report.task.plan.code, task_code=report.task.code)
    return redirect("workplan:review")


@login_required
@view_perm
def report_file(request, pk: int):
    rf = get_object_or_404(ReportFile.objects.select_related("report"), pk=pk)
    if not selectors.reports_for(request.user).filter(pk=rf.report_id).exists():
        raise Http404
    response = FileResponse(rf.file.open("rb"), as_attachment=True, filename=rf.original_name,
                            content_type=rf.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def notice_list(request):
    q, kind, state = request.GET.get("q", "").strip()[:50], request.GET.get("kind", ""), request.GET.get("state", "")
    kind = kind if kind in Notice.Kind.values else ""
    state = state if state in ("unread", "read") else ""
    qs = selectors.notice_search(request.user, q=q, kind=kind, state=state)
    spec = selectors.NOTICE_LIST
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"q": q, "kind": kind, "state": state})
    listing = lists.show(request, spec, qs)
    unread = selectors.notices_for(request.user, unread_only=True).count()
    return render(request, "workplan/notices.html", {
        "page": listing.page, "listing": listing, "q": q, "kind": kind, "state": state, "unread": unread,
        "kinds": Notice.Kind.choices, "export_allowed": request.user.has_perm(spec.export_permission)})


@login_required
@require_POST
def notice_read(request, pk: int):
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    services.notice_read(actor=request.user, notice=notice)
    if notice.task_id:
        return redirect("workplan:task", code=notice.task.plan.code, task_code=notice.task.code)
    return redirect("workplan:notices")


@login_required
@permission_required("workplan.export_plan_report", raise_exception=True)
def progress_report(request, code: str, fmt: str):
    plan = selectors.plan_for(request.user, code)
    try:
        period = reports.parse_period(request.GET.get("period", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("workplan:plan", code=code)
    ctx = reports.context(request.user, plan, period, today=timezone.localdate())
    name = f"{plan.year}年重点工作推进情况通报-{period.code}"
    if fmt == "docx":
        data = reports.render_docx(ctx)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        data = reports.render_pdf(ctx)
        ctype = "application/pdf"
    else:
        raise Http404
    with transaction.atomic():
        audit.record(actor=request.user, action="workplan.report.exported", obj=plan,
                     changes={"period": [None, period.code], "format": [None, fmt]})
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response



@login_required
@permission_required("workplan.manage_plan", raise_exception=True)
def plan_new(request):
    """A new year's plan, started from an existing one (the office then adjusts each task)."""
    plans = selectors.plans_for(request.user).order_by("-year", "code")
    latest = plans.first()
    initial = {}
    if latest is not None:
        initial = {"source": latest, "year": latest.year + 1, "code": f"PDS-{latest.year + 1}",
                   "title": latest.title.replace(str(latest.year), str(latest.year + 1))}
    form = PlanCopyForm(request.POST or None, plans=plans, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_copy(actor=request.user, source=d["source"], year=d["year"], title=d["title"],
                                      code=d["code"])
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已新建「{plan.title}」，请逐项调整任务、节点和指标")
            return redirect("workplan:plan", code=plan.code)
    return render(request, "workplan/plan_new.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@permission_required("workplan.manage_plan", raise_exception=True)
def task_edit(request, code: str, task_code: str):
    plan = selectors.plan_for(request.user, code)
    task = selectors.task_for(request.user, plan, task_code)
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, instance=task)
    ms = MilestoneFormSet(data, instance=task, prefix="ms")
    ts = TargetFormSet(data, instance=task, prefix="tg")
    if request.method == "POST" and form.is_valid() and ms.is_valid() and ts.is_valid():
        try:
            services.task_update(actor=request.user, task=task, form=form, milestones=ms, targets=ts)
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "任务已调整")
            return redirect("workplan:task", code=code, task_code=task_code)
    status = 422 if request.method == "POST" else 200
    return render(request, "workplan/task_edit.html", {"plan": plan, "task": task, "form": form, "ms": ms, "ts": ts},
                  status=status)
