"""The nightly clock sweep flags overdue cases, leads, seizures and payments, and a second run changes nothing."""

import datetime as dt

from jianguan.core.sweep import JOBS, discover
from jianguan.enforcement import services
from jianguan.enforcement.models import Case

from .factories import filed_case


def test_overdue_case_flagged_once_and_cleared_when_extended(district_officer, officers, xh_head):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    first = services.sweep_clocks(today=dt.date(2026, 6, 4))
    assert first["cases_overdue"] == 1
    second = services.sweep_clocks(today=dt.date(2026, 6, 4))
    assert second["cases_overdue"] == 0 and second["cases_cleared"] == 0
    assert Case.objects.get(pk=case.pk).overdue
    # A recorded collective decision after extension gives time again; the flag clears.
    Case.objects.filter(pk=case.pk).update(extended=True)
    services.case_collective_extend(actor=xh_head, case=case, days=60, decision_no="集〔2026〕9号",
                                    on=dt.date(2026, 6, 4))
    assert services.sweep_clocks(today=dt.date(2026, 6, 5))["cases_cleared"] == 0
    assert not Case.objects.get(pk=case.pk).overdue


def test_running_pause_keeps_a_case_from_going_overdue(district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    services.pause_start(actor=district_officer, case=case, reason="suspension", starts_on=dt.date(2026, 5, 1),
                         note="当事人下落不明，案件中止")
    result = services.sweep_clocks(today=dt.date(2026, 6, 10))
    case.refresh_from_db()
    assert result["cases_reclocked"] == 1 and not case.overdue and case.clock_paused
    assert case.paused_days == 40 and case.decision_deadline == dt.date(2026, 7, 13)


def test_the_job_is_registered():
    discover()
    assert "enforcement-clocks" in JOBS and "enforcement-lead-deadlines" in JOBS
