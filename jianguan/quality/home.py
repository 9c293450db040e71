"""The quality officer's card: this year's visits, follow-ups waiting or overdue, accreditations about to lapse."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import selectors
from .models import VisitStatus


def quality_card(request) -> list[dict]:
    user = request.user
    show_visits, show_bodies = user.has_perm("quality.view_park"), user.has_perm("quality.view_certificationbody")
    if not (show_visits or show_bodies):
        return []
    today = timezone.localdate()
    card = {"template": "quality/_home_card.html", "show_visits": show_visits, "show_bodies": show_bodies}
    if show_visits:
        visits = selectors.visits_for(user)
        card["visited"] = visits.filter(visited_on__year=today.year).values("entity_id").distinct().count()
        card["pending"] = visits.filter(status=VisitStatus.VISITED).count()
        card["overdue"] = visits.filter(status=VisitStatus.VISITED, follow_up_due__lt=today).count()
    if show_bodies:
        card["expiring"] = selectors.institutions_for(user).filter(
            valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=90)).count()
    return [card]
