"""The IP officer's card on the workbench home: this year's campaign figures and what is waiting."""

from __future__ import annotations

from django.utils import timezone

from jianguan.core.rules import rule
from jianguan.core.scope import scope_filter
from jianguan.enforcement.models import OPEN_CASE_STATUSES, ClockPause, PauseReason

from . import selectors


def ip_card(request) -> list[dict]:
    user = request.user
    if not user.has_perm("ip.view_ip_statistics"):
        return []
    year = timezone.localdate().year
    open_ip = selectors.ip_cases_for(user).filter(status__in=OPEN_CASE_STATUSES)
    identifying = scope_filter(ClockPause.objects.filter(reason=PauseReason.IDENTIFICATION, ends_on__isnull=True,
                                                         case__case_type__in=rule("ip.case_types")),
                               user, "case__unit").count()
    return [{"template": "ip/_home_card.html", "year": year,
             "campaigns": selectors.campaign_statistics(user, year=year),
             "missing": open_ip.filter(ip_facts__isnull=True).count(), "identifying": identifying,
             "gi_users": selectors.gi_users_for(user).count()}]
