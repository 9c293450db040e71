"""Reads of the registry that respect the user's scope. Views and the staff API use only these."""

from __future__ import annotations

from django.db.models import QuerySet

from jianguan.core.scope import get_in_scope_or_404, scope_filter

from .models import Entity, Licence


def entities_for(user) -> QuerySet[Entity]:
    """The entities ``user`` may see: those supervised by a unit in the user's scope."""
    return scope_filter(Entity.objects.all(), user, "unit")


def entity_for(user, uscc: str) -> Entity:
    """One entity by code, or 404 when it does not exist or lies outside the user's scope."""
    return get_in_scope_or_404(
        Entity.objects.select_related("unit", "unit__parent", "division", "industry", "registration_authority"),
        user, "unit", uscc=uscc.strip().upper())


def licences_for(user) -> QuerySet[Licence]:
    return scope_filter(Licence.objects.all(), user, "entity__unit")
