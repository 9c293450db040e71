"""The object list: the plan's filters, minus entities set up too recently and those inspected for the same item
within the exclusion period."""

import datetime as dt

from django.utils import timezone

from jianguan.inspections import queries, services
from jianguan.registry.models import EntityKind, EntityStatus
from jianguan.registry.tests.factories import LicenceFactory

from . import factories


def _pool(plan):
    return {
        c["id"]
        for stratum in queries.build_pool(plan, timezone.localdate(), with_inspectors=False).strata.values()
        for c in stratum
    }


def test_young_closed_and_other_district_entities_are_not_in_the_pool(xh):
    young = factories.entities(1, established_on=timezone.localdate() - dt.timedelta(days=30))[0]
    closed = factories.entities(1, status=EntityStatus.DEREGISTERED)[0]
    elsewhere = factories.entities(1, unit="41040301")[0]
    pool = _pool(factories.plan(xh["head"]))
    assert {e.uscc for e in xh["entities"]} == pool
    assert not {young.uscc, closed.uscc, elsewhere.uscc} & pool


def test_entities_inspected_for_the_same_item_within_the_period_are_excluded(xh):
    shared = factories.item("SHARED")
    first = factories.plan(xh["head"], items=[shared], quota_overrides={"B": 2, "D": 0})
    drawn = factories.batch(xh["head"], first)
    inspected = set(drawn.tasks.values_list("entity__uscc", flat=True))
    assert len(inspected) == 2
    same_item = factories.plan(xh["head"], items=[shared])
    other_item = factories.plan(xh["head"], items=[factories.item("OTHER")])
    assert not inspected & _pool(same_item)
    assert inspected <= _pool(other_item)
    services.batch_redraw(actor=xh["head"], batch=drawn, reason="随机源公布有误", beacon="福利彩票3D 第321期")
    assert inspected <= _pool(same_item)  # voided tasks do not count


def test_filters_by_kind_and_licence(xh):
    shop = factories.entities(1, kind=EntityKind.INDIVIDUAL)[0]
    licensed = xh["entities"][0]
    LicenceFactory(entity=licensed)
    assert _pool(factories.plan(xh["head"], filter_kinds=[EntityKind.INDIVIDUAL])) == {shop.uscc}
    assert _pool(factories.plan(xh["head"], filter_licence_kinds=["food_business"])) == {licensed.uscc}
