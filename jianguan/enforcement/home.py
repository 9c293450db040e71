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
