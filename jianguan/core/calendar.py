"""Connects the admin-editable calendar tables to ``core.workdays``.

The overrides are read once and cached in-process; saving or deleting a row clears the cache (and bumps a
version in the shared cache so other processes reload too).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import workdays
from .models import CalendarYear, WorkdayOverride

_VERSION_KEY = "jianguan:calendar:version"
_cached: tuple[int, workdays.Overrides] | None = None


def _load() -> workdays.Overrides:
    global _cached
    version = cache.get(_VERSION_KEY, 0)
    if _cached is not None and _cached[0] == version:
        return _cached[1]
    days = dict(WorkdayOverride.objects.values_list("date", "is_workday"))
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    overrides = workdays.Overrides(days=days, years=years)
    _cached = (version, overrides)
    return overrides


def invalidate() -> None:
    global _cached
    _cached = None
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


@receiver([post_save, post_delete], sender=WorkdayOverride)
@receiver([post_save, post_delete], sender=CalendarYear)
def _calendar_changed(**kwargs) -> None:
    invalidate()


workdays.set_override_loader(_load)
