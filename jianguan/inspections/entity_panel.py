"""一户一档: the inspections section of an entity's staff page — its double-random tasks the viewer may see (the
same rule as the task list: own teams, or the unit's tasks with the view permission), latest first, one query."""

from __future__ import annotations

from .queries import tasks_for

SHOWN = 10


def entity_panel(request, entity) -> dict | None:
    user = request.user
    if not user.has_perm("inspections.view_inspectiontask") and not user.has_perm("inspections.record_results"):
        return None
    tasks = list(tasks_for(user).filter(entity=entity).select_related("batch__plan")
                 .order_by("-id")[:SHOWN + 1])
    return {"template": "inspections/_entity_panel.html", "title": "检查", "anchor": "dossier-inspections",
            "count": len(tasks[:SHOWN]), "tasks": tasks[:SHOWN], "more": len(tasks) > SHOWN}
