"""The demo loads the seed article's 2022 plan line by line and a plan of the current year in the same shape."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.demo import demo_core
from jianguan.workplan import metrics
from jianguan.workplan.demo import demo_workplan
from jianguan.workplan.models import Plan, ProgressReport, Target, Task

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def loaded(db):
    demo_core(today=TODAY, stdout=None)
    demo_workplan(today=TODAY, stdout=None)


def test_the_2022_plan_has_every_line_of_the_article_with_unit_and_target(loaded):
    plan = Plan.objects.get(code="PDS-2022")
    assert plan.status == Plan.Status.CLOSED
    assert list(plan.areas.values_list("title", flat=True)) == [
        "打造一流营商环境", "深化两项重点改革", "开展三大行动", "加强四项建设", "抓好五项监管"]
    tasks = list(plan.tasks.prefetch_related("targets"))
    assert len(tasks) == 24
    assert all(t.lead_unit_id and t.targets.all() for t in tasks)
    four = " ".join(plan.tasks.filter(area__seq=4).values_list("description", flat=True))
    for construction in ("加强党的建设", "加强队伍建设", "加强作风建设", "加强廉政建设"):
        assert construction in four
    five = plan.tasks.filter(area__seq=5).values_list("lead_unit__code", flat=True)
    assert set(five) == {"410400SP", "410400YP", "410400TZ", "410400ZL", "410400ZF"}
    assert all(t.status == Task.Status.DONE for t in tasks)


def test_the_current_plan_has_real_progress_late_tasks_and_reports_for_the_office(loaded):
    plan = Plan.objects.get(code="PDS-2026")
    assert plan.status == Plan.Status.ACTIVE and plan.tasks.count() == 24
    assert set(plan.tasks.filter(late=True).values_list("code", flat=True)) == {"1.3", "3.3", "5.2"}
    statuses = set(ProgressReport.objects.filter(task__plan=plan).values_list("status", flat=True))
    assert statuses == {"accepted", "submitted", "returned"}
    live = set(Target.objects.filter(task__plan=plan).exclude(metric="").values_list("metric", flat=True))
    assert live and live <= set(metrics.registered())
    assert plan.tasks.get(code="2.2").co_units.filter(kind="district").count() == 10


def test_loading_the_demo_twice_adds_nothing(loaded):
    before = (Plan.objects.count(), Task.objects.count(), ProgressReport.objects.count())
    assert demo_workplan(today=TODAY, stdout=None) == {}
    assert (Plan.objects.count(), Task.objects.count(), ProgressReport.objects.count()) == before
