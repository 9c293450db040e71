"""The work plan's figure: the share of inspections due in a year that were done on time, in a scope."""

import datetime as dt

import pytest

from jianguan.core.scope import EVERYTHING, Scope
from jianguan.equipment import services
from jianguan.equipment.selectors import devices_inspected_on_time_rate

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def test_inspections_due_in_the_year_count_as_on_time_only_when_done_by_the_due_date(org):
    user = supervisor()
    on_time = lift(actor=user, commissioned_on=dt.date(2020, 1, 1))
    late = lift(actor=user, commissioned_on=dt.date(2020, 1, 1))
    for device, second in ((on_time, dt.date(2026, 2, 25)), (late, dt.date(2026, 4, 1))):
        services.inspection_record(actor=user, device=device, kind="periodic", inspected_on=dt.date(2025, 3, 1),
                                   body="检验所", conclusion="passed", today=TODAY)
        services.inspection_record(actor=user, device=device, kind="self_test", inspected_on=second, body="检验所",
                                   conclusion="passed", today=TODAY)
    figure = devices_inspected_on_time_rate(EVERYTHING, 2026)
    assert figure == {"due": 2, "on_time": 1, "rate": 0.5}
    assert devices_inspected_on_time_rate(Scope(False, frozenset({-1})), 2026)["due"] == 0
    assert devices_inspected_on_time_rate(None, 2019) == {"due": 0, "on_time": 0, "rate": None}


def test_the_work_plan_reads_the_figures_from_its_metric_registry(org):
    from jianguan.workplan import metrics

    user = supervisor()
    device = lift(actor=user, commissioned_on=dt.date(2020, 1, 1))
    services.inspection_record(actor=user, device=device, kind="periodic", inspected_on=dt.date(2025, 3, 1),
                               body="检验所", conclusion="passed", today=TODAY)
    ctx = metrics.Context(scope=EVERYTHING, year=2026, today=TODAY)
    assert metrics.get("equipment.overdue").fn(ctx).value == 1
    reading = metrics.get("equipment.inspected_on_time").fn(ctx)
    assert (reading.numerator, reading.denominator) == (0, 1)
