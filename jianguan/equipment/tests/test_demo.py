"""The demo step builds a register with overdue, due and failed devices, and a second run adds nothing."""

import datetime as dt
import io

import pytest

from jianguan.equipment.demo import demo_equipment
from jianguan.equipment.models import Campaign, Device, Inspection
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_register_in_every_state_and_is_idempotent(org):
    for _ in range(20):
        EntityFactory()
    today = dt.date(2026, 12, 4)
    demo_equipment(today=today, stdout=io.StringIO())
    count = Device.objects.count()
    assert count > 3000 and Inspection.objects.count() > count
    assert Device.objects.filter(status="in_use", next_due__lt=today).count() > 100
    assert Device.objects.filter(last_conclusion="failed").exists()
    assert Device.objects.filter(status="stopped", next_due__isnull=True).exists()
    assert Campaign.objects.count() == 3
    demo_equipment(today=today, stdout=io.StringIO())
    assert Device.objects.count() == count
