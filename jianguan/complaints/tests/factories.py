"""Factories for complaints tests: businesses (registry factories), handlers, and complaints made through the
real intake service."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from jianguan.complaints import services
from jianguan.complaints.models import Category, Channel, Kind
from jianguan.core.tests.factories import staff
from jianguan.registry.tests.factories import EntityFactory

RECEIVED = dt.date(2026, 3, 2)  # a Monday with no holidays around it


def business(unit: str = "41040201", **kwargs):
    """A registered business supervised by ``unit`` (default 新华区西高皇所)."""
    from jianguan.core.models import OrgUnit

    return EntityFactory(unit=OrgUnit.objects.get(code=unit), **kwargs)


def handler(username: str = "xh_handler", unit: str = "410402"):
    """A complaint handler (default: of the 新华区 bureau, whose scope covers its stations)."""
    return staff(username, unit, ["complaint_handler"], name=f"{username}承办人")


def complaint(*, kind: str = Kind.COMPLAINT, entity=None, received_on: dt.date = RECEIVED, **kwargs):
    """A complaint registered through ``services.complaint_submit``; returns (complaint, tracking code)."""
    defaults = {
        "actor": "public", "kind": kind, "channel": Channel.PORTAL, "description": "购买的酸奶已过保质期",
        "entity": entity, "entity_name": "" if entity else "平顶山市无名小卖部", "division_code": "" if entity else
        "410402", "person_name": "李消费", "person_phone": "13800000001", "category": Category.FOOD,
        "amount": Decimal("35.50"), "received_on": received_on, "demand": "退一赔十",
    }
    defaults.update(kwargs)
    c, code, _ = services.complaint_submit(**defaults)
    return c, code


def report(**kwargs):
    kwargs.setdefault("person_name", "王举报")
    kwargs.setdefault("person_phone", "13900000002")
    kwargs.setdefault("description", "店内销售假冒注册商标的白酒")
    kwargs.setdefault("category", Category.OTHER)
    return complaint(kind=Kind.REPORT, **kwargs)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
