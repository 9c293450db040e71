"""Working days and statutory periods, on China's official holiday calendar.

Pure Python on top of the ``chinesecalendar`` package (import name ``chinese_calendar``) plus overrides the bureau
enters by hand. The Django side (``core/calendar.py``) plugs the override table in through ``set_override_loader``.

Rules encoded (docs/domain §2):
- A period's start day is not counted; day 1 is the next day (Administrative Penalty Law).
- Working days exclude weekends and statutory holidays and include adjusted working days (调休上班).
- A period in calendar days whose last day is a rest day ends on the next working day (Civil Code art. 203).
- A date the calendar does not know raises ``CalendarUnknown``: never a silent Monday–Friday guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import chinese_calendar

Date = dt.date
ONE_DAY = dt.timedelta(days=1)


class CalendarUnknown(LookupError):
    """The official working-day status of a date is not known."""

    def __init__(self, day: Date):
        self.day = day
        super().__init__(
            f"{day.year}年的节假日安排尚未录入，无法计算 {day.isoformat()} 是否为工作日。"
            f"请系统管理员在「工作日历」中录入{day.year}年的节假日和调休安排并确认该年度。"
            f" (The {day.year} holiday calendar is unknown: add it under Workbench › Calendar.)"
        )


def _package_years() -> frozenset[int]:
    years = set()
    for year in range(2004, 2100):
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


PACKAGE_YEARS = _package_years()


@dataclass(frozen=True)
class Overrides:
    """Hand-entered data: per-date status, and the years declared complete by the administrator."""

    days: Mapping[Date, bool] = field(default_factory=dict)
    years: frozenset[int] = frozenset()


_loader: Callable[[], Overrides] = Overrides


def set_override_loader(loader: Callable[[], Overrides]) -> None:
    """Install the function that returns the current overrides (the Django app does this at start-up)."""
    global _loader
    _loader = loader


def known_years(overrides: Overrides | None = None) -> frozenset[int]:
    overrides = overrides if overrides is not None else _loader()
    return PACKAGE_YEARS | overrides.years


def is_workday(day: Date, overrides: Overrides | None = None) -> bool:
    overrides = overrides if overrides is not None else _loader()
    status = overrides.days.get(day)
    if status is not None:
        return status
    if day.year in PACKAGE_YEARS:
        return chinese_calendar.is_workday(day)
    if day.year in overrides.years:
        # The administrator entered this year's holidays and adjusted days as overrides; the rest follow the week.
        return day.weekday() < 5
    raise CalendarUnknown(day)


def is_rest_day(day: Date, overrides: Overrides | None = None) -> bool:
    return not is_workday(day, overrides)


def add_workdays(start: Date, n: int, overrides: Overrides | None = None) -> Date:
    """The date on which a period of ``n`` working days starting on ``start`` ends.

    ``start`` itself is not counted. ``n == 0`` returns ``start``.
    """
    if n < 0:
        raise ValueError("n must be ≥ 0")
    overrides = overrides if overrides is not None else _loader()
    day = start
    remaining = n
    while remaining:
        day += ONE_DAY
        if is_workday(day, overrides):
            remaining -= 1
    return day


def period_end(start: Date, days: int, overrides: Overrides | None = None) -> Date:
    """The last day of a period of ``days`` calendar days from ``start`` (start not counted).

    If that day is a rest day (weekend or statutory holiday that is not an adjusted working day), the period ends on
    the next working day.
    """
    if days < 0:
        raise ValueError("days must be ≥ 0")
    overrides = overrides if overrides is not None else _loader()
    day = start + dt.timedelta(days=days)
    while not is_workday(day, overrides):
        day += ONE_DAY
    return day


def workdays_between(start: Date, end: Date, overrides: Overrides | None = None) -> int:
    """Working days in (start, end]: how many working days of a period have elapsed by ``end``.

    Negative when ``end`` is before ``start``.
    """
    overrides = overrides if overrides is not None else _loader()
    if end < start:
        return -workdays_between(end, start, overrides)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_workday(day, overrides):
            count += 1
    return count
