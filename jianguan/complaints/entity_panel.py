"""一户一档: the complaints section of an entity's staff page — complaints and reports about it handled in the
viewer's scope, latest first, one query. The complainant is not shown here (personal data stays on the
complaint's own page, behind its identity check)."""

from __future__ import annotations

from .selectors import complaints_for

SHOWN = 10


def entity_panel(request, entity) -> dict | None:
    if not request.user.has_perm("complaints.view_complaint"):
        return None
    rows = list(complaints_for(request.user).filter(entity=entity).order_by("-received_on", "-id")
                .only("id", "number", "kind", "status", "category", "received_on")[:SHOWN + 1])
    return {"template": "complaints/_entity_panel.html", "title": "投诉举报", "anchor": "dossier-complaints",
            "count": len(rows[:SHOWN]), "complaints": rows[:SHOWN], "more": len(rows) > SHOWN}
