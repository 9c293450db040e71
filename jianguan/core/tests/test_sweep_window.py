"""The sweep's window (rule ``core.sweep_minutes``, #23): the work that can wait — a batch's texts, the stored public
records — comes last and runs only in what is left of the window, counted from the run's start; past it, it leaves
its work for ``jianguan sms send`` / ``jianguan publicrecords`` and the next day's run, and says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from jianguan.core import notify, sweep
from jianguan.core.models import RuleValue
from jianguan.portal import sweep as portal_sweep

DAY = dt.date(2026, 7, 2)

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_job_may_run_to_its_own_limit_or_the_end_of_the_window_whichever_comes_first(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(sweep.time, "monotonic", clock)
    monkeypatch.setattr(sweep, "JOBS", {})
    monkeypatch.setattr(sweep, "discover", lambda: None)
    seen = {}

    @sweep.job(10, "deciding")
    def deciding(*, today, stdout):
        clock.now += 4 * 60  # four minutes of decisions
        seen["after 4 min, own 5"] = sweep.budget(today, 5)
        clock.now += 5.5 * 60
        return {}

    @sweep.job(20, "texts")
    def texts(*, today, stdout):
        seen["after 9.5 min, own 5"] = sweep.budget(today, 5)
        seen["after 9.5 min, no own limit"] = sweep.budget(today, 0)
        clock.now += 60
        seen["after 10.5 min"] = sweep.budget(today, 5)
        return {}

    sweep.run(today=DAY, workers=1)
    margin = sweep.WINDOW_MARGIN  # kept back for the last chunk's overrun and the command's start
    assert seen == {"after 4 min, own 5": 300.0, "after 9.5 min, own 5": 30.0 - margin,
                    "after 9.5 min, no own limit": 30.0 - margin, "after 10.5 min": 0.0}
    RuleValue.objects.create(key="core.sweep_minutes", value=0, effective_from=dt.date(2020, 1, 1))
    assert sweep.budget(DAY, 5) == 300 and sweep.budget(DAY, 0) is None  # 0: no window


def test_past_the_window_the_texts_and_the_records_are_left_for_later(monkeypatch, settings, org):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    notify.MemorySMSBackend.outbox = []
    with transaction.atomic():
        notify.queue_sms([(f"139{i:08d}", f"第{i}条") for i in range(150)], source="credit")  # a batch
    closed = lambda today, minutes: 0.0  # noqa: E731
    monkeypatch.setattr(sweep, "budget", closed)
    monkeypatch.setattr(portal_sweep, "budget", closed)
    [texts] = sweep.run(today=DAY, only="sms-outbox")
    assert texts.counts == {"sent": 0, "failed": 0, "left_for_later": 1, "window_closed": 1}
    assert notify.MemorySMSBackend.outbox == [] and notify.queued() == 150
    [records] = sweep.run(today=DAY, only="public-records")
    assert records.counts == {"built": 0, "left_for_later": 1, "window_closed": 1}


def test_the_work_that_can_wait_comes_after_every_other_job():
    sweep.discover()
    order = [j.name for j in sweep.ordered()]
    assert order[-2:] == ["sms-outbox", "public-records"]


def test_the_aggregates_are_counted_once_those_of_the_risk_classes_after_the_risk_job(org):
    from jianguan.core.models import Aggregate

    outcomes = {o.job.name: o for o in sweep.run(today=DAY, workers=1)}
    early, late = outcomes["aggregates-refresh-early"].counts, outcomes["aggregates-refresh"].counts
    keys = set(Aggregate.objects.values_list("key", flat=True))
    assert "credit.risk_classes" in keys and late == {"aggregates": 1}  # only the classes were left to it
    assert early["aggregates"] + late["aggregates"] == len(keys)
    # alone (cron), the job counts every one
    assert sweep.run(today=DAY, only="aggregates-refresh")[0].counts == {"aggregates": len(keys)}
