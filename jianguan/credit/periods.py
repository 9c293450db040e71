"""Dates of the annual-report cycle, from the rules in force (``credit/rules.py``).

Report year Y is filed between window_start and window_end of year Y + 1 (1 January – 30 June); filing after
window_end is late filing (逾期补报). An entity established in year Y files its first report — for year Y — in
Y + 1 ("当年设立登记的企业，自下一年起报送"), unless the bureau sets ``credit.report.first_year_offset``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from jianguan.core.rules import rule, timeline


def _md(value: str, year: int) -> dt.date:
    month, day = (int(part) for part in value.split("-"))
    return dt.date(year, month, day)


def window(report_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the regular filing window for ``report_year``."""
    filing_year = report_year + 1
    on = dt.date(filing_year, 1, 1)
    return (_md(rule("credit.report.window_start", on=on), filing_year),
            _md(rule("credit.report.window_end", on=on), filing_year))


def first_report_year(established_on: dt.date) -> int:
    return established_on.year + int(rule("credit.report.first_year_offset", on=established_on))


def must_report(*, kind: str, established_on: dt.date, report_year: int) -> bool:
    """Whether an entity of ``kind`` established on ``established_on`` has to file a report for ``report_year``."""
    return reporting(report_year)(kind, established_on)


def reporting(report_year: int) -> Callable[[str, dt.date], bool]:
    """``must_report`` for one report year and many entities, the rules read once: ``test = reporting(year)``
    before the loop, ``test(kind, established_on)`` in it."""
    kinds = rule("credit.report.required_kinds", on=dt.date(report_year + 1, 1, 1))
    offset_on = timeline("credit.report.first_year_offset")
    return lambda kind, established_on: (
        kind in kinds and established_on.year + int(offset_on(established_on)) <= report_year)


def closed_year(today: dt.date) -> int:
    """The latest report year whose filing window has closed by ``today`` (its non-filers are due for listing)."""
    _start, end = window(today.year - 1)
    return today.year - 1 if today > end else today.year - 2


def open_year(today: dt.date) -> int | None:
    """The report year whose regular window is open on ``today``, if any."""
    start, end = window(today.year - 1)
    return today.year - 1 if start <= today <= end else None


def latest_fileable_year(today: dt.date) -> int:
    """The most recent report year that can be filed on ``today`` (regularly or late)."""
    start, _end = window(today.year - 1)
    return today.year - 1 if today >= start else today.year - 2
