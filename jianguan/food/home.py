"""The food supervisor's home card: 三小 registrations valid, due for renewal, expired."""

from __future__ import annotations

from django.utils import timezone

from jianguan.core.rules import rule

from . import selectors
from .registers import VIEW


def card(request) -> list[dict]:
    if not request.user.has_perm(VIEW):
        return []
    today = timezone.localdate()
    window = int(rule("food.small_renewal_window_days", on=today))
    return [{"template": "food/_home_card.html", "window": window,
             "smalls": selectors.small_counts(request.user, today, window),
             "grades": selectors.grade_counts(request.user)
             if request.user.has_perm("food.view_gradinginspection") else None}]
