"""The lead's filing clock: 15 working days from discovery (start day not counted), +15 with approval, minus the
working days of testing/inspection/appraisal — on the real 2026 National Day calendar."""

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.enforcement import services
from jianguan.enforcement.models import LeadStatus

from .factories import lead


def test_filing_deadline_skips_national_day(district_officer):
    # 2026-09-28 (Mon); Oct 1–7 are holidays, Oct 10 (Sat) is an adjusted working day: the 15th working day is Oct 23.
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 9, 28))
    assert the_lead.filing_deadline == dt.date(2026, 10, 23)


def test_extension_adds_fifteen_working_days_once(district_officer, xh_head):
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 9, 28))
    services.lead_extend(actor=xh_head, lead=the_lead, reason="需调取平台交易数据", on=dt.date(2026, 10, 20))
    the_lead.refresh_from_db()
    assert the_lead.extended and the_lead.filing_deadline == dt.date(2026, 11, 13)
    with pytest.raises(TransitionNotAllowed, match="已经延长过一次"):
        services.lead_extend(actor=xh_head, lead=the_lead, reason="再延", on=dt.date(2026, 10, 21))


def test_extension_after_the_period_ran_out_is_refused(district_officer, xh_head):
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 9, 28))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.lead_extend(actor=xh_head, lead=the_lead, reason="补办", on=dt.date(2026, 10, 26))
    assert exc.value.code == "lead_clock_expired"


def test_testing_pause_excludes_its_working_days(district_officer):
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 3, 2))
    assert the_lead.filing_deadline == dt.date(2026, 3, 23)
    pause = services.pause_start(actor=district_officer, lead=the_lead, reason="testing", note="送检电线样品",
                                 starts_on=dt.date(2026, 3, 4))
    the_lead.refresh_from_db()
    assert the_lead.clock_paused
    # Report back on Mar 11 (Wed): 5 working days (Mar 5, 6, 9, 10, 11) do not count.
    services.pause_end(actor=district_officer, pause=pause, ends_on=dt.date(2026, 3, 11))
    the_lead.refresh_from_db()
    assert not the_lead.clock_paused
    assert the_lead.paused_workdays == 5
    assert the_lead.filing_deadline == dt.date(2026, 3, 30)


def test_a_running_pause_holds_the_deadline_and_the_sweep_moves_it(district_officer):
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 3, 2))
    services.pause_start(actor=district_officer, lead=the_lead, reason="appraisal", starts_on=dt.date(2026, 3, 20))
    services.sweep_clocks(today=dt.date(2026, 3, 27))  # 5 working days into the appraisal
    the_lead.refresh_from_db()
    assert the_lead.paused_workdays == 5 and the_lead.filing_deadline == dt.date(2026, 3, 30)
    assert not the_lead.overdue


def test_only_testing_kinds_pause_a_lead(district_officer):
    the_lead = lead(actor=district_officer)
    with pytest.raises(ValidationFailed):
        services.pause_start(actor=district_officer, lead=the_lead, reason="hearing", starts_on=dt.date(2026, 3, 4))


def test_two_pauses_cannot_run_at_once(district_officer):
    the_lead = lead(actor=district_officer)
    services.pause_start(actor=district_officer, lead=the_lead, reason="testing", starts_on=dt.date(2026, 3, 4))
    with pytest.raises(TransitionNotAllowed):
        services.pause_start(actor=district_officer, lead=the_lead, reason="inspection",
                             starts_on=dt.date(2026, 3, 5))


def test_lead_decline_and_no_second_decision(district_officer):
    the_lead = lead(actor=district_officer)
    services.lead_start_check(actor=district_officer, lead=the_lead)
    services.lead_decline(actor=district_officer, lead=the_lead, status=LeadStatus.NOT_FILED,
                          note="经核查，样品检验合格，违法事实不成立", on=dt.date(2026, 3, 10))
    the_lead.refresh_from_db()
    assert the_lead.status == LeadStatus.NOT_FILED and the_lead.decided_on == dt.date(2026, 3, 10)
    with pytest.raises(TransitionNotAllowed):
        services.lead_start_check(actor=district_officer, lead=the_lead)


def test_overdue_lead_is_flagged_by_the_sweep(district_officer):
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 3, 2))
    services.sweep_clocks(today=dt.date(2026, 3, 23))
    the_lead.refresh_from_db()
    assert not the_lead.overdue
    services.sweep_clocks(today=dt.date(2026, 3, 24))
    the_lead.refresh_from_db()
    assert the_lead.overdue
