"""The demo step grades every caterer and issues 三小 registrations with the service's numbering, set-based; a
second run adds nothing. The work plan's figure counts the caterers graded this year in the scope."""

import datetime as dt
import io

import pytest

from jianguan.core.scope import scope_for
from jianguan.core.tests.factories import staff
from jianguan.food import services
from jianguan.food.demo import demo_food
from jianguan.food.models import AnnualGrade, GradingInspection, SmallRegistration
from jianguan.workplan import metrics

from .factories import small, supervisor
from .test_grading_checklist_score_grade_and_annual import ALL_YES, caterer

pytestmark = pytest.mark.django_db


def test_the_demo_grades_every_caterer_issues_smalls_and_is_idempotent(org):
    user = staff("sp_supervisor", "410400SP", ["food_supervisor", "inspector"], name="食品监管员")
    shops = [caterer(name=f"平顶山市某饭店{i}有限公司") for i in range(12)]
    today = dt.date(2026, 12, 4)
    demo_food(today=today, stdout=io.StringIO())
    assert set(GradingInspection.objects.values_list("entity_id", flat=True)) == {s.pk for s in shops}
    assert AnnualGrade.objects.count() == 12
    n, smalls = GradingInspection.objects.count(), SmallRegistration.objects.count()
    assert smalls == 1500 and len(set(SmallRegistration.objects.values_list("number", flat=True))) == 1500
    demo_food(today=today, stdout=io.StringIO())
    assert (GradingInspection.objects.count(), SmallRegistration.objects.count()) == (n, smalls)
    # the service's numbering continues after the demo's block, without a clash
    issued = small(actor=user, county="410402", issued_on=today)
    assert not SmallRegistration.objects.filter(number=issued.number).exclude(pk=issued.pk).exists()


def test_metric_counts_caterers_graded_this_year_in_scope(org):
    from jianguan.core.models import OrgUnit

    user = supervisor()
    a, b = caterer(), caterer(name="平顶山市乙饭店有限公司")
    caterer(name="卫东区丙饭店有限公司", unit=OrgUnit.objects.get(code="41040301"))
    services.grading_record(actor=user, entity=a, inspected_on=dt.date(2026, 3, 2), answers=ALL_YES)
    services.grading_record(actor=user, entity=b, inspected_on=dt.date(2025, 12, 30), answers=ALL_YES)
    city = metrics.Context(scope=scope_for(user), year=2026, today=dt.date(2026, 12, 4))
    from jianguan.food.metrics import catering_graded

    reading = catering_graded(city)
    assert (reading.numerator, reading.denominator) == (1, 3)
    xinhua = staff("sp_xh", "410402", ["food_supervisor"])
    reading = catering_graded(metrics.Context(scope=scope_for(xinhua), year=2026, today=dt.date(2026, 12, 4)))
    assert (reading.numerator, reading.denominator) == (1, 2)
