"""Time to decision in working hours. Pure Python on top of ``core.workdays``.

The measure, kept simple on purpose: a working day (a day ``core.workdays`` says is one, adjusted working days
included) has office hours from ``start`` to ``end`` o'clock (rule ``startup.office_hours``, default 9–17, i.e.
8 hours). The time to decision is the part of [submitted, decided] that falls inside office hours of working days.
"Half a working day" is therefore 4 working hours. An application submitted on Friday at 16:00 and decided on Monday
at 10:00 took 2 working hours; one submitted on Saturday and decided on Monday at 9:30 took half an hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from jianguan.core import workdays


def _office_window(day: dt.date, hours: tuple[int, int], tz) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(hours[0]), tzinfo=tz)
    end = dt.datetime.combine(day, dt.time(hours[1]), tzinfo=tz)
    return start, end


def working_hours_between(
    start: dt.datetime,
    end: dt.datetime,
    *,
    hours: tuple[int, int] = (9, 17),
    is_workday: Callable[[dt.date], bool] = workdays.is_workday,
) -> float:
    """Office hours of working days elapsed between two aware datetimes (0 when ``end`` ≤ ``start``)."""
    if end <= start:
        return 0.0
    tz = start.tzinfo
    end = end.astimezone(tz)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if is_workday(day):
            open_, close = _office_window(day, hours, tz)
            lo, hi = max(open_, start), min(close, end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += dt.timedelta(days=1)
    return round(total, 2)


def add_working_hours(
    start: dt.datetime,
    amount: float,
    *,
    hours: tuple[int, int] = (9, 17),
    is_workday: Callable[[dt.date], bool] = workdays.is_workday,
) -> dt.datetime:
    """The moment at which ``amount`` office hours of working days have elapsed after ``start``."""
    tz = start.tzinfo
    remaining = dt.timedelta(hours=amount)
    day = start.date()
    cursor = start
    for _ in range(3660):  # ten years of days: far beyond any target, guards against a bad calendar
        if is_workday(day):
            open_, close = _office_window(day, hours, tz)
            lo = max(open_, cursor)
            if close > lo:
                available = close - lo
                if remaining <= available:
                    return lo + remaining
                remaining -= available
        day += dt.timedelta(days=1)
        cursor = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    raise ValueError("working-hour target too far ahead")
