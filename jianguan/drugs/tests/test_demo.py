"""The demo step registers pharmacies and health entities as supervised objects, lists focus products, creates the
four campaigns as tagged plans and a year of routed reports; a second run adds nothing."""

import datetime as dt
import io

import pytest

from jianguan.core.tests.factories import staff
from jianguan.drugs.demo import demo_drugs
from jianguan.drugs.models import AdverseEvent, Campaign, FocusProduct, SupervisedObject
from jianguan.registry.models import Industry
from jianguan.registry.tests.factories import EntityFactory

from .factories import pharmacy

pytestmark = pytest.mark.django_db


def test_the_demo_builds_objects_focus_campaigns_and_reports_and_is_idempotent(org):
    staff("yp_supervisor", "410400YP", ["drug_supervisor", "inspector"], name="药品监管员")
    for _ in range(12):
        pharmacy()
    health = Industry.objects.filter(code="84").first() or Industry.objects.filter(parent_id="84").first()
    for _ in range(8):
        EntityFactory(industry=health)
    today = dt.date(2026, 12, 4)
    demo_drugs(today=today, stdout=io.StringIO())
    assert SupervisedObject.objects.filter(kind="pharmacy", licence__isnull=False).count() == 12
    assert SupervisedObject.objects.filter(kind__in=("hospital", "clinic")).count() == 8
    assert FocusProduct.objects.filter(category="child_cosmetic").count() == 10
    assert Campaign.objects.count() == 4 and all(c.plan.items.count() == 1 for c in Campaign.objects.all())
    events = AdverseEvent.objects.count()
    assert events == 180 and AdverseEvent.objects.filter(status="routed").exists()
    assert set(AdverseEvent.objects.values_list("unit__kind", flat=True)) <= {"district", "city"}
    demo_drugs(today=today, stdout=io.StringIO())
    assert AdverseEvent.objects.count() == events and Campaign.objects.count() == 4
