"""The metric registry: apps plug their figures in; readings come from the data, within a scope, cached with a
stated age, and recomputed when older than the rule allows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jianguan.complaints.models import Complaint
from jianguan.complaints.tests.factories import business, complaint
from jianguan.core.models import OrgUnit
from jianguan.core.scope import EVERYTHING, Scope
from jianguan.credit.tests.factories import report
from jianguan.workplan import metrics
from jianguan.workplan.models import MetricReading

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def ctx(scope=EVERYTHING, year=2026):
    return metrics.Context(scope, year, TODAY)


def district(code: str) -> Scope:
    return metrics.scope_of_unit(OrgUnit.objects.get(code=code))


def test_the_existing_apps_register_their_metrics():
    keys = set(metrics.registered())
    assert {"registry.new_entities", "startup.within_promise", "startup.average_hours", "credit.annual_report_rate",
            "inspections.coverage", "inspections.completion", "enforcement.decided_on_time",
            "enforcement.cases_filed", "complaints.accept_on_time", "complaints.money_recovered"} <= keys
    assert all(m.link is not None for m in metrics.registered().values())


def test_a_key_taken_by_another_function_is_refused():
    def first(c):
        return metrics.count(1)

    def second(c):
        return metrics.count(2)

    metrics.register("test.once", "测试", first)
    try:
        metrics.register("test.once", "测试", first)  # a re-import
        with pytest.raises(ValueError):
            metrics.register("test.once", "测试", second)
    finally:
        metrics.METRICS.pop("test.once")


def test_a_rate_with_nothing_due_has_no_value_not_zero():
    r = metrics.ratio(0, 0)
    assert r.value is None and r.note


def test_annual_report_rate_counts_the_previous_years_reports_within_scope(org):
    filed = business(established_on=dt.date(2020, 1, 1))
    business(established_on=dt.date(2020, 1, 1))  # due, not filed
    report(filed, 2025)
    business(unit="41040301", established_on=dt.date(2020, 1, 1))  # 卫东区: due, not filed
    assert metrics.compute("credit.annual_report_rate", ctx(district("410402"))).value == Decimal("50.00")
    city = metrics.compute("credit.annual_report_rate", ctx())
    assert (city.numerator, city.denominator) == (Decimal(1), Decimal(3))


def test_complaints_decided_within_seven_working_days_count_as_on_time(org):
    shop = business()
    c1, _ = complaint(entity=shop)  # received Monday 2 March 2026; due the 7th working day after: 11 March
    c2, _ = complaint(entity=shop, description="第二件投诉：空调维修收费不明")
    assert c1.accept_due == dt.date(2026, 3, 11)
    Complaint.objects.filter(pk=c1.pk).update(decided_on=dt.date(2026, 3, 11))
    Complaint.objects.filter(pk=c2.pk).update(decided_on=dt.date(2026, 3, 12))
    r = metrics.compute("complaints.accept_on_time", ctx())
    assert r.value == Decimal("50.00") and r.denominator == 2
    assert metrics.compute("complaints.accept_on_time", ctx(district("410403"))).value is None


def test_a_cached_reading_is_reused_until_it_is_older_than_the_rule(org):
    business(established_on=dt.date(2026, 5, 1))
    first = metrics.read("registry.new_entities", ctx())
    assert first.value == 1
    business(established_on=dt.date(2026, 6, 1))
    assert metrics.read("registry.new_entities", ctx()).value == 1  # cached
    assert metrics.read("registry.new_entities", ctx(), fresh=True).value == 2
    MetricReading.objects.update(value=7, computed_at=timezone.now() - dt.timedelta(minutes=16))
    assert metrics.read("registry.new_entities", ctx()).value == 2  # 15 minutes passed: recomputed


def test_readings_of_one_scope_are_not_served_to_another(org):
    business(established_on=dt.date(2026, 5, 1))
    assert metrics.read("registry.new_entities", ctx()).value == 1
    assert metrics.read("registry.new_entities", ctx(district("410403"))).value == 0
