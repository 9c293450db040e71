"""The drug supervisor's home card: reports waiting for review (and late), focus-list holders, objects."""

from __future__ import annotations

from . import selectors


def card(request) -> list[dict]:
    if not request.user.has_perm("drugs.view_supervisedobject"):
        return []
    return [{"template": "drugs/_home_card.html", "counts": selectors.home_counts(request.user)}]
