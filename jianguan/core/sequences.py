"""Gap-free named counters: ``next_value("doc:410402:罚:2026")`` → 1, 2, 3, … inside the caller's transaction.

The row is locked for the rest of the transaction, so two concurrent callers get different values, and a rolled-back
transaction gives its value back (the next caller gets it) instead of leaving a hole in an official numbering.
"""

from __future__ import annotations

from django.db import transaction

from .models import Sequence


def next_value(key: str, start: int = 1) -> int:
    with transaction.atomic():
        Sequence.objects.get_or_create(key=key, defaults={"value": start - 1})
        row = Sequence.objects.select_for_update().get(key=key)
        row.value += 1
        row.save(update_fields=["value"])
        return row.value


def reserve_block(key: str, size: int, start: int = 1) -> int:
    """Reserve ``size`` consecutive values; returns the first. For bulk loaders."""
    with transaction.atomic():
        Sequence.objects.get_or_create(key=key, defaults={"value": start - 1})
        row = Sequence.objects.select_for_update().get(key=key)
        first = row.value + 1
        row.value += size
        row.save(update_fields=["value"])
        return first
