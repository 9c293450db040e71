"""Factories for price tests: a price supervisor, an outlet, a goods from the reference list."""

from __future__ import annotations

from jianguan.core.tests.factories import staff
from jianguan.prices import services
from jianguan.prices.models import Goods
from jianguan.registry.tests.factories import EntityFactory


def supervisor(username: str = "jg_t", unit: str = "410400ZF"):
    return staff(username, unit, ["price_supervisor", "inspector"], name="价格监督检查员")


def outlet(*, actor, kind="supermarket", **entity):
    return services.outlet_register(actor=actor, entity=EntityFactory(**entity), kind=kind)


def goods(code="LS01") -> Goods:
    return Goods.objects.get(code=code)
