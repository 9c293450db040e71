"""The equipment supervisor's home card and the device section of an entity's page."""

from __future__ import annotations

from django.utils import timezone

from jianguan.core.rules import rule

from . import selectors
from .models import Hazard


def due_card(request) -> list[dict]:
    user = request.user
    if not user.has_perm("equipment.view_device"):
        return []
    today = timezone.localdate()
    return [{"template": "equipment/_home_card.html", "counts": selectors.due_counts(user, today=today),
             "soon_days": rule("equipment.due_soon_days", on=today),
             "open_hazards": selectors.hazards(user).filter(status=Hazard.Status.OPEN).count()}]


def entity_panel(request, entity) -> dict | None:
    if not request.user.has_perm("equipment.view_device"):
        return None
    devices = selectors.entity_devices(request.user, entity)
    return {"template": "equipment/_entity_panel.html", "devices": devices, "title": "特种设备",
            "anchor": "dossier-devices", "count": len(devices), "today": timezone.localdate(), "can_view": True}
