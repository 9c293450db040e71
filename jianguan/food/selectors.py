"""Scoped reads of food safety supervision: a user sees the rows of the units in scope (a county bureau its own
registrations, the city's food department every county's)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from jianguan.core import registers
from jianguan.core.scope import scope_filter

from .models import SmallRegistration, SmallStatus


def smalls_for(user):
    return scope_filter(SmallRegistration.objects.select_related("county", "entity"), user)


def small_for(user, pk: int) -> SmallRegistration:
    return get_object_or_404(registers.live(smalls_for(user)), pk=pk)


def small_counts(user, today: dt.date, window_days: int) -> dict:
    """Valid registrations, those expiring within ``window_days`` (renewal due) and expired ones, in one query."""
    soon = today + dt.timedelta(days=window_days)
    return registers.live(smalls_for(user)).aggregate(
        valid=Count("id", filter=Q(status=SmallStatus.VALID)),
        expiring=Count("id", filter=Q(status=SmallStatus.VALID, valid_until__lte=soon)),
        expired=Count("id", filter=Q(status=SmallStatus.EXPIRED)))


def public_smalls():
    """Registrations shown on the portal: valid ones, without the operator's name."""
    return registers.live(SmallRegistration.objects.filter(status=SmallStatus.VALID)).select_related("county")
