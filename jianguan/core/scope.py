"""Data scope: which units' data a user may see. The one place that answers it.

- a station sees its own data;
- a district/county bureau sees its own and its stations';
- the city bureau and its departments see everything;
- a user without a unit sees nothing.

Selectors call ``scope_filter``; views use ``get_in_scope_or_404`` so that an object outside the scope is a 404,
never someone else's data and never a 403 that confirms it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from .models import OrgUnit


@dataclass(frozen=True)
class Scope:
    everything: bool
    unit_ids: frozenset[int]

    def allows_unit(self, unit_id: int | None) -> bool:
        return self.everything or (unit_id is not None and unit_id in self.unit_ids)


NOTHING = Scope(False, frozenset())
EVERYTHING = Scope(True, frozenset())


def scope_for(user) -> Scope:
    """The scope of ``user``, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    cached = getattr(user, "_jianguan_scope", None)
    if cached is not None:
        return cached
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    if profile is None:
        scope = NOTHING
    else:
        unit = profile.unit
        if unit.kind in (OrgUnit.Kind.CITY, OrgUnit.Kind.DEPARTMENT):
            scope = EVERYTHING
        elif unit.kind == OrgUnit.Kind.DISTRICT:
            ids = OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True)
            scope = Scope(False, frozenset(ids))
        else:
            scope = Scope(False, frozenset([unit.pk]))
    user._jianguan_scope = scope
    return scope


def scope_filter(qs: QuerySet, user, unit_field: str = "unit") -> QuerySet:
    """Restrict ``qs`` to rows whose ``unit_field`` is within the user's scope."""
    return restrict(qs, scope_for(user), unit_field)


def restrict(qs: QuerySet, scope: Scope, unit_field: str = "unit") -> QuerySet:
    """Restrict ``qs`` to rows whose ``unit_field`` is within ``scope`` (``scope_filter`` for a scope, not a user)."""
    if scope.everything:
        return qs
    if not scope.unit_ids:
        return qs.none()
    return qs.filter(**{f"{unit_field}__in": scope.unit_ids})


def get_in_scope_or_404(qs: QuerySet, user, unit_field: str = "unit", **lookup):
    try:
        return scope_filter(qs, user, unit_field).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None


def scoped_units(user) -> QuerySet:
    """The org units the user may see (for filters and pickers)."""
    scope = scope_for(user)
    qs = OrgUnit.objects.filter(is_active=True)
    if scope.everything:
        return qs
    return qs.filter(id__in=scope.unit_ids)
