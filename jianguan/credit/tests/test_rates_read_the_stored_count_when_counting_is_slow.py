"""The filing rates and the risk distribution per unit (#23): counted for each view while that is quick — exact, as a
city needs — and, once counting the whole register is slow (15 s at 10,000,000 entities), read from the count the
daily sweep stored, filtered to the reader's scope and labelled with when it was counted.

"Slow" is the rule ``core.aggregate_live_ms``; these tests set it to 0 ms to stand for a province's register."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jianguan.core import aggregates, sweep
from jianguan.core.models import Aggregate, RuleValue
from jianguan.credit import risk

from .factories import EntityFactory, credit_officer, report

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 8, 3)  # the 2025 reports could be filed until 30 June 2026


@pytest.fixture
def register(org):
    xh = [EntityFactory(established_on=dt.date(2018, 1, 1)) for _ in range(3)]
    wd = [EntityFactory(unit=org["41040301"], established_on=dt.date(2018, 1, 1)) for _ in range(2)]
    report(xh[0], 2025)
    report(wd[0], 2025, late=True)
    risk.recompute(on=TODAY)
    return {"xh": xh, "wd": wd}


def slow_world():
    """Every count counts as slow: the pages read stored counts (a province's register)."""
    RuleValue.objects.create(key="core.aggregate_live_ms", value=0, effective_from=dt.date(2000, 1, 1))


def rates(client, year=2025) -> dict:
    response = client.get(reverse("credit:reports"), {"year": year})
    assert response.status_code == 200
    rows = {r["unit"].code: (r["required"], r["filed"], r["late"]) for r in response.context["rows"]}
    return {"rows": rows, "counted_at": response.context["counted_at"], "html": response.content.decode()}


def test_at_a_citys_size_every_view_counts_now_and_stores_nothing(register, login):
    city = login(credit_officer("credit_city", "410400"))
    first = rates(city)
    assert first["rows"] == {"410402": (3, 1, 0), "410403": (2, 1, 1)}
    assert first["counted_at"] is None and 'data-testid="counted-at"' not in first["html"]
    report(register["xh"][1], 2025)  # filed a moment later: the next view shows it
    assert rates(city)["rows"]["410402"] == (3, 2, 0)
    assert not Aggregate.objects.exists()
    # the daily refresh stores its count, but a quick one is not what readers are given
    sweep.run(today=TODAY, only="aggregates-refresh")
    assert Aggregate.objects.filter(key="credit.filing:2025").exists()
    report(register["xh"][2], 2025)
    assert rates(city)["rows"]["410402"] == (3, 3, 0)


def test_once_counting_is_slow_readers_get_the_sweeps_count_labelled_with_its_time(register, login):
    slow_world()
    [outcome] = sweep.run(today=TODAY, only="aggregates-refresh")
    # two report years and the risk distribution, and the dashboard's (active entities, new per month, caterers graded
    # and under 明厨亮灶)
    assert outcome.ok and outcome.counts["aggregates"] == 7
    stored = Aggregate.objects.get(key="credit.filing:2025")
    report(register["xh"][1], 2025)  # after the count: not in the figures until the next refresh

    city = login(credit_officer("credit_city", "410400"))
    seen = rates(city)
    assert seen["rows"] == {"410402": (3, 1, 0), "410403": (2, 1, 1)}
    assert seen["counted_at"] == stored.computed_at
    assert 'data-testid="counted-at"' in seen["html"] and "统计于" in seen["html"]
    assert "下方名单为实时数据" in seen["html"]

    # the next refresh brings the new filing in
    sweep.run(today=TODAY, only="aggregates-refresh")
    assert rates(city)["rows"]["410402"] == (3, 2, 0)

    # a district reader gets the same stored count, cut to its own units — never another district's
    district = login(credit_officer("credit_xh2", "410402"))
    seen = rates(district)
    assert seen["rows"] == {"41040201": (3, 2, 0)} and seen["counted_at"] is not None


def test_a_stored_count_past_its_age_is_counted_again_and_stored(register, login):
    slow_world()
    sweep.run(today=TODAY, only="aggregates-refresh")
    Aggregate.objects.filter(key="credit.filing:2025").update(computed_at=timezone.now() - dt.timedelta(hours=27))
    report(register["xh"][1], 2025)
    city = login(credit_officer("credit_city", "410400"))
    seen = rates(city)
    assert seen["rows"]["410402"] == (3, 2, 0) and seen["counted_at"] is None
    # a slow city-wide count made by a reader is kept for the next one
    assert Aggregate.objects.get(key="credit.filing:2025").computed_at > timezone.now() - dt.timedelta(minutes=1)
    assert rates(city)["counted_at"] is not None


def test_a_year_the_sweep_did_not_count_is_counted_for_the_reader(register, login):
    slow_world()
    sweep.run(today=TODAY, only="aggregates-refresh")
    district = login(credit_officer("credit_xh2", "410402"))
    seen = rates(district, year=2022)  # not among the refreshed years: counted now, for the district only
    assert seen["counted_at"] is None
    assert not Aggregate.objects.filter(key="credit.filing:2022").exists()  # a district's count is not the city's


def test_the_risk_distribution_and_its_home_card_read_the_stored_count_until_a_full_reclassification(register,
                                                                                                   login):
    slow_world()
    sweep.run(today=TODAY, only="aggregates-refresh")
    city = login(credit_officer("credit_city", "410400"))
    page = city.get(reverse("credit:home"))
    assert page.context["counted_at"] is not None and page.context["total"] == 5
    assert "统计于" in city.get(reverse("core:home")).content.decode()
    # a full reclassification that changes classes drops the stored distribution: the next view counts again
    EntityFactory(established_on=dt.date(2018, 1, 1))
    risk.recompute(on=TODAY)
    assert not Aggregate.objects.filter(key="credit.risk_classes").exists()
    page = city.get(reverse("credit:home"))
    assert page.context["total"] == 6


def test_the_registry_of_aggregates_names_its_variants():
    assert aggregates.key("credit.filing", (2025,)) == "credit.filing:2025"
    variants = aggregates.REGISTRY["credit.filing"].variants(TODAY)
    assert variants == [(2025,), (2024,)]
