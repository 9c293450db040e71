"""The handler's card on the workbench home: open complaints with the nearest deadlines."""

from __future__ import annotations

from django.utils import timezone

from . import selectors


def due_card(request) -> list[dict]:
    user = request.user
    if not user.has_perm("complaints.handle_complaint"):
        return []
    today = timezone.localdate()
    items = selectors.due_items(user, today=today)
    return [{"template": "complaints/_home_card.html", "items": items, "today": today}]
