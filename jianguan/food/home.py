"""The food supervisor's home card (三小 registrations, annual grades, 核查处置) and the food panel of the
entity page."""

from __future__ import annotations

from django.utils import timezone

from jianguan.core.rules import rule

from . import selectors
from .registers import VIEW


def card(request) -> list[dict]:
    """The food supervisor's first screen: grade a caterer (the daily work), then what waits — designations to
    review, 核查处置 running or late, 三小 registrations to renew."""
    if not request.user.has_perm(VIEW):
        return []
    user = request.user
    today = timezone.localdate()
    window = int(rule("food.small_renewal_window_days", on=today))
    return [{"template": "food/_home_card.html", "window": window, "can_grade": user.has_perm("food.grade_catering"),
             "designations": selectors.designation_counts(user) if user.has_perm("food.view_designation") else None,
             "smalls": selectors.small_counts(request.user, today, window),
             "grades": selectors.grade_counts(request.user)
             if request.user.has_perm("food.view_gradinginspection") else None,
             "disposals": selectors.disposal_counts(request.user, today)
             if request.user.has_perm("food.view_disposal") else None}]


PANEL_ROWS = 10


def entity_panel(request, entity) -> dict | None:
    """一户一档: the entity's food records — 三小 registrations, annual grade and latest grading inspections,
    designations — each a bounded list read by the module's scoped selector, one query each."""
    user = request.user
    if not any(user.has_perm(p) for p in (VIEW, "food.view_gradinginspection", "food.view_designation",
                                          "food.view_disposal")):
        return None
    from jianguan.core import registers

    smalls = (list(registers.live(selectors.smalls_for(user)).filter(entity=entity)[:PANEL_ROWS])
              if user.has_perm(VIEW) else [])
    gradings, annual = [], None
    if user.has_perm("food.view_gradinginspection"):
        # the annual grade comes joined to the gradings (an annual grade exists only with gradings)
        gradings = list(selectors.gradings_for(user).filter(entity=entity).select_related("entity__food_annual_grade")
                        .order_by("-inspected_on", "-id")[:PANEL_ROWS])
        annual = selectors.annual_of(gradings[0]) if gradings else None
    designations = (list(selectors.designations_for(user).filter(entity=entity)[:PANEL_ROWS])
                    if user.has_perm("food.view_designation") else [])
    disposals = (list(selectors.disposals_for(user).filter(entity=entity)[:PANEL_ROWS])
                 if user.has_perm("food.view_disposal") else [])
    count = len(smalls) + len(gradings) + len(designations) + len(disposals)
    if not count:
        return None
    return {"template": "food/_entity_panel.html", "title": "食品安全", "anchor": "dossier-food", "count": count,
            "smalls": smalls, "gradings": gradings, "annual": annual, "designations": designations,
            "disposals": disposals, "rows": PANEL_ROWS}
