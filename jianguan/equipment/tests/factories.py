"""Factories for equipment tests: devices registered through the service (so their schedule is computed)."""

from __future__ import annotations

import datetime as dt
import itertools

from jianguan.core.tests.factories import staff
from jianguan.equipment import services
from jianguan.registry.tests.factories import EntityFactory

_serial = itertools.count(1)


def supervisor(username: str = "tz_t", unit: str = "410400TZ"):
    return staff(username, unit, ["equipment_supervisor", "inspector"], name="特种设备监察员")


def lift(*, actor, entity=None, commissioned_on=dt.date(2020, 3, 10), today=dt.date(2026, 12, 4), **kw):
    entity = entity or EntityFactory()
    n = next(_serial)
    data = {"code": f"31004104020{n:07d}", "category": "3100", "location": f"平顶山市新华区建设路{n}号1号楼1单元",
            "params": {"rated_load": 1000, "rated_speed": "1.75", "floors": 18}, "maintainer": "平顶山市安达电梯工程有限公司"}
    data.update(kw)
    return services.device_register(actor=actor, entity=entity, commissioned_on=commissioned_on, today=today, **data)


def vessel(*, actor, entity=None, commissioned_on=dt.date(2021, 5, 1), grade="2", today=dt.date(2026, 12, 4), **kw):
    entity = entity or EntityFactory()
    n = next(_serial)
    data = {"code": f"21004104020{n:07d}", "category": "2100", "location": f"平顶山市新华区工业路{n}号空压站",
            "params": {"design_pressure": "0.8", "volume": "2", "medium": "压缩空气", "safety_grade": grade}}
    data.update(kw)
    return services.device_register(actor=actor, entity=entity, commissioned_on=commissioned_on, today=today, **data)
