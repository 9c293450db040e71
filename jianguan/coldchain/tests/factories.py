"""Factories for cold-chain tests: a batch registered through the service, and a supply chain of hand-overs."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from jianguan.coldchain import services
from jianguan.core.tests.factories import staff
from jianguan.registry.tests.factories import EntityFactory

_serial = itertools.count(1)
ENTERED = dt.date(2026, 11, 2)


def supervisor(username: str = "sp_t", unit: str = "410400SP"):
    return staff(username, unit, ["food_supervisor", "inspector"], name="食品监管员")


def batch(*, actor, importer=None, quantity="10000", **kw):
    n = next(_serial)
    data = {"tracing_code": f"CC2026{n:08d}", "product": "冷冻去骨牛肉", "origin_country": "巴西",
            "quantity": Decimal(quantity), "measure": "kg", "importer": importer or EntityFactory(),
            "customs_declaration": f"46012026{n:010d}", "quarantine_certificate": f"4100020261102{n:04d}",
            "nucleic_acid_report": f"HS20261102{n:04d}", "disinfection_certificate": f"XD20261102{n:04d}",
            "entered_on": ENTERED}
    data.update(kw)
    return services.batch_register(actor=actor, **data)


def hand_over(*, actor, batch, src, dst, quantity, on=ENTERED + dt.timedelta(days=1)):
    """Out of ``src`` and into ``dst``, each recorded by its holder."""
    services.movement_record(actor=actor, batch=batch, holder=src, direction="out", quantity=Decimal(quantity),
                             moved_on=on, counterparty=dst)
    services.movement_record(actor=actor, batch=batch, holder=dst, direction="in", quantity=Decimal(quantity),
                             moved_on=on, counterparty=src)
