"""Scoped reads of drug supervision: a user sees the objects, focus entries, campaigns and reports of units in scope."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

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
