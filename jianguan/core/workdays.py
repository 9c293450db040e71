"""Working days and statutory periods, on China's official holiday calendar.

Pure Python on top of the ``chinesecalendar`` package (import name ``chinese_calendar``) plus overrides the bureau
enters by hand. The Django side (``core/calendar.py``) plugs the override table in through ``set_override_loader``.

Rules encoded (docs/domain §2):
- A period's start day is not counted; day 1 is the next day (Civil Code art. 201).
- A period of months or years ends on the day with the same number (Civil Code art. 202): ``anniversary``.
- Working days exclude weekends and statutory holidays and include adjusted working days (调休上班).
- A period in calendar days whose last day is a rest day ends on the next working day (Civil Code art. 203).
- A date the calendar does not know raises ``CalendarUnknown``: never a silent Monday–Friday guess.
"""

from __future__ import annotations

import datetime as dt
import functools
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
        return _package_workday(day)
    if day.year in overrides.years:
        # The administrator entered this year's holidays and adjusted days as overrides; the rest follow the week.
        return day.weekday() < 5
    raise CalendarUnknown(day)


@functools.lru_cache(maxsize=8192)
def _package_workday(day: Date) -> bool:
    """The package's answer, remembered: its calendar is fixed for the life of the process, and deadlines count
    day by day (a complaint's flow asks about the same few hundred days tens of thousands of times)."""
    return chinese_calendar.is_workday(day)


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


# --- periods of months and years (Civil Code art. 202) ------------------------------------------------------------


def anniversary(start: Date, *, months: int = 0, years: int = 0) -> Date:
    """The last day of a period of ``months`` + ``years`` starting on ``start`` (Civil Code arts. 201–202).

    The start day is not counted, so the period ends at the end of the day with the same number ``N`` months or
    years later; where that month has no such day (29 Feb, 31st), on the month's last day. A term listed on
    2026-03-10 for 3 years still runs on 2029-03-10 and is over from 2029-03-11.
    """
    total = months + 12 * years
    index = start.year * 12 + start.month - 1 + total
    year, month = divmod(index, 12)
    month += 1
    day = start.day
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def day_after_anniversary(start: Date, *, months: int = 0, years: int = 0) -> Date:
    """The first day on which a period of months/years starting on ``start`` has fully run ("满N年")."""
    return anniversary(start, months=months, years=years) + ONE_DAY


# --- explaining a deadline ---------------------------------------------------------------------------------------

UNIT_LABELS = {"workdays": "个工作日", "days": "日", "months": "个月", "years": "年"}


@dataclass(frozen=True)
class Exclusion:
    """A stretch of time that does not count towards a period, and why."""

    reason: str
    starts_on: Date
    ends_on: Date | None  # None: still running (counted up to the day of the computation)
    days: int
    unit: str = "workdays"
    evidence: str = ""

    def as_dict(self) -> dict:
        return {"reason": self.reason, "starts_on": self.starts_on.isoformat(),
                "ends_on": self.ends_on.isoformat() if self.ends_on else None, "days": self.days,
                "unit": self.unit, "evidence": self.evidence}


