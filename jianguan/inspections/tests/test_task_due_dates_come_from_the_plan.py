"""Every drawn task has a due date: the plan's 检查完成期限, or the working-day rule — provisional (marked 暂定) while
the year's holidays are not entered, and recomputed by the sweep once they are."""

import datetime as dt

from django.utils import timezone

from jianguan.core import calendar
from jianguan.core.models import CalendarYear, WorkdayOverride
from jianguan.inspections import services
from jianguan.inspections.models import DrawBatch

from . import factories


def _drawn(head, plan, on):
    batch = services.batch_create(actor=head, plan=plan, beacon=factories.BEACON)
    batch = services.batch_freeze(actor=head, batch=batch)
    batch = services.batch_draw(actor=head, batch=batch, randomness="7", on=on)
    # Drawn on that day (the sweep counts from the draw's own date).
    DrawBatch.objects.filter(pk=batch.pk).update(
        drawn_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))))
    return batch


def test_tasks_are_due_on_the_plans_completion_date(xh):
    plan = factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0}, complete_by=dt.date(2027, 3, 31))
    batch = _drawn(xh["head"], plan, dt.date(2026, 12, 18))
    task = batch.tasks.get()
    assert (task.due_on, task.due_provisional) == (dt.date(2027, 3, 31), False)


def test_due_date_in_an_unknown_year_is_provisional_then_recomputed(xh):
    plan = factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0})
    # 20 working days from Friday 2026-12-18: 21–25 and 28–31 December (9), then 2027 with no holiday assumed:
    # 1 January (10), 4–8 (15), 11–15 January (20).
    batch = _drawn(xh["head"], plan, dt.date(2026, 12, 18))
    task = batch.tasks.get()
    assert (task.due_on, task.due_provisional) == (dt.date(2027, 1, 15), True)
    assert services.sweep(today=dt.date(2026, 12, 19))["deadlines_filled"] == 0  # nothing known yet
    # The administrator enters 2027: 1 January is the New Year holiday. The 20th working day moves to the 18th.
    WorkdayOverride.objects.create(date=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    CalendarYear.objects.create(year=2027, note="国务院办公厅关于2027年部分节假日安排的通知")
    calendar.invalidate()
    assert services.sweep(today=dt.date(2026, 12, 19))["deadlines_filled"] == 1
    task.refresh_from_db()
    assert (task.due_on, task.due_provisional) == (dt.date(2027, 1, 18), False)
