"""Workbench of cold-chain tracing: a batch's page (movements, holdings, start a trace), the traces and a trace's
holders with their task clocks. Batches and movements themselves are registers (``registers.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import registers
from jianguan.core.errors import DomainError

from . import forms, selectors, services
from .models import Reason

view_perm = permission_required("coldchain.view_batch", raise_exception=True)


@login_required
@view_perm
def batch_detail(request, pk: int):
    batch = selectors.batch_for(request.user, pk)
    movements = list(batch.movements.select_related("holder", "counterparty"))
    stock = services.holdings(batch.pk)
    entities = {m.holder_id: m.holder for m in movements}
    holdings = [(entities[h], q) for h, (q, _entered) in stock.items()]
    can_trace = request.user.has_perm("coldchain.trace_batch")
    form = forms.TraceForm(holders=entities.values(), initial={"detected_on": timezone.localdate(),
                                                               "origin": batch.importer_id})
    if request.method == "POST":
        if not can_trace:
            raise PermissionDenied
        form = forms.TraceForm(request.POST, holders=entities.values())
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = services.trace_start(actor=request.user, batch=batch, reason=data["reason"],
                                                origin=entities[data["origin"]], detected_on=data["detected_on"],
                                                note=data["note"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已启动追溯，处置任务已下发到各持有单位")
                return redirect("coldchain:incident", pk=incident.pk)
    open_incident = batch.incidents.filter(closed_at__isnull=True).first()
    # a withdrawn batch offers no trace (the service refuses it too): the reason in place of the form
    blocked = registers.withdrawn_message(batch, what=f"批次 {batch.tracing_code}", doing="启动追溯")
    return render(request, "coldchain/batch.html", {"batch": batch, "movements": movements, "holdings": holdings,
                                                    "form": form, "can_trace": can_trace and not blocked,
                                                    "blocked": blocked, "open_incident": open_incident})


@login_required
@view_perm
def incidents(request):
    from jianguan.core import lists

    qs = selectors.incidents_for(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif state == "overdue":  # the home card's 已超时: traces with a task past its clock
        qs = qs.filter(overdue__gt=0)
    elif state == "closed":
        qs = qs.filter(closed_at__isnull=False)
    else:
        state = ""
    reason = request.GET.get("reason", "")
    if reason in Reason.values:
        qs = qs.filter(reason=reason)
    else:
        reason = ""
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(batch__tracing_code__contains=q) | Q(batch__product__contains=q)
                       | Q(origin__name__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.INCIDENT_LIST, qs, filters={"state": state, "reason": reason, "q": q})
    listing = lists.show(request, selectors.INCIDENT_LIST, qs)
    return render(request, "coldchain/incidents.html", {
        "page": listing.page, "listing": listing, "state": state, "reason": reason, "reasons": Reason.choices,
        "q": q, "now": timezone.now(),
        "export_allowed": request.user.has_perm(selectors.INCIDENT_LIST.export_permission)})


@login_required
@view_perm
def incident_detail(request, pk: int):
    incident = selectors.incident_for(request.user, pk)
    holders = list(selectors.incident_holders(request.user, incident))
    return render(request, "coldchain/incident.html", {
        "incident": incident, "holders": holders, "now": timezone.now(), "form": forms.TaskForm(),
        "can_act": request.user.has_perm("coldchain.trace_batch")})


@login_required
@view_perm
@require_POST
def task_done(request, pk: int):
    if not request.user.has_perm("coldchain.trace_batch"):
        raise PermissionDenied
    task = get_object_or_404(selectors.tasks_for(request.user), pk=pk)
    form = forms.TaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写处置结果")
    else:
        try:
            services.task_complete(actor=request.user, task=task, result=form.cleaned_data["result"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{task.holder.entity.name}：{task.label} 已完成")
    return redirect("coldchain:incident", pk=task.holder.incident_id)

