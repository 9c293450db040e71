"""Sections other modules add to an entity's workbench page (its special equipment, its sampling results, …).

A module registers ``fn(request, entity) -> dict | None``; the dict names a ``template`` and carries its context
(rendered with it), and for the page's index (一户一档) a ``title``, the ``anchor`` (the id of its section) and a
``count``. A provider reads in a fixed number of queries (a bounded list, not every row). The entity has already passed the scope check; a provider returns None when the viewer has
nothing to see there (e.g. lacks the module's permission).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

PANELS: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in PANELS:
        PANELS.append(provider)
    return provider


@dataclass(frozen=True)
class Panel:
    html: str
    title: str = ""
    anchor: str = ""
    count: int | None = None

    def __str__(self) -> str:
        return self.html


def rendered(request, entity) -> list[Panel]:
    out = []
    for provider in PANELS:
        card = provider(request, entity)
        if card:
            out.append(Panel(render_to_string(card["template"], {**card, "entity": entity}, request),
                             card.get("title", ""), card.get("anchor", ""), card.get("count")))
    return out
