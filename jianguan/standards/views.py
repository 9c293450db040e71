"""Workbench of standardization: a pilot project's milestones, a local standard's stages. Registers come from
``core.registers`` (see ``urls.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from jianguan.core import registers
from jianguan.core.errors import DomainError

from . import forms, selectors, services
from .models import STAGE_ORDER, LocalStandard, Milestone, Stage

view_perm = permission_required("standards.view_enterprisestandard", raise_exception=True)


def _manage(request) -> bool:
    return request.user.has_perm("standards.manage_standards")


@login_required
@view_perm
def pilot_detail(request, pk: int):
    project = selectors.pilot(pk)
    add = forms.MilestoneForm(prefix="add")
    if request.method == "POST":
        if not _manage(request):
            return render(request, "403.html", status=403)
        if request.POST.get("action") == "add":
            add = forms.MilestoneForm(request.POST, prefix="add")
            if add.is_valid():
                try:
                    services.milestone_add(actor=request.user, project=project, **add.cleaned_data)
                except DomainError as exc:
                    add.add_error(exc.field if exc.field in add.fields else None, exc.message)
                else:
                    return redirect("standards:pilot", pk=project.pk)
        else:
            done = forms.MilestoneDoneForm(request.POST)
            if done.is_valid():
                milestone = get_object_or_404(Milestone, pk=done.cleaned_data["milestone"], project=project)
                try:
                    services.milestone_done(actor=request.user, milestone=milestone,
                                            done_on=done.cleaned_data["done_on"], note=done.cleaned_data["note"])
                    messages.success(request, f"节点“{milestone.name}”已完成")
                except DomainError as exc:
                    messages.error(request, exc.message)
            else:
                messages.error(request, "请填写完成日期")
            return redirect("standards:pilot", pk=project.pk)
    # a withdrawn project offers no action (its services refuse them too): the reason in place of the forms
    blocked = registers.withdrawn_message(project, what=services.pilot_named(project), doing="增加或完成节点")
    return render(request, "standards/pilot.html", {"project": project, "add": add, "today": timezone.localdate(),
                                                    "can": _manage(request) and not blocked, "blocked": blocked})


@login_required
@view_perm
def local_detail(request, pk: int):
    std = get_object_or_404(LocalStandard, pk=pk)
    index = STAGE_ORDER.index(std.stage)
    next_stage = STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
    form = forms.AdvanceForm(stage=next_stage, initial={"to": next_stage, "on": timezone.localdate()}) \
        if next_stage else None
    if request.method == "POST" and next_stage:
        if not _manage(request):
            return render(request, "403.html", status=403)
        form = forms.AdvanceForm(request.POST, stage=next_stage)
        if form.is_valid():
            try:
                services.local_standard_advance(actor=request.user, standard=std, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已进入下一阶段")
                return redirect("standards:local", pk=std.pk)
    blocked = registers.withdrawn_message(std, what=services.local_named(std), doing="进入下一阶段") \
        if next_stage else None
    return render(request, "standards/local.html", {
        "std": std, "form": form, "can": _manage(request) and not blocked, "blocked": blocked,
        "next_label": Stage(next_stage).label if next_stage else "",
        "stages": [(Stage(s).label, i < index, i == index) for i, s in enumerate(STAGE_ORDER)]})
