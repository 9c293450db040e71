"""The working-day functions give the dates the law gives, on the real 2025–2026 calendar."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jianguan.core import workdays
from jianguan.core.workdays import CalendarUnknown, Overrides, add_workdays, is_workday, period_end, workdays_between

D = dt.date
NONE = Overrides()  # the package's calendar alone, no database


def test_complaint_acceptance_example_from_the_domain_reference():
    # Received 2026-09-24; 9/25–9/27 and 10/1–10/7 are holidays, 10/10 (Saturday) is an adjusted working day.
    assert add_workdays(D(2026, 9, 24), 7, NONE) == D(2026, 10, 12)


def test_start_day_is_not_counted():
    assert add_workdays(D(2026, 3, 2), 1, NONE) == D(2026, 3, 3)  # Monday → Tuesday
    assert add_workdays(D(2026, 3, 6), 1, NONE) == D(2026, 3, 9)  # Friday → Monday
    assert add_workdays(D(2026, 3, 6), 0, NONE) == D(2026, 3, 6)


@pytest.mark.parametrize("day", [D(2026, 2, 14), D(2026, 2, 28), D(2026, 10, 10), D(2025, 9, 28), D(2025, 10, 11)])
def test_adjusted_working_saturdays_and_sundays_count(day):
    assert day.weekday() >= 5 and is_workday(day, NONE)


@pytest.mark.parametrize(
    "day",
    [D(2026, 2, 16), D(2026, 2, 23), D(2026, 5, 5), D(2026, 6, 19), D(2026, 10, 7), D(2025, 1, 28), D(2025, 10, 8)],
)
def test_statutory_holidays_on_weekdays_do_not_count(day):
    assert day.weekday() < 5 and not is_workday(day, NONE)


def test_spring_festival_2026_fifteen_working_days():
    # From 2026-02-10: 2/11–2/13 and 2/14 (adjusted Saturday) are days 1–4; 2/15–2/23 are off;
    # 2/24–2/27 and 2/28 (adjusted Saturday) are days 5–9; 3/2–3/6 are days 10–14; Monday 3/9 is day 15.
    assert add_workdays(D(2026, 2, 10), 15, NONE) == D(2026, 3, 9)


def test_calendar_period_ending_on_a_holiday_moves_to_next_working_day():
    # 10 days from 2026-09-21 end on 10/1 (National Day) → the next working day is 10/8.
    assert period_end(D(2026, 9, 21), 10, NONE) == D(2026, 10, 8)


def test_calendar_period_ending_on_a_weekend_moves_to_monday():
    assert period_end(D(2026, 3, 4), 3, NONE) == D(2026, 3, 9)  # Saturday 3/7 → Monday 3/9


def test_calendar_period_ending_on_an_adjusted_working_saturday_stays():
    assert period_end(D(2026, 9, 30), 10, NONE) == D(2026, 10, 10)


def test_unknown_year_raises_a_clear_error_not_a_guess():
    with pytest.raises(CalendarUnknown) as exc:
        add_workdays(D(2026, 12, 20), 20, NONE)  # runs into 2027, which the package does not know
    assert "2027" in str(exc.value) and "工作日历" in str(exc.value)


def test_an_administrator_can_add_the_next_year():
    new_year = Overrides(days={D(2027, 1, 1): False}, years=frozenset({2027}))
    assert not is_workday(D(2027, 1, 1), new_year)
    assert is_workday(D(2027, 1, 4), new_year)
    assert add_workdays(D(2026, 12, 31), 1, new_year) == D(2027, 1, 4)


def test_override_beats_the_package():
    local = Overrides(days={D(2026, 3, 3): False, D(2026, 3, 7): True})
    assert not is_workday(D(2026, 3, 3), local)
    assert is_workday(D(2026, 3, 7), local)


def test_negative_periods_are_refused():
    with pytest.raises(ValueError):
        add_workdays(D(2026, 3, 3), -1, NONE)
    with pytest.raises(ValueError):
        period_end(D(2026, 3, 3), -1, NONE)


days_2025_2026 = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 9, 30))


@settings(max_examples=200, deadline=None)
@given(start=days_2025_2026, n=st.integers(min_value=1, max_value=60))
def test_add_workdays_lands_on_a_working_day_and_counts_exactly_n(start, n):
    end = add_workdays(start, n, NONE)
    assert end > start
    assert is_workday(end, NONE)
    assert workdays_between(start, end, NONE) == n
    assert workdays_between(end, start, NONE) == -n


@settings(max_examples=200, deadline=None)
@given(start=days_2025_2026, n=st.integers(min_value=0, max_value=40))
def test_add_workdays_is_monotonic(start, n):
    assert add_workdays(start, n, NONE) <= add_workdays(start, n + 1, NONE)


@settings(max_examples=200, deadline=None)
@given(start=days_2025_2026, days=st.integers(min_value=0, max_value=60))
def test_period_end_is_the_first_working_day_on_or_after_the_nominal_end(start, days):
    nominal = start + dt.timedelta(days=days)
    end = period_end(start, days, NONE)
    assert end >= nominal and is_workday(end, NONE)
    assert all(not is_workday(nominal + dt.timedelta(d), NONE) for d in range((end - nominal).days))


@pytest.mark.django_db
def test_the_database_override_table_is_used(org, sysadmin):
    from jianguan.core import services

    day = D(2026, 3, 3)
    assert workdays.is_workday(day)
    services.workday_set(actor=sysadmin, date=day, is_workday=False, note="本地停电放假")
    assert not workdays.is_workday(day)
    services.workday_clear(actor=sysadmin, date=day)
    assert workdays.is_workday(day)


@pytest.mark.django_db
def test_confirming_a_year_makes_its_dates_known(org, sysadmin):
    from jianguan.core import services

    with pytest.raises(CalendarUnknown):
        workdays.is_workday(D(2027, 3, 3))
    services.calendar_year_confirm(actor=sysadmin, year=2027, note="国办发明电〔2026〕X号")
    assert workdays.is_workday(D(2027, 3, 3))
