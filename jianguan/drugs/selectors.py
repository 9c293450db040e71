"""Scoped reads of drug supervision: a user sees the objects, focus entries, campaigns and reports of units in scope."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.registers import live
from jianguan.core.scope import scope_filter

from .models import AdverseEvent, Campaign, EventStatus, FocusProduct, SupervisedObject


def objects_for(user):
    return scope_filter(SupervisedObject.objects.select_related("entity", "licence"), user)


def focus_for(user):
    return scope_filter(FocusProduct.objects.select_related("holder"), user)


def events_for(user):
    return scope_filter(AdverseEvent.objects.select_related("reporter", "unit"), user)


def event_for(user, pk: int) -> AdverseEvent:
    return get_object_or_404(events_for(user), pk=pk)


def _checklist_text(c) -> str:
    items = list(c.plan.items.all())
    return f"{len(items[0].checklist)} 项（{items[0].code}）" if items else ""


#: 药品专项检查: the latest year first.
CAMPAIGN_LIST = lists.Spec(
    key="drugs.campaigns", title="药品专项检查", default_sort="-year", default_note="最近年度的在前",
    export_permission="drugs.view_supervisedobject", page_size=30,
    columns=(
        lists.Column("year", "年度", sort=("year", "kind", "unit__path"), width=8),
        lists.Column("kind", "专项", "get_kind_display", sort="kind", width=20),
        lists.Column("unit", "组织单位", "unit.name", sort="unit__path", width=24),
        lists.Column("plan", "抽查计划", "plan.code", sort="plan__code", width=20),
        lists.Column("plan_status", "计划状态", "plan.get_status_display", sort="plan__status", width=10),
        lists.Column("batches", "抽取批次", sort="batches", width=10),
        lists.Column("checklist", "检查要点", _checklist_text, width=16),
    ))


def campaigns_for(user):
    return scope_filter(Campaign.objects.select_related("plan", "unit"), user).annotate(
        batches=Count("plan__batches", distinct=True))


def home_counts(user, today=None) -> dict:
    today = today or timezone.localdate()
    events = live(events_for(user)).filter(status=EventStatus.ROUTED).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(review_due__lt=today)))
    focus = live(focus_for(user)).filter(Q(until__isnull=True) | Q(until__gte=today), listed_on__lte=today)
    return {"objects": live(objects_for(user)).count(), "focus_holders": focus.values("holder").distinct().count(),
            **events}
