"""Factories for drug tests: a drug supervisor, a pharmacy with its licence, a report received."""

from __future__ import annotations

import datetime as dt
import itertools

from jianguan.core.tests.factories import staff
from jianguan.drugs import services
from jianguan.registry.models import LicenceKind
from jianguan.registry.tests.factories import EntityFactory, LicenceFactory

_n = itertools.count(1)


def supervisor(username: str = "yp_t", unit: str = "410400YP"):
    return staff(username, unit, ["drug_supervisor", "inspector"], name="药品监管员")


def pharmacy(**entity):
    """An entity holding a valid drug retail licence (药品经营许可证（零售）)."""
    firm = EntityFactory(**entity)
    licence = LicenceFactory(entity=firm, kind=LicenceKind.objects.get(code="drug_retail"),
                             number=f"豫DB{37500000 + next(_n)}")
    return firm, licence


def event(*, actor, reporter=None, kind="drug", severity="serious", aware_on=dt.date(2026, 9, 22),
          received_on=dt.date(2026, 9, 24), **kw):
    return services.event_receive(actor=actor, kind=kind, severity=severity, product=kw.pop("product", "阿莫西林胶囊"),
                                  reporter=reporter or EntityFactory(), aware_on=aware_on, received_on=received_on,
                                  description=kw.pop("description", "口服后出现皮疹"), **kw)
