"""The bulk recomputation reads the category parameters only where the schedule needs them (pressure vessels'
safety grade, cylinders' kind) — and still gives every device the schedule a one-by-one record gives it."""

import datetime as dt

import pytest

from jianguan.equipment import services
from jianguan.equipment.models import Device

from .factories import lift, supervisor, vessel

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def test_grades_and_cylinder_kinds_give_the_same_schedule_in_bulk(org):
    user = supervisor()
    devices = [vessel(actor=user, grade=g, commissioned_on=dt.date(2018, 5, 1)) for g in ("1", "3", "5")]
    devices.append(lift(actor=user, commissioned_on=dt.date(2018, 5, 1)))
    for kind in ("lpg", "inert"):
        devices.append(services.device_register(
            actor=user, entity=devices[0].entity, code=f"2300410402{kind}01", category="2300",
            location="充装站", commissioned_on=dt.date(2020, 1, 1), params={"cylinder_kind": kind}, today=TODAY))
    for d in devices[:3]:
        services.inspection_record(actor=user, device=d, kind="periodic", inspected_on=dt.date(2024, 6, 1),
                                   body="检验所", conclusion="passed", today=TODAY)
    expected = dict(Device.objects.values_list("pk", "next_due"))
    assert len(set(expected.values())) >= 4  # the grades and kinds really give different dates
    Device.objects.update(next_due=None, apply_by=None, next_kind="", schedule_basis="")
    assert services.recompute_schedules(today=TODAY)["changed"] == len(devices)
    assert dict(Device.objects.values_list("pk", "next_due")) == expected
    assert services.recompute_schedules(today=TODAY)["changed"] == 0
