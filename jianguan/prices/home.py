"""The price monitor's home card: alerts still open, this year's alerts, outlets that reported today."""

from __future__ import annotations

from . import selectors


def card(request) -> list[dict]:
    if not request.user.has_perm("prices.view_outlet"):
        return []
    return [{"template": "prices/_home_card.html", "counts": selectors.home_counts(request.user)}]
