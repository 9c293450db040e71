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


def test_the_demo_publishes_one_campaigns_results_for_the_portal_once(org, client):
    from jianguan.credit.models import EntityRisk
    from jianguan.drugs.demo import demo_drug_campaign_results
    from jianguan.inspections.models import TaskStatus
    from jianguan.inspections.tests import factories as insp

    staff("yp_supervisor", "410400YP", ["drug_supervisor", "inspector"], name="药品监管员")
    firms = [pharmacy(established_on=dt.date(2019, 1, 1))[0] for _ in range(12)]
    EntityRisk.objects.bulk_create([EntityRisk(entity=f, risk_class="B", score=0) for f in firms])
    insp.inspector("yp_demo_a", name="检查员甲")
    insp.inspector("yp_demo_b", name="检查员乙")
    from django.utils import timezone

    today = timezone.localdate()  # the draw is dated today: results cannot be earlier
    demo_drugs(today=today, stdout=io.StringIO())
    out = demo_drug_campaign_results(today=today, stdout=io.StringIO())
    campaign = Campaign.objects.get(kind="tcm")
    tasks = list(campaign.plan.batches.get().tasks.all())
    n = len(tasks)  # a few per risk class of the pool (the focus-list holders raised to C)
    assert n >= 3 and out["published"] == n and {t.status for t in tasks} == {TaskStatus.PUBLISHED}
    row = client.get("/drugs/campaigns/").context["page"].object_list[0]
    problems = len([p for p in (2, 5, 7) if p <= n])  # corrected on the spot, or to follow up
    assert (row.kind, row.inspected, row.with_problems) == ("tcm", n, problems)
    assert len(client.get("/drugs/", {"inspected": "1"}).context["rows"]) == n
    assert demo_drug_campaign_results(today=today, stdout=io.StringIO()) == {}  # a second run: nothing
