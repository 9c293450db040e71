"""Factories for food tests: a food supervisor, a county clerk, a 三小 registration through the service."""

from __future__ import annotations

import datetime as dt
import itertools

from jianguan.core.models import OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.food import services

_serial = itertools.count(1)


def supervisor(username: str = "sp_t", unit: str = "410400SP"):
    """The city's food department: sees every county."""
    return staff(username, unit, ["food_supervisor", "inspector"], name="食品监管员")


def county_clerk(username: str = "sp_xinhua", unit: str = "410402"):
    return staff(username, unit, ["food_supervisor", "inspector"], name="新华区食品监管员")


def small(*, actor, kind="shop", county="410402", issued_on=dt.date(2026, 3, 2), **kw):
    n = next(_serial)
    data = {"kind": kind, "name": f"老王烩面馆{n}", "operator": "王某", "address": f"新华区中兴路 {n} 号",
            "category": "热食类食品制售", "county": OrgUnit.objects.get(code=county), "issued_on": issued_on}
    data.update(kw)
    return services.small_register(actor=actor, **data)
