"""Workbench: the complaint list, a complaint's page with its actions, staff entry, 12315 import, analytics,
evidence downloads. Reads through ``selectors`` (scope: outside it is a 404), writes through ``services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import lists
from jianguan.core.errors import DomainError
from jianguan.core.scope import scoped_units

from . import forms, importer, selectors, services
from .clocks import deadline_explained
from .models import Evidence, Kind, Status

view_perm = permission_required("complaints.view_complaint", raise_exception=True)
handle_perm = permission_required("complaints.handle_complaint", raise_exception=True)


def form_errors_from(form, exc: DomainError) -> None:
    """Put a service's refusal on the form: on each named field when there is one, else on the form."""
    placed = False
    for item in exc.details or ([{"field": exc.field, "message": exc.message}] if exc.field else []):
        name = {"files": "files", "entity_name": "entity_query", "reason": "reason"}.get(item.get("field"),
                                                                                          item.get("field"))
        if name in form.fields:
            form.add_error(name, item.get("message") or exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


# --- list ------------------------------------------------------------------------------------------------------------


@login_required
@view_perm
def complaint_list(request):
    units = list(scoped_units(request.user).order_by("path"))
    form = forms.FilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.Filters(
        q=data.get("q") or "", kind=data.get("kind") or "", status=data.get("status") or "",
        category=data.get("category") or "", unit=data.get("unit") or "", date_from=data.get("date_from"),
        date_to=data.get("date_to"), overdue=bool(data.get("overdue")), mine=bool(data.get("mine")))
    qs = selectors.complaint_search(request.user, filters).values(*selectors.LIST_FIELDS)
    if lists.wants_export(request):
        return lists.export(request, selectors.LIST, qs, filters=vars(filters))
    listing = lists.show(request, selectors.LIST, qs)
    selectors.explain_rows(listing.rows)
    return render(request, "complaints/list.html", {
        "form": form, "listing": listing, "today": timezone.localdate(),
        "export_allowed": request.user.has_perm(selectors.LIST.export_permission)})


# --- one complaint -------------------------------------------------------------------------------------------------


def _action_forms(complaint, user) -> dict:
    if not user.has_perm("complaints.handle_complaint"):
        return {}
    s, out = complaint.status, {}
    if complaint.kind == Kind.COMPLAINT:
        if s == Status.RECEIVED:
            out["accept"] = forms.AcceptForm(prefix="accept")
            out["refuse"] = forms.RefuseForm(prefix="refuse")
        if s == Status.ACCEPTED:
            out["mediation"] = forms.MediationForm(prefix="mediation")
            if complaint.mediation_paused:
                out["mediation_resume"] = forms.MediationResumeForm(prefix="mediation_resume")
            else:
                out["mediation_pause"] = forms.MediationPauseForm(prefix="mediation_pause")
            out["agree"] = forms.AgreeForm(prefix="agree")
            out["terminate"] = forms.TerminateForm(prefix="terminate")
        if s in (Status.AGREED, Status.TERMINATED):
            out["close"] = forms.CloseForm(prefix="close", initial={"satisfaction": complaint.satisfaction})
    else:
        if s == Status.RECEIVED:
            out["start_check"] = True
        if s in (Status.RECEIVED, Status.VERIFYING):
            out["decide"] = forms.ReportDecideForm(prefix="decide")
            if not complaint.check_extended:
                out["extend"] = forms.ExtendForm(prefix="extend", unit_id=complaint.unit_id)
        if s in (Status.LEAD, Status.DISMISSED) and not complaint.anonymous and not complaint.reporter_notified_on:
            out["notify_reporter"] = True
        if s in (Status.LEAD, Status.DISMISSED) and (complaint.anonymous or complaint.reporter_notified_on):
            out["close"] = forms.CloseForm(prefix="close")
    if complaint.is_open:
        out["transfer"] = forms.TransferForm(prefix="transfer", exclude=complaint.unit_id)
    if complaint.handler_id is None and s != Status.CLOSED:
        out["claim"] = True
    return out


def _detail_context(request, complaint, **extra) -> dict:
    user = request.user
    is_report = complaint.kind == Kind.REPORT
    evidence_visible = not is_report or complaint.handler_id == user.pk
    ctx = {
        "c": complaint,
        "person": selectors.identity(user, complaint),
        "business": selectors.business_address(user, complaint),
        "history": selectors.history(complaint),
        "mediations": list(complaint.mediations.select_related("recorded_by")),
        "transfers": list(complaint.transfers.select_related("from_unit", "to_unit", "actor")),
        "evidence": list(complaint.evidence.all()) if evidence_visible else [],
        "evidence_hidden": not evidence_visible and complaint.evidence.exists(),
        "deadline": complaint.next_deadline(),
        "deadline_explained": deadline_explained(complaint),
        "today": timezone.localdate(),
        "lead": services.lead_status(complaint),
        "actions": _action_forms(complaint, user),
        "steps": selectors.complaint_steps(complaint),
    }
    ctx["actions"].update(extra)
    return ctx


@login_required
@view_perm
def complaint_detail(request, number: str):
    complaint = selectors.complaint_for(request.user, number)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


def _date(data, key="on") -> dt.date:
    return data.get(key) or timezone.localdate()


ACTIONS = {
    # name: (form class or None, service call, success message)
    "claim": (None, lambda u, c, d: services.complaint_claim(actor=u, complaint=c), "已领办"),
    "accept": (forms.AcceptForm, lambda u, c, d: services.complaint_accept(
        actor=u, complaint=c, on=_date(d), note=d.get("note", "")), "已受理"),
    "refuse": (forms.RefuseForm, lambda u, c, d: services.complaint_refuse(
        actor=u, complaint=c, reason=d["reason"], note=d.get("note", ""), on=_date(d)), "已决定不予受理"),
    "transfer": (forms.TransferForm, lambda u, c, d: services.complaint_transfer(
        actor=u, complaint=c, to_unit=d["to_unit"], reason=d["reason"]), "已转办"),
    "mediation": (forms.MediationForm, lambda u, c, d: services.mediation_record(
        actor=u, complaint=c, on=d["on"], method=d["method"], participants=d["participants"],
        content=d["content"]), "已记录调解情况"),
    "agree": (forms.AgreeForm, lambda u, c, d: services.complaint_agree(
        actor=u, complaint=c, agreement=d["agreement"], money_recovered=d["money_recovered"], on=_date(d)),
        "已记录调解协议，并已告知双方"),
    "terminate": (forms.TerminateForm, lambda u, c, d: services.complaint_terminate(
        actor=u, complaint=c, reason=d["reason"], on=_date(d)), "已终止调解，并已告知双方"),
    "close": (forms.CloseForm, lambda u, c, d: services.complaint_close(
        actor=u, complaint=c, satisfaction=d.get("satisfaction", ""), note=d.get("note", "")), "已办结"),
    "start_check": (None, lambda u, c, d: services.report_start_check(actor=u, complaint=c), "已开始核查"),
    "extend": (forms.ExtendForm, lambda u, c, d: services.report_extend_check(
        actor=u, complaint=c, reason=d["reason"], approver=d["approver"], on=d["on"]), "核查期限已延长"),
    "mediation_pause": (forms.MediationPauseForm, lambda u, c, d: services.mediation_pause_start(
        actor=u, complaint=c, reason=d["reason"], starts_on=d["starts_on"], evidence=d["evidence"]),
        "已记录检定、检验、检测、鉴定期间：该期间不计入调解期限"),
    "mediation_resume": (forms.MediationResumeForm, lambda u, c, d: services.mediation_pause_end(
        actor=u, complaint=c, ends_on=d["ends_on"]), "调解期限已恢复计算"),
    "decide": (forms.ReportDecideForm, lambda u, c, d: services.report_decide(
        actor=u, complaint=c, outcome=d["outcome"], note=d.get("note", "")), "已作出核查结论"),
    "notify_reporter": (None, lambda u, c, d: services.report_notify_reporter(actor=u, complaint=c),
                        "已告知举报人"),
}


@login_required
@handle_perm
@require_POST
def complaint_action(request, number: str, action: str):
    if action not in ACTIONS:
        raise Http404
    complaint = selectors.complaint_for(request.user, number)
    form_class, call, done = ACTIONS[action]
    form = None
    if form_class is not None:
        kwargs = {"exclude": complaint.unit_id} if form_class is forms.TransferForm else {}
        if form_class is forms.ExtendForm:
            kwargs = {"unit_id": complaint.unit_id}
        form = form_class(request.POST, prefix=action, **kwargs)
        if not form.is_valid():
            ctx = _detail_context(request, complaint, **{action: form})
            return render(request, "complaints/detail.html", ctx, status=422)
    try:
        call(request.user, complaint, form.cleaned_data if form else {})
    except DomainError as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect("complaints:detail", number=number)
        form_errors_from(form, exc)
        return render(request, "complaints/detail.html", _detail_context(request, complaint, **{action: form}),
                      status=exc.status)
    messages.success(request, done)
    if action == "transfer" and not selectors.complaints_for(request.user).filter(pk=complaint.pk).exists():
        return redirect("complaints:list")  # transferred out of the user's scope
    return redirect("complaints:detail", number=number)


@login_required
@view_perm
def evidence_download(request, number: str, token: str):
    complaint = selectors.complaint_for(request.user, number)
    if complaint.kind == Kind.REPORT and complaint.handler_id != request.user.pk:
        raise Http404  # a report's material may identify the reporter: the handler's only
    evidence = get_object_or_404(Evidence, complaint=complaint, token=token)
    return _file_response(evidence)


def _file_response(evidence: Evidence) -> FileResponse:
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- staff entry, import ------------------------------------------------------------------------------------------


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def complaint_new(request):
    """Phone, letter and walk-in complaints entered by staff."""
    form = forms.StaffIntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from .public_views import submit_from_form

        try:
            complaint, code, _created = submit_from_form(form, actor=request.user,
                                                         channel=form.cleaned_data["channel"],
                                                         received_on=form.cleaned_data["received_on"])
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            if code:
                messages.success(request, f"已登记 {complaint.number}。请告知当事人查询码：{code}")
            if not selectors.complaints_for(request.user).filter(pk=complaint.pk).exists():
                messages.info(request, f"{complaint.number} 已分流至{complaint.unit.name}办理。")
                return redirect("complaints:new")
            return redirect("complaints:detail", number=complaint.number)
    return render(request, "complaints/new.html", {"form": form})


@login_required
@permission_required("complaints.import_complaint", raise_exception=True)
def import_view(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result, errors = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importer.import_12315(actor=request.user, filename=upload.name, data=upload.read(),
                                           today=timezone.localdate())
        except DomainError as exc:
            form.add_error(None, exc.message if not exc.details else "导入失败，未导入任何数据，请修正以下错误后重新上传。")
            errors = exc.details or []
    return render(request, "complaints/import.html", {"form": form, "result": result, "errors": errors,
                                                      "columns": importer.COLUMNS})


@login_required
@permission_required("complaints.import_complaint", raise_exception=True)
def import_template(request):
    response = HttpResponse(importer.template_bytes(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="12315-import-template.xlsx"'
    return response


# --- analytics ------------------------------------------------------------------------------------------------------


@login_required
@permission_required("complaints.view_complaint_analytics", raise_exception=True)
def analytics(request):
    today = timezone.localdate()
    try:
        date_from = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        date_from = today - dt.timedelta(days=364)
    try:
        date_to = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        date_to = today
    data = selectors.analytics(request.user, date_from=date_from, date_to=date_to, today=today)
    chart = {
        "categories": [[r["label"], r["n"]] for r in data["categories"]],
        "businesses": [[r["entity_name"], r["n"]] for r in data["businesses"]],
        "money": [[r["month"], r["money"]] for r in data["money_by_month"]],
        "clocks": [[r["unit"], r["rate"]] for r in data["clocks"] if r["rate"] is not None],
    }
    return render(request, "complaints/analytics.html", {
        "data": data, "chart": chart, "date_from": date_from, "date_to": date_to,
        "list_url": reverse("complaints:list")})
