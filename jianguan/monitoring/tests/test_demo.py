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


def test_fees_demo_gives_the_campaign_report_figures(org):
    from decimal import Decimal

    from jianguan.monitoring import fees
    from jianguan.monitoring.demo import demo_fees
    from jianguan.monitoring.models import FeeCampaign, FeeFinding

    out = demo_fees(today=dt.date(2026, 12, 5), stdout=io.StringIO())
    campaign = FeeCampaign.objects.get()
    assert set(campaign.checks.values_list("kind", flat=True)) == set(fees.KINDS)
    for f in FeeFinding.objects.select_related("fee_check"):
        assert f.fee_check.checklist[f.item] == "problem" and f.refunded <= f.refund_ordered <= f.amount
        assert sum(r.amount for r in f.refunds.all()) == f.refunded
    assert out["findings"] == 7 and sum(f.refunded for f in FeeFinding.objects.all()) == Decimal("405400.00")
    handed = FeeFinding.objects.exclude(lead=None)  # the two charges nothing was refunded of
    assert out["leads"] == 2 and sorted(handed.values_list("item", flat=True)) == ["assoc_forced_join",
                                                                                   "util_connection"]
    assert all(f.lead.party_name == f.fee_check.body_name for f in handed.select_related("lead", "fee_check"))
    assert demo_fees(today=dt.date(2026, 12, 5), stdout=io.StringIO()) == {"skipped": True}


def test_counterfeit_demo_has_goods_seized_and_destroyed(org):
    from jianguan.monitoring.demo import demo_counterfeits
    from jianguan.monitoring.models import CounterfeitCampaign, SeizedGoods

    out = demo_counterfeits(today=dt.date(2026, 12, 5), stdout=io.StringIO())
    assert CounterfeitCampaign.objects.count() == 1 and out["goods"] == SeizedGoods.objects.count() == 4
    destroyed = SeizedGoods.objects.exclude(destroyed_on=None)
    assert destroyed.count() == 2 and all(g.destroyed_on > g.seized_on and g.witnesses for g in destroyed)
    assert demo_counterfeits(today=dt.date(2026, 12, 5), stdout=io.StringIO()) == {"skipped": True}


def test_rounds_demo_draws_a_verifiable_round(org):
    import json

    from jianguan.core.models import OrgUnit
    from jianguan.core.tests.factories import staff
    from jianguan.inspections import draw
    from jianguan.monitoring.demo import demo_rounds
    from jianguan.monitoring.models import MonitoringRound

    staff("online_monitor", "410400ZF", ["online_monitor"], credential=False)  # the demo login
    EntityFactory.create_batch(8, unit=OrgUnit.objects.get(code="41040201"))
    demo_monitoring(today=dt.date(2026, 12, 5), stdout=io.StringIO())
    assert demo_rounds(today=dt.date(2026, 12, 5), stdout=io.StringIO()) == {"rounds": 2}
    drawn = MonitoringRound.objects.get(method="draw")
    assert drawn.targets.count() == 5 and draw.verify(json.loads(drawn.bundle)) == []
    assert MonitoringRound.objects.get(method="plan").targets.filter(shop__licence_displayed=True).count() == 0