@dataclass(frozen=True)
class Explanation:
    """Everything an officer needs to check a deadline by hand: what starts it, how long, what does not count and
    why, and the article. Built by each app for the clocks it runs; shown on pages and in the API
    (``deadline_explained``)."""

    what: str
    start_event: str
    start_on: Date
    days: int
    unit: str  # workdays | days | months | years
    article: str
    due_on: Date | None
    extensions: tuple[tuple[int, str], ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.days + sum(d for d, _ in self.extensions)

    def text(self) -> str:
        parts = [f"{self.what}：自{self.start_event}（{self.start_on:%Y-%m-%d}）起算，当日不计入，"
                 f"期间 {self.days}{UNIT_LABELS.get(self.unit, self.unit)}"]
        for days, why in self.extensions:
            parts.append(f"，{why}延长 {days}{UNIT_LABELS.get(self.unit, self.unit)}")
        for ex in self.exclusions:
            end = f"{ex.ends_on:%Y-%m-%d}" if ex.ends_on else "至今"
            parts.append(f"；{ex.reason}（{ex.starts_on:%Y-%m-%d}—{end}）{ex.days}"
                         f"{UNIT_LABELS.get(ex.unit, ex.unit)}不计入")
        for note in self.notes:
            parts.append(f"；{note}")
        due = f"{self.due_on:%Y-%m-%d}" if self.due_on else "待录入节假日安排后确定"
        parts.append(f"。期限届满日：{due}。依据：{self.article}")
        return "".join(parts)

    def as_dict(self) -> dict:
        return {
            "what": self.what, "start_event": self.start_event, "start_on": self.start_on.isoformat(),
            "days": self.days, "unit": self.unit, "total": self.total,
            "extensions": [{"days": d, "reason": why} for d, why in self.extensions],
            "exclusions": [e.as_dict() for e in self.exclusions], "notes": list(self.notes),
            "article": self.article, "due_on": self.due_on.isoformat() if self.due_on else None,
            "text": self.text(),
        }


def rolled_note(start: Date, days: int, due: Date | None) -> tuple[str, ...]:
    """The note for a period in calendar days whose last day fell on a rest day (Civil Code art. 203)."""
    if due is None:
        return ()
    raw = start + dt.timedelta(days=days)
    if due != raw:
        return (f"期间最后一日 {raw:%Y-%m-%d} 为法定休假日，以休假日结束的次日 {due:%Y-%m-%d} 为期间最后一日"
                "（《民法典》第二百零三条）",)
    return ()


# --- provisional dates ----------------------------------------------------------------------------------------------
# A deadline that falls in a year whose holidays are not entered yet is still shown, computed as if no holiday fell in
# that year (weekends still rest), marked 暂定 and recomputed by the daily sweep once the year is confirmed. The strict
# functions above keep refusing to guess; these say explicitly that they did.

ALL_YEARS = frozenset(range(1900, 2200))


def assuming_no_holidays(overrides: Overrides | None = None) -> Overrides:
    """The overrides with every unknown year treated as Monday–Friday working weeks (no holiday, no adjusted day)."""
    overrides = overrides if overrides is not None else _loader()
    return Overrides(days=overrides.days, years=overrides.years | ALL_YEARS)


def confirmed_through(start: Date, end: Date, overrides: Overrides | None = None) -> bool:
    """True when every year from ``start`` to ``end`` has its official calendar (so a date computed over it is final)."""
    known = known_years(overrides)
    return all(year in known for year in range(min(start, end).year, max(start, end).year + 1))


def add_workdays_provisional(start: Date, n: int, overrides: Overrides | None = None) -> tuple[Date, bool]:
    """``add_workdays`` that never refuses: (date, provisional). ``provisional`` is True when the period reaches a year
    whose holidays are unknown and the date assumed none fell in it."""
    overrides = overrides if overrides is not None else _loader()
    end = add_workdays(start, n, assuming_no_holidays(overrides))
    return end, not confirmed_through(start, end, overrides)


def period_end_provisional(start: Date, days: int, overrides: Overrides | None = None) -> tuple[Date, bool]:
    """``period_end`` that never refuses: (date, provisional), as ``add_workdays_provisional``."""
    overrides = overrides if overrides is not None else _loader()
    end = period_end(start, days, assuming_no_holidays(overrides))
    return end, not confirmed_through(start, end, overrides)


def workdays_between_provisional(start: Date, end: Date, overrides: Overrides | None = None) -> int:
    """``workdays_between`` with unknown years assumed to have no holiday (used inside a provisional clock)."""
    return workdays_between(start, end, assuming_no_holidays(overrides))


# --- explanations for a page of list rows ----------------------------------------------------------------------------


def explain_rows(rows: list[dict], queryset, explain: Callable, *, key: str = "id", wanted: Callable | None = None,
                 attr: str = "explained") -> list[dict]:
    """Give each list row (a ``values()`` dict) the explanation of its deadline, as ``row[attr]`` (an
    ``Explanation`` or None), without one query per row: the objects behind the rows that ``wanted(row)`` keeps are
    read in one query from ``queryset`` (which carries the ``select_related``/``prefetch_related`` that ``explain``
    needs), then ``explain(obj)`` runs on each in memory."""
    ids = [row[key] for row in rows if wanted is None or wanted(row)]
    objs = {o.pk: o for o in queryset.filter(pk__in=ids)} if ids else {}
    for row in rows:
        obj = objs.get(row[key])
        row[attr] = explain(obj) if obj is not None else None
    return rows
