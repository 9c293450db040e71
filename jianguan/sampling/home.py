"""The quality supervisor's home card (unqualified rate by category) and the samples on an entity's page."""

from __future__ import annotations

from django.utils import timezone

from . import selectors
from .models import Sample


def card(request) -> list[dict]:
    user = request.user
    if not user.has_perm("sampling.view_plan"):
        return []
    year = timezone.localdate().year
    return [{"template": "sampling/_home_card.html", "year": year,
             "rows": selectors.unqualified_rate_by_category(user, year),
             "open": selectors.samples(user).filter(status=Sample.Status.UNQUALIFIED).count()}]


def entity_panel(request, entity) -> dict | None:
    if not request.user.has_perm("sampling.view_plan"):
        return None
    samples = list(selectors.samples(request.user).filter(entity=entity)
                   .order_by("-created_at")[:20])
    return {"template": "sampling/_entity_panel.html", "samples": samples, "title": "抽检", "anchor": "dossier-samples",
            "count": len(samples)}
