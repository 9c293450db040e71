"""The online-trading card on the workbench home."""

from __future__ import annotations

from django.utils import timezone

from . import selectors
from .models import CaptureStatus
from .registers import VIEW


def monitoring_card(request) -> list[dict]:
    user = request.user
    if not user.has_perm(VIEW):
        return []
    year = timezone.localdate().year
    findings = selectors.findings_for(user).filter(captured_at__year=year)
    shops = selectors.shops_for(user)
    return [{"template": "monitoring/_home_card.html", "year": year, "shops": shops.count(),
             "unlicensed": shops.filter(licence_displayed=False).count(),
             "captured": findings.filter(status=CaptureStatus.CAPTURED).count(),
             "waiting": findings.filter(status=CaptureStatus.CAPTURED, lead__isnull=True).count()}]
