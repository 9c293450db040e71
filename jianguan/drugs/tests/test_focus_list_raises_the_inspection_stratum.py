"""Drug focus lists change who gets inspected: in a drug plan (a campaign, or a plan filtered on a drug licence kind)
the holders of a listed high-risk product are drawn in the stratum of rule drugs.focus_risk_class (default C, ratio
10 % instead of 3 %); outside drug plans, after the listing ends, or once the row is withdrawn, nothing changes."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core import registers
from jianguan.core.models import OrgUnit
from jianguan.credit.models import EntityRisk
from jianguan.drugs import services
from jianguan.drugs.registers import FOCUS
from jianguan.inspections import queries
from jianguan.inspections.tests import factories as insp

from .factories import pharmacy, supervisor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _strata(plan):
    pool = queries.build_pool(plan, TODAY, with_inspectors=False)
    return {name: {c["id"] for c in cands} for name, cands in pool.strata.items()}, pool


@pytest.fixture
def world(org):
    actor = supervisor()
    unit = OrgUnit.objects.get(code="41040201")
    firms = [pharmacy(unit=unit, established_on=dt.date(2019, 1, 1))[0] for _ in range(6)]
    EntityRisk.objects.bulk_create([EntityRisk(entity=e, risk_class="B", score=0) for e in firms])
    listed = services.focus_add(actor=actor, category="blood", product="人血白蛋白", approval_no="国药准字S20060001",
                                holder=firms[0], listed_on=TODAY - dt.timedelta(days=30))
    head = insp.head()
    return actor, head, firms, listed


def test_a_campaign_plan_draws_focus_holders_in_the_higher_stratum(world):
    actor, head, firms, _listed = world
    campaign = services.campaign_create(actor=actor, kind="narcotic", year=TODAY.year,
                                        unit=OrgUnit.objects.get(code="410402"))
    strata, pool = _strata(campaign.plan)
    assert strata["C"] == {firms[0].uscc}
    assert {f.uscc for f in firms[1:]} <= strata["B"] and firms[0].uscc not in strata["B"]
    assert pool.raised == 1
    # the raised holder is counted in C's quota: ceil(10 % × 1) = 1, where B's 3 % of 5 gives 1 of the other five
    assert campaign.plan.quota("C", pool.sizes["C"]) == 1


def test_a_plan_filtered_on_a_drug_licence_counts_too_and_a_general_plan_does_not(world):
    _actor, head, firms, _listed = world
    drug_plan = insp.plan(head, filter_licence_kinds=["drug_retail"])
    assert _strata(drug_plan)[0]["C"] == {firms[0].uscc}
    general = insp.plan(head)
    strata, pool = _strata(general)
    assert firms[0].uscc in strata["B"] and not strata["C"] and pool.raised == 0


def test_the_raise_ends_with_the_listing_and_with_a_withdrawal(world):
    actor, head, firms, listed = world
    plan = insp.plan(head, filter_licence_kinds=["drug_retail"])
    listed.until = TODAY - dt.timedelta(days=1)
    listed.save()
    assert not _strata(plan)[0]["C"]
    listed.until = None
    listed.save()
    registers.withdraw_row(FOCUS, actor=actor, row=listed, reason="重复登记")
    assert not _strata(plan)[0]["C"]


def test_an_entity_already_higher_is_not_lowered(world):
    _actor, head, firms, _listed = world
    EntityRisk.objects.filter(entity=firms[0]).update(risk_class="D")
    strata, pool = _strata(insp.plan(head, filter_licence_kinds=["drug_retail"]))
    assert firms[0].uscc in strata["D"] and pool.raised == 0


def test_the_frozen_manifest_carries_the_raise(world):
    _actor, head, firms, _listed = world
    from jianguan.inspections import services as inspections

    plan = insp.plan(head, filter_licence_kinds=["drug_retail"])
    manifest, _pool = inspections.build_manifest(plan, 1, insp.BEACON, TODAY)
    by_name = {s["name"]: s for s in manifest["strata"]}
    assert [c["id"] for c in by_name["C"]["candidates"]] == [firms[0].uscc] and by_name["C"]["quota"] == 1
