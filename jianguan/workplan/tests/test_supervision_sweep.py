"""The daily sweep: reminders before a milestone's date, overdue flags and escalation to the unit head on the first
day late and to the leader after five working days (counted on the State Council's 2026 holiday notice: National
Day 1–7 October off, Saturday 10 October worked). Each notice is written once."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.notify import MemorySMSBackend
from jianguan.core.sweep import run
from jianguan.core.tests.factories import staff
from jianguan.workplan.models import Milestone, Notice, Task

from .factories import dept_head, plan, task

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 9, 30)  # a Wednesday, the day before the National Day holiday


@pytest.fixture
def late_task(org):
    p = plan()
    person = staff("dj_clerk_t", "410400DJ", ["registrar"], credential=False, name="登记员")
    head = dept_head()
    leader = staff("deputy_t", "410400", ["bureau_leader"], credential=False, name="副局长", phone="13900000009")
    head.profile.phone = "13900000008"
    head.profile.save()
    t = task(p, lead_person=person, leader=leader, milestones=[(DUE, "完成前三季度任务")])
    return t, person, head, leader


def kinds(user) -> set[str]:
    return set(Notice.objects.filter(recipient=user).values_list("kind", flat=True))


def sweep(day: dt.date):
    outcome = {o.job.name: o for o in run(today=day, only="workplan-supervision")}["workplan-supervision"]
    assert outcome.ok, outcome.error
    return outcome.counts


def test_reminder_comes_within_five_days_before_the_date_once(late_task):
    t, person, head, leader = late_task
    assert sweep(dt.date(2026, 9, 24))["reminders"] == 0  # six days before
    assert sweep(dt.date(2026, 9, 25))["reminders"] == 1
    assert sweep(dt.date(2026, 9, 26))["reminders"] == 0
    assert kinds(person) == {Notice.Kind.REMINDER}
    assert not kinds(head) and not kinds(leader)


def test_first_day_late_flags_the_milestone_and_tells_person_and_unit_head(late_task, settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox.clear()
    t, person, head, leader = late_task
    assert sweep(DUE)["overdue"] == 0  # the due day itself is not late
    counts = sweep(dt.date(2026, 10, 1))
    assert counts["overdue"] == 1 and counts["late_tasks"] == 1
    assert Milestone.objects.get(task=t).overdue and Task.objects.get(pk=t.pk).late
    assert Notice.Kind.OVERDUE in kinds(person) and Notice.Kind.TO_HEAD in kinds(head)
    assert Notice.Kind.TO_LEADER not in kinds(leader)


def test_leader_is_told_after_five_working_days_late(late_task, settings, django_capture_on_commit_callbacks):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox.clear()
    t, person, head, leader = late_task
    sweep(dt.date(2026, 10, 1))
    # working days after 30 Sept: 8, 9, 10 (Saturday worked), 12, 13 October — the fifth ends on the 13th
    assert sweep(dt.date(2026, 10, 13))["to_leader"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(dt.date(2026, 10, 14))["to_leader"] == 1
    assert Notice.Kind.TO_LEADER in kinds(leader)
    assert any(phone == "13900000009" and "提请督办" in msg for phone, msg in MemorySMSBackend.outbox)
    assert sweep(dt.date(2026, 10, 15))["to_leader"] == 0


def test_running_the_sweep_twice_on_one_day_changes_nothing(late_task):
    sweep(dt.date(2026, 10, 20))
    before = Notice.objects.count()
    counts = sweep(dt.date(2026, 10, 20))
    assert Notice.objects.count() == before
    assert counts["overdue"] == counts["late_tasks"] == counts["to_head"] == counts["to_leader"] == 0


def test_without_a_named_leader_the_bureau_leaders_are_told(org):
    p = plan()
    city_leader = staff("leader_t", "410400", ["bureau_leader"], credential=False)
    dept_head()
    task(p, milestones=[(DUE, "节点")])
    sweep(dt.date(2026, 10, 20))
    assert Notice.Kind.TO_LEADER in kinds(city_leader)


def test_a_milestone_done_in_time_is_never_flagged(late_task):
    t, person, head, leader = late_task
    Milestone.objects.filter(task=t).update(status=Milestone.Status.DONE, done_on=dt.date(2026, 9, 29))
    sweep(dt.date(2026, 10, 20))
    assert not Milestone.objects.get(task=t).overdue
    assert not Notice.objects.exclude(kind=Notice.Kind.REMINDER).exists()
