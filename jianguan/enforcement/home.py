"""The officer's card on the workbench home: own cases and leads with the nearest statutory deadlines."""

from __future__ import annotations

from django.utils import timezone

from . import selectors


def deadline_card(request) -> list[dict]:
    user = request.user
    if not user.has_perm("enforcement.view_case"):
        return []
    today = timezone.localdate()
    items = selectors.due_items(user, today=today)
    if not items:
        return []
    return [{"template": "enforcement/_home_card.html", "items": items, "today": today}]


def review_card(request) -> list[dict]:
    """The legal reviewer's card: how many cases await review in scope, the nearest review deadlines."""
    user = request.user
    if not user.has_perm("enforcement.review_case"):
        return []
    today = timezone.localdate()
    qs = selectors.review_queue(user)
    items = list(qs.order_by("due_on", "id")[:5])
    selectors.prepare_review_rows(items, today)
    total = len(items) if len(items) < 5 else qs.count()
    late = sum(1 for r in items if r.late) if total <= 5 else qs.filter(due_on__lt=today).count()
    return [{"template": "enforcement/_home_reviews.html", "items": items, "total": total, "late": late,
             "today": today}]
