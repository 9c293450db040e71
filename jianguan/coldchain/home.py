"""The food supervisor's home card: open and overdue trace tasks."""

from __future__ import annotations

from . import selectors


def card(request) -> list[dict]:
    if not request.user.has_perm("coldchain.view_batch"):
        return []
    return [{"template": "coldchain/_home_card.html", "counts": selectors.open_task_counts(request.user)}]
