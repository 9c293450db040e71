"""The credit demo step: a realistic mix on whatever entities exist, enterprise accounts, and idempotence."""

import datetime as dt
from io import StringIO

import pytest

from jianguan.core.models import PublicProfile
from jianguan.credit.demo import demo_credit
from jianguan.credit.models import AnnualReport, EntityRisk, ListEntry, RepairApplication
from jianguan.registry.models import EntityKind

from .factories import EntityFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def entities(org):
    return [EntityFactory(established_on=dt.date(2015 + i % 9, 1 + i % 12, 1),
                          kind=EntityKind.INDIVIDUAL if i % 7 == 0 else EntityKind.LLC) for i in range(260)]


def _state():
    return (AnnualReport.objects.count(), ListEntry.objects.count(), RepairApplication.objects.count(),
            PublicProfile.objects.count(), list(EntityRisk.objects.order_by("entity_id")
                                                .values_list("entity_id", "risk_class", "score")))


def test_the_demo_holds_a_realistic_mix(entities):
    out = StringIO()
    result = demo_credit(today=TODAY, stdout=out)
    assert AnnualReport.objects.filter(year=2024, late=False).count() > AnnualReport.objects.filter(year=2024,
                                                                                                    late=True).count() > 0
    assert ListEntry.objects.filter(list_kind="abnormal", status="active").exists()
    assert ListEntry.objects.filter(list_kind="abnormal", status="removed").exists()
    assert ListEntry.objects.filter(list_kind="serious", status="active").count() == 3
    assert ListEntry.objects.filter(list_kind="serious", status="proposed").count() == 2
    assert RepairApplication.objects.filter(status="pending").count() == 2
    assert EntityRisk.objects.count() == len(entities)
    assert set(EntityRisk.objects.values_list("risk_class", flat=True)) >= {"A", "D"}
    assert len(result["enterprise_logins"]) == 6
    assert "jianguan sweep --today 2026-07-01" in out.getvalue()


def test_running_it_again_changes_nothing(entities):
    demo_credit(today=TODAY, stdout=StringIO())
    first = _state()
    demo_credit(today=TODAY, stdout=StringIO())
    assert _state() == first


def test_the_officer_replays_july_and_sees_the_lists_grow(entities):
    from jianguan.core.sweep import run

    demo_credit(today=TODAY, stdout=StringIO())
    listed_before = ListEntry.objects.filter(report_year=2025).count()
    outcomes = run(today=dt.date(2026, 7, 1))
    assert all(o.ok for o in outcomes)
    assert listed_before == 0 and ListEntry.objects.filter(report_year=2025).count() > 0


def test_without_entities_the_step_does_nothing(org):
    out = StringIO()
    assert demo_credit(today=TODAY, stdout=out) == {}
    assert "跳过" in out.getvalue()
