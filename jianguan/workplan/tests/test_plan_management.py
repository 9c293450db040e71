"""The office shapes the plan in the workbench: a new year's plan from last year's, then each task adjusted
(units, people, milestones, targets), audited; a milestone with reports cannot be deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.workplan import services
from jianguan.workplan.models import Milestone, Plan, Target

from .factories import dept_head, office, plan, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(org):
    p = plan(year=2026)
    task(p, "1.1", co=["410400XY"], milestones=[(dt.date(2026, 3, 31), "制定方案"), (dt.date(2026, 12, 20), "完成")],
         targets=[("抽查覆盖率", Target.Kind.PERCENT, "5", "inspections.coverage")])
    return p


def test_next_years_plan_copies_the_tree_with_dates_moved_and_nothing_reported(last_year):
    duban = office()
    new = services.plan_copy(actor=duban, source=last_year, year=2027, title="2027年重点工作计划", code="T-2027")
    t = new.tasks.get()
    assert (t.code, t.lead_unit.code, list(t.co_units.values_list("code", flat=True))) == ("1.1", "410400DJ",
                                                                                            ["410400XY"])
    assert list(t.milestones.values_list("due_on", flat=True)) == [dt.date(2027, 3, 31), dt.date(2027, 12, 20)]
    g = t.targets.get()
    assert (g.metric, g.goal, g.reported_value) == ("inspections.coverage", 5, None)
    assert new.status == Plan.Status.ACTIVE and t.progress == 0
    assert AuditEntry.objects.filter(action="workplan.plan.created", object_id=str(new.pk)).exists()


def test_a_taken_plan_code_is_refused_by_name(last_year):
    from jianguan.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        services.plan_copy(actor=office(), source=last_year, year=2027, title="x", code="T-2026")
    assert "T-2026" in exc.value.message


def test_office_moves_a_milestone_and_raises_a_target_through_the_form(login, last_year):
    duban = office()
    t = last_year.tasks.get()
    m1, m2 = t.milestones.order_by("seq")
    g = t.targets.get()
    url = reverse("workplan:task_edit", args=["T-2026", "1.1"])
    assert login(duban).get(url).status_code == 200
    data = {
        "title": t.title, "description": "", "lead_unit": OrgUnit.objects.get(code="410400XY").pk,
        "co_units": [], "lead_person": "", "leader": "", "due_on": "2026-12-20",
        "ms-TOTAL_FORMS": "3", "ms-INITIAL_FORMS": "2", "ms-MIN_NUM_FORMS": "0", "ms-MAX_NUM_FORMS": "1000",
        "ms-0-id": m1.pk, "ms-0-task": t.pk, "ms-0-title": m1.title, "ms-0-due_on": "2026-04-30",
        "ms-1-id": m2.pk, "ms-1-task": t.pk, "ms-1-title": m2.title, "ms-1-due_on": "2026-12-20",
        "ms-2-task": t.pk, "ms-2-title": "年中督查", "ms-2-due_on": "2026-07-15",
        "tg-TOTAL_FORMS": "1", "tg-INITIAL_FORMS": "1", "tg-MIN_NUM_FORMS": "0", "tg-MAX_NUM_FORMS": "1000",
        "tg-0-id": g.pk, "tg-0-task": t.pk, "tg-0-label": g.label, "tg-0-kind": "percent", "tg-0-direction": "ge",
        "tg-0-goal": "6", "tg-0-unit_label": "%", "tg-0-metric": "inspections.coverage",
    }
    resp = login(duban).post(url, data)
    assert resp.status_code == 302, (resp.context["form"].errors, resp.context["ms"].errors, resp.context["ts"].errors)
    t.refresh_from_db()
    assert t.lead_unit.code == "410400XY" and not t.co_units.exists()
    assert list(t.milestones.order_by("seq").values_list("title", "due_on")) == [
        ("制定方案", dt.date(2026, 4, 30)), ("完成", dt.date(2026, 12, 20)), ("年中督查", dt.date(2026, 7, 15))]
    assert Target.objects.get(pk=g.pk).goal == 6
    entry = AuditEntry.objects.get(action="workplan.task.updated")
    assert "lead_unit" in entry.changes and "co_units" in entry.changes


def test_a_milestone_with_reports_cannot_be_deleted(login, last_year):
    head = dept_head()
    t = last_year.tasks.get()
    m1 = t.milestones.get(seq=1)
    services.report_submit(actor=head, task=t, text="方案已制定", progress=20, milestone=m1)
    data = {
        "title": t.title, "description": "", "lead_unit": t.lead_unit_id, "co_units": [], "lead_person": "",
        "leader": "", "due_on": "2026-12-20",
        "ms-TOTAL_FORMS": "1", "ms-INITIAL_FORMS": "1", "ms-MIN_NUM_FORMS": "0", "ms-MAX_NUM_FORMS": "1000",
        "ms-0-id": m1.pk, "ms-0-task": t.pk, "ms-0-title": m1.title, "ms-0-due_on": "2026-03-31", "ms-0-DELETE": "on",
        "tg-TOTAL_FORMS": "0", "tg-INITIAL_FORMS": "0", "tg-MIN_NUM_FORMS": "0", "tg-MAX_NUM_FORMS": "1000",
    }
    resp = login(office()).post(reverse("workplan:task_edit", args=["T-2026", "1.1"]), data)
    assert resp.status_code == 422 and "已有进展报告" in resp.content.decode()
    assert Milestone.objects.filter(pk=m1.pk).exists()


def test_units_cannot_reshape_the_plan(login, last_year):
    assert login(dept_head()).get(reverse("workplan:task_edit", args=["T-2026", "1.1"])).status_code == 403
    assert login(dept_head()).get(reverse("workplan:plan_new")).status_code == 403
