"""The registry's cards on the workbench home page.

The home page includes each card's ``template`` with the card dict as context; providers return [] when the user
may not see the card, so the home page never asks about permissions itself.
"""

from __future__ import annotations

from django.utils import timezone

from jianguan.core import lists
from jianguan.core.rules import rule

from . import selectors

PREVIEW = 5


def home_cards(request) -> list[dict]:
    """The expiring-permits card: how many valid permits in scope expire within the rule's days, how many are
    overdue, and the first few. Three queries, whatever the size of the registry; each count exact up to
    ``lists.EXACT_COUNT_UP_TO`` and past it the planner's estimate (约: a province has millions of permits)."""
    user = request.user
    if not user.has_perm("registry.view_licence"):
        return []
    today = timezone.localdate()
    days = int(rule("registry.licence_expiry_warning_days", on=today))
    qs = selectors.licences_expiring(user, on=today, within_days=days)
    overdue, overdue_approximate = lists.capped_count(qs.filter(valid_until__lt=today))
    total, total_approximate = lists.capped_count(qs)
    preview = [{"licence": lic, "days_left": (lic.valid_until - today).days} for lic in qs[:PREVIEW]]
    return [
        {
            "template": "registry/home_expiring.html",
            "expiring_days": days,
            "expiring_total": total,
            "expiring_total_approximate": total_approximate,
            "expiring_total_text": lists.count_text(total, total_approximate),
            "expiring_overdue": overdue,
            "expiring_overdue_approximate": overdue_approximate,
            "expiring_overdue_text": lists.count_text(overdue, overdue_approximate),
            "expiring_preview": preview,
        }
    ]
