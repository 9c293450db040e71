"""一户一档: the enforcement section of an entity's staff page — its cases and open leads in the viewer's scope,
latest first, two queries."""

from __future__ import annotations

from .models import LeadStatus
from .selectors import cases_for, leads_for

SHOWN = 10


def entity_panel(request, entity) -> dict | None:
    user = request.user
    if not user.has_perm("enforcement.view_case"):
        return None
    cases = list(cases_for(user).filter(entity=entity).order_by("-filed_on", "-id")
                 .only("id", "number", "title", "status", "filed_on", "decision_deadline", "calendar_pending")
                 [:SHOWN + 1])
    leads = []
    if user.has_perm("enforcement.view_lead"):
        leads = list(leads_for(user).filter(entity=entity, status__in=(LeadStatus.NEW, LeadStatus.CHECKING))
                     .order_by("-id")[:5])
    return {"template": "enforcement/_entity_panel.html", "title": "执法", "anchor": "dossier-enforcement",
            "count": len(cases[:SHOWN]), "cases": cases[:SHOWN], "more": len(cases) > SHOWN, "leads": leads}
