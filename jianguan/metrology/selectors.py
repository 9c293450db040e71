"""Scoped reads of metrology: instruments by the owner's supervising unit; due and overdue lists; a campaign's
progress (instruments of its kinds verified within its period)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jianguan.core.rules import rule
from jianguan.core.scope import get_in_scope_or_404, scope_filter

from .models import Campaign, Instrument

FIELDS = ("id", "serial", "kind", "location", "status", "next_due", "last_verified_on", "last_conclusion",
          "owner__name", "unit__short_name", "unit__name")


def instruments(user) -> QuerySet[Instrument]:
    return scope_filter(Instrument.objects.all(), user)


def instrument_for(user, pk: int) -> Instrument:
    return get_in_scope_or_404(Instrument.objects.select_related("owner", "unit"), user, pk=pk)


def due_filter(qs: QuerySet, which: str, today: dt.date) -> QuerySet:
    qs = qs.filter(status=Instrument.Status.IN_USE, next_due__isnull=False)
    if which == "overdue":
        return qs.filter(next_due__lt=today)
    if which == "soon":
        return qs.filter(next_due__gte=today,
                         next_due__lte=today + dt.timedelta(days=int(rule("metrology.due_soon_days", on=today))))
    return qs


def due_counts(user, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=int(rule("metrology.due_soon_days", on=today)))
    return instruments(user).filter(status=Instrument.Status.IN_USE, next_due__isnull=False).aggregate(
        overdue=Count("id", filter=Q(next_due__lt=today)), soon=Count("id", filter=Q(next_due__gte=today,
                                                                                     next_due__lte=soon)))


def campaign_progress(user, campaign: Campaign) -> dict:
    qs = instruments(user).filter(kind__in=campaign.kinds, status=Instrument.Status.IN_USE)
    return qs.aggregate(total=Count("id"), verified=Count("id", filter=Q(
        last_verified_on__gte=campaign.starts_on, last_verified_on__lte=campaign.ends_on)),
        failed=Count("id", filter=Q(last_conclusion="failed")),
        overdue=Count("id", filter=Q(next_due__lt=timezone.localdate())))
