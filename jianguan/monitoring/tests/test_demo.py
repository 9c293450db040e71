import datetime as dt
import io

import pytest

from jianguan.core.audit import AuditEntry
from jianguan.monitoring.demo import demo_monitoring
from jianguan.monitoring.models import OnlineFinding, OnlineShop
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_shops_in_one_audit_entry_and_no_fake_captures(org, django_assert_max_num_queries):
    from jianguan.core.models import OrgUnit

    unit = OrgUnit.objects.get(code="41040201")
    EntityFactory.create_batch(12, unit=unit)
    with django_assert_max_num_queries(6):
        out = demo_monitoring(today=dt.date(2026, 3, 2), stdout=io.StringIO())
    assert out["shops"] == OnlineShop.objects.count() > 0
    assert OnlineShop.objects.filter(licence_displayed=False).exists()
    assert OnlineFinding.objects.count() == 0
    assert AuditEntry.objects.filter(action="monitoring.demo.shops_loaded").count() == 1
    assert demo_monitoring(today=dt.date(2026, 3, 2), stdout=io.StringIO()) == {"skipped": True}


def test_ads_demo_covers_every_medium_and_review_failures_in_one_audit_entry(org):
    from jianguan.core.models import OrgUnit
    from jianguan.monitoring.demo import demo_ads
    from jianguan.monitoring.models import Ad, AdApproval, Medium, Review

    EntityFactory.create_batch(8, unit=OrgUnit.objects.get(code="41040201"))
    out = demo_ads(today=dt.date(2026, 12, 5), stdout=io.StringIO())
    assert out["ads"] == Ad.objects.count() == 360 and out["approvals"] == AdApproval.objects.count() > 0
    assert set(Ad.objects.values_list("medium", flat=True)) == set(Medium.values)
    reviews = set(Ad.objects.values_list("review", flat=True))
    assert {Review.APPROVED, Review.MISSING, Review.EXPIRED, Review.NOT_REQUIRED} <= reviews
    assert not Ad.objects.filter(review=Review.MISSING, violation=False).exists()
    assert Ad.objects.filter(review=Review.APPROVED).exclude(approval=None).exists()
    assert AuditEntry.objects.filter(action="monitoring.demo.ads_loaded").count() == 1
    assert demo_ads(today=dt.date(2026, 12, 5), stdout=io.StringIO()) == {"skipped": True}
