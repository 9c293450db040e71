"""一户一档: the credit section of an entity's staff page — its risk class and the list entries (abnormal list,
serious list), two queries, linking the full credit record."""

from __future__ import annotations

from .models import EntityRisk, EntryStatus


def entity_panel(request, entity) -> dict | None:
    user = request.user
    if not (user.has_perm("credit.view_entityrisk") or user.has_perm("credit.view_listentry")):
        return None
    risk = EntityRisk.objects.filter(entity=entity).first() if user.has_perm("credit.view_entityrisk") else None
    entries = []
    if user.has_perm("credit.view_listentry"):
        entries = list(entity.list_entries.select_related("deciding_unit").order_by("-id")[:10])
    return {"template": "credit/_entity_panel.html", "title": "信用", "anchor": "dossier-credit",
            "count": sum(1 for e in entries if e.status == EntryStatus.ACTIVE), "risk": risk, "entries": entries,
            "can_open": user.has_perm("credit.view_entityrisk")}
