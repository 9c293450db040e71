"""The demo step builds a register with overdue, due and failed devices, and a second run adds nothing."""

import datetime as dt
import io

import pytest

from jianguan.enforcement.models import Lead
from jianguan.equipment.demo import demo_equipment
from jianguan.equipment.models import Campaign, Device, Inspection, RectificationOrder
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
    # 责令改正通知书: running, corrected by an inspection, past the deadline and handed to enforcement as leads
    orders = RectificationOrder.objects.all()
    assert {s: orders.filter(status=s).count() for s in ("open", "corrected", "escalated")} == {
        "open": 3, "corrected": 1, "escalated": 2}
    assert all(o.docx and o.pdf and o.due < o.issued_on for o in orders)
    escalated = orders.filter(status="escalated")
    leads = Lead.objects.filter(pk__in=escalated.values("lead_id"))
    assert leads.count() == 2 and all("第八十三条第（四）项" in lead.description for lead in leads)
    assert all(o.correct_by < today for o in escalated)
    demo_equipment(today=today, stdout=io.StringIO())
    assert Device.objects.count() == count and RectificationOrder.objects.count() == 6
