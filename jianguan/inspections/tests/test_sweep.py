"""The daily sweep publishes confirmed results, flags overdue tasks once, and is idempotent."""

import datetime as dt

from django.utils import timezone

from jianguan.core.models import AuditEntry
from jianguan.core.sweep import run
from jianguan.inspections import services
from jianguan.inspections.models import TaskStatus

from . import factories


def test_sweep_publishes_and_flags(xh):
    batch = factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 2, "D": 0}))
    done, late = batch.tasks.order_by("position")
    factories.conclude(done)
    batch.tasks.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    outcomes = {o.job.name: o for o in run(today=timezone.localdate(), only="inspections-results")}
    assert outcomes["inspections-results"].counts == {"published": 1, "overdue": 1, "deadlines_filled": 0}
    done.refresh_from_db()
    late.refresh_from_db()
    assert done.status == TaskStatus.PUBLISHED and late.overdue
    assert services.sweep(today=timezone.localdate()) == {"published": 0, "overdue": 0, "deadlines_filled": 0}
    assert AuditEntry.objects.filter(action="inspections.task.overdue").count() == 1


def test_deadlines_follow_the_working_day_rules(xh):
    plan = factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0})
    batch = services.batch_create(actor=xh["head"], plan=plan, beacon=factories.BEACON)
    batch = services.batch_freeze(actor=xh["head"], batch=batch)
    batch = services.batch_draw(actor=xh["head"], batch=batch, randomness="7", on=dt.date(2026, 9, 24))
    # 20 working days from 24 September 2026: 25–27 September and 1–7 October are holidays, 10 October is worked.
    assert batch.results_due_on == dt.date(2026, 10, 29)
    assert batch.tasks.get().due_on == dt.date(2026, 10, 29)
