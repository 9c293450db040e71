"""The workbench home card: this person's unread supervision notices and, for the office, reports to review."""

from __future__ import annotations

from . import selectors


def notices_card(request) -> list[dict]:
    user = request.user
    notices = list(selectors.notices_for(user, unread_only=True)[:6])
    waiting = selectors.review_queue(user).count() if user.has_perm("workplan.review_report") else 0
    if not notices and not waiting:
        return []
    return [{"template": "workplan/_home_card.html", "notices": notices, "waiting": waiting}]
