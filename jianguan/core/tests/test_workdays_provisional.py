"""A deadline in a year whose holidays are unknown is given provisionally (no holiday assumed in that year) and
says so; one inside the known calendar is final and equals the strict computation."""

import datetime as dt

import pytest

from jianguan.core.workdays import (
    CalendarUnknown,
    Overrides,
    add_workdays,
    add_workdays_provisional,
    period_end_provisional,
)

D = dt.date
NONE = Overrides()


def test_known_calendar_gives_the_final_date():
    # Received 2026-09-24; 9/25–9/27 and 10/1–10/7 are holidays, 10/10 (Saturday) is an adjusted working day.
    assert add_workdays_provisional(D(2026, 9, 24), 7, NONE) == (D(2026, 10, 12), False)


def test_unknown_year_is_assumed_holiday_free_and_marked():
    with pytest.raises(CalendarUnknown):
        add_workdays(D(2026, 12, 18), 15, NONE)
    # 21–25 and 28–31 December 2026 (9), 1 January 2027 counted (10), 4–8 January (15).
    assert add_workdays_provisional(D(2026, 12, 18), 15, NONE) == (D(2027, 1, 8), True)


def test_entered_year_makes_the_same_period_final():
    entered = Overrides(days={D(2027, 1, 1): False}, years=frozenset({2027}))
    assert add_workdays_provisional(D(2026, 12, 18), 15, entered) == (D(2027, 1, 11), False)


def test_calendar_day_period_rolls_past_a_weekend_provisionally():
    # 2026-12-13 + 20 days = Saturday 2027-01-02 → Monday 2027-01-04, provisional.
    assert period_end_provisional(D(2026, 12, 13), 20, NONE) == (D(2027, 1, 4), True)
