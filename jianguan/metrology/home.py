from __future__ import annotations

from . import selectors


def card(request) -> list[dict]:
    if not request.user.has_perm("metrology.view_instrument"):
        return []
    return [{"template": "metrology/_home_card.html", "counts": selectors.due_counts(request.user)}]
