"""Cards on the workbench home page. Apps register providers: ``register(fn)`` with
``fn(request) -> list[dict]``, each dict naming a ``template`` and carrying its context (e.g. expiring permits,
overdue cases). A provider returns [] when the user has nothing to see there.

Each card template is rendered with its own dict as the context and is one grid column
(``<div class="col-md-6 col-xl-4">…</div>``) of the home page's row.
"""

from __future__ import annotations

from collections.abc import Callable

PROVIDERS: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def cards_for(request) -> list[dict]:
    cards = []
    for provider in PROVIDERS:
        cards.extend(provider(request) or [])
    return cards


def rendered_cards(request) -> list[str]:
    from django.template.loader import render_to_string

    return [render_to_string(card["template"], card, request) for card in cards_for(request)]
