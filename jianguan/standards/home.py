"""The standards officer's card: this year's figures and the pilot milestones that are late."""

from __future__ import annotations

from django.utils import timezone

from . import selectors
from .models import LocalStandard, Milestone, Stage


def standards_card(request) -> list[dict]:
    if not request.user.has_perm("standards.view_enterprisestandard"):
        return []
    today = timezone.localdate()
    return [{"template": "standards/_home_card.html", "year": today.year,
             "led": selectors.standards_led(year=today.year), "leaders": selectors.leaders_designated(year=today.year),
             "drafting": LocalStandard.objects.exclude(stage=Stage.PUBLISHED).count(),
             "published": selectors.local_standards_published(year=today.year),
             "late": Milestone.objects.filter(done_on__isnull=True, due_on__lt=today).count()}]
