"""Time to decision in working hours: office hours of working days only; the target is half a working day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jianguan.startup import timing

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)


def weekdays(day):
    return day.weekday() < 5


def test_same_morning_counts_elapsed_office_time():
    assert timing.working_hours_between(at(2026, 3, 2, 9, 30), at(2026, 3, 2, 11), is_workday=weekdays) == 1.5


def test_friday_afternoon_to_monday_morning_skips_the_weekend():
    assert timing.working_hours_between(at(2026, 3, 6, 16), at(2026, 3, 9, 10), is_workday=weekdays) == 2.0


def test_time_outside_office_hours_does_not_count():
    assert timing.working_hours_between(at(2026, 3, 7, 10), at(2026, 3, 9, 9, 30), is_workday=weekdays) == 0.5


def test_due_time_of_half_a_working_day_crosses_into_the_next_day():
    assert timing.add_working_hours(at(2026, 3, 2, 15), 4, is_workday=weekdays) == at(2026, 3, 3, 11)
    assert timing.add_working_hours(at(2026, 3, 6, 16), 4, is_workday=weekdays) == at(2026, 3, 9, 12)


@pytest.mark.django_db
def test_the_official_calendar_skips_national_day():
    # 2026-09-30 (Wed) 15:00 + 4 working hours: 10/1–10/7 are holidays, so it ends on 10/8 at 11:00.
    assert timing.add_working_hours(at(2026, 9, 30, 15), 4) == at(2026, 10, 8, 11)
