"""The decision clock: 90 days from filing (+30 approved, + a collective decision's days), minus pauses; a period
ending on a rest day ends on the next working day — on the real 2026 calendar."""

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed
from jianguan.enforcement import services

from .factories import filed_case, lead


def test_ninety_days_ending_in_national_day_roll_to_the_next_working_day(district_officer, officers):
    # 2026-07-03 + 90 days = Oct 1 (holiday until Oct 7): the period ends Oct 8.
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 6, 29))
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 7, 3), the_lead=the_lead)
    assert case.decision_deadline == dt.date(2026, 10, 8)
    assert case.number.endswith("〔2026〕1号") and case.year == 2026 and case.seq == 1


def test_case_numbers_are_per_unit_and_year(district_officer, officers):
    a = filed_case(actor=district_officer, officers=officers)
    b = filed_case(actor=district_officer, officers=officers)
    assert (a.seq, b.seq) == (1, 2)
    assert a.number != b.number


def test_extension_adds_thirty_days(district_officer, officers, xh_head):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    assert case.decision_deadline == dt.date(2026, 6, 3)
    services.case_extend(actor=xh_head, case=case, reason="案情复杂", on=dt.date(2026, 5, 20))
    case.refresh_from_db()
    assert case.extended and case.decision_deadline == dt.date(2026, 7, 3)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_extend(actor=xh_head, case=case, reason="再延", on=dt.date(2026, 6, 20))
    assert exc.value.code == "already_extended"


def test_collective_decision_extends_beyond_the_approval(district_officer, officers, xh_head):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_collective_extend(actor=xh_head, case=case, days=30, decision_no="集〔2026〕3号")
    assert exc.value.code == "not_extended"
    services.case_extend(actor=xh_head, case=case, reason="案情复杂", on=dt.date(2026, 5, 20))
    services.case_collective_extend(actor=xh_head, case=case, days=30, decision_no="集〔2026〕3号",
                                    on=dt.date(2026, 7, 1))
    case.refresh_from_db()
    assert case.decision_deadline == dt.date(2026, 8, 3)  # Aug 2 is a Sunday


def test_appraisal_pause_moves_the_deadline(district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    pause = services.pause_start(actor=district_officer, case=case, reason="appraisal",
                                 starts_on=dt.date(2026, 3, 10), note="商标权利人鉴别")
    services.pause_end(actor=district_officer, pause=pause, ends_on=dt.date(2026, 3, 30))
    case.refresh_from_db()
    assert case.paused_days == 20
    assert case.decision_deadline == dt.date(2026, 6, 23)


def test_deadline_in_an_unknown_year_is_provisional_and_recomputed_when_the_year_is_entered(district_officer,
                                                                                          officers):
    from jianguan.core import calendar
    from jianguan.core.models import CalendarYear

    # 2026-11-20 + 90 days = 2027-02-18 (a Thursday), in 2027 whose holidays the calendar does not know yet: shown
    # provisionally (as if no holiday fell in 2027) and flagged for recomputation.
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 11, 16))
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 11, 20), the_lead=the_lead)
    assert case.decision_deadline == dt.date(2027, 2, 18) and case.calendar_pending
    assert services.sweep_clocks(today=dt.date(2026, 11, 21))["cases_reclocked"] == 0  # still provisional
    CalendarYear.objects.create(year=2027, note="国务院办公厅关于2027年部分节假日安排的通知")
    calendar.invalidate()
    assert services.sweep_clocks(today=dt.date(2026, 11, 21))["cases_reclocked"] == 1
    case.refresh_from_db()
    assert case.decision_deadline == dt.date(2027, 2, 18) and not case.calendar_pending


def test_payment_period_in_an_unknown_year_is_provisional_until_the_calendar_is_entered(district_officer, officers,
                                                                                         legal):
    from jianguan.core.models import CalendarYear
    from jianguan.enforcement.models import Penalty

    from .factories import to_decided

    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 10, 9),
                      the_lead=lead(actor=district_officer, discovered_on=dt.date(2026, 10, 8)))
    to_decided(case, actor=district_officer, legal=legal)
    # Served on Dec 20: the 15 days end in 2027, whose holidays are not known yet. Day 1 is Dec 21, day 15 is
    # Mon 2027-01-04 (Dec 21–31 is 11 days, Jan 1–4 four more): shown 暂定, counted as if 2027 had no holiday.
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=dt.date(2026, 12, 20), recipient="法定代表人", proof="送达回证", is_decision=True)
    penalty = Penalty.objects.get(case=case)
    assert (penalty.payment_due, penalty.payment_due_provisional) == (dt.date(2027, 1, 4), True)
    assert services.sweep_clocks(today=dt.date(2026, 12, 21))["payment_deadlines_filled"] == 0  # still provisional
    from jianguan.core import calendar

    CalendarYear.objects.create(year=2027, note="国务院办公厅关于2027年部分节假日安排的通知")
    calendar.invalidate()
    assert services.sweep_clocks(today=dt.date(2026, 12, 21))["payment_deadlines_filled"] == 1
    penalty.refresh_from_db()
    assert (penalty.payment_due, penalty.payment_due_provisional) == (dt.date(2027, 1, 4), False)
