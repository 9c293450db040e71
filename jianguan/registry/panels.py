"""Sections other modules add to an entity's workbench page (its special equipment, its sampling results, …).

A module registers ``fn(request, entity) -> dict | None``; the dict names a ``template`` and carries its context
(rendered with it). The entity has already passed the scope check; a provider returns None when the viewer has
nothing to see there (e.g. lacks the module's permission).
"""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string

PANELS: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in PANELS:
        PANELS.append(provider)
    return provider


def rendered(request, entity) -> list[str]:
    out = []
    for provider in PANELS:
        card = provider(request, entity)
        if card:
            out.append(render_to_string(card["template"], {**card, "entity": entity}, request))
    return out
