"""When a device is next due for inspection (下次检验日期) and by when its user must apply (申报日期).

Pure functions, no Django: ``compute`` takes the device's facts, the dates of its last qualifying inspections by
kind and the rule values in force, and returns the schedule. ``services`` and the daily recomputation call it;
the rule values come from ``core.rules`` (see ``rules.py`` for each rule's source and confidence).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .categories import family

# Inspection kinds (检验种类)
PERIODIC = "periodic"  # 定期检验
SELF_TEST = "self_test"  # 自行检测 (lifts, TSG T7001-2023)
EXTERNAL = "external"  # 外部检验 (boilers)
INTERNAL = "internal"  # 内部检验 (boilers)
HYDROSTATIC = "hydrostatic"  # 水（耐）压试验 (boilers)
SUPERVISION = "supervision"  # 安装监督检验
RE_INSPECTION = "re_inspection"  # 复检 (after a failed inspection)

KIND_LABELS = {
    PERIODIC: "定期检验",
    SELF_TEST: "自行检测",
    EXTERNAL: "外部检验",
    INTERNAL: "内部检验",
    HYDROSTATIC: "水（耐）压试验",
    SUPERVISION: "监督检验",
    RE_INSPECTION: "复检",
}
#: the kinds an inspection record of each family may have
KINDS_BY_FAMILY = {
    "lift": (PERIODIC, SELF_TEST, SUPERVISION),
    "boiler": (EXTERNAL, INTERNAL, HYDROSTATIC, SUPERVISION),
}
DEFAULT_KINDS = (PERIODIC, SUPERVISION)


def kinds_for(category: str) -> tuple[str, ...]:
    return KINDS_BY_FAMILY.get(family(category), DEFAULT_KINDS)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months; the 31st becomes the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: float) -> dt.date:
    return add_months(day, round(years * 12))


@dataclass(frozen=True)
class Rules:
    """The rule values the schedule reads, as of one date (``rules.schedule_rules``)."""

    lift_full_years: tuple[int, ...]
    lift_yearly_after: int
    vessel_first_years: int
    vessel_years_by_grade: dict[str, int]
    boiler_years: dict[str, int]
    cylinder_years: dict[str, int]
    interval_years: dict[str, int]
    apply_months: int


@dataclass(frozen=True)
class Schedule:
    next_due: dt.date | None
    kind: str = ""
    basis: str = ""
    apply_by: dt.date | None = None


NONE = Schedule(None)


def compute(
    *,
    category: str,
    params: dict,
    commissioned_on: dt.date,
    in_use: bool,
    last: dict[str, dt.date],
    failed_on: dt.date | None,
    rules: Rules,
) -> Schedule:
    """The next inspection of a device.

    ``last``: kind → date of the latest qualifying (合格/复检合格) inspection of that kind. ``failed_on``: the date
    of the latest inspection when it was 不合格 and no qualifying one followed — the device may not be used until it
    passes a re-inspection, so it is due at once. A device not in use (停用、报废、移装) has no schedule.
    """
    if not in_use:
        return NONE
    if failed_on is not None:
        return _with_apply(Schedule(failed_on, RE_INSPECTION, "上次检验结论为不合格，须复检合格后方可使用"), rules)
    fam = family(category)
    if fam == "lift":
        sched = _lift(commissioned_on, last, rules)
    elif fam == "vessel":
        sched = _vessel(params, commissioned_on, last, rules)
    elif fam == "boiler":
        sched = _boiler(commissioned_on, last, rules)
    elif fam == "cylinder":
        years = rules.cylinder_years.get(str(params.get("cylinder_kind") or "general"), rules.cylinder_years["general"])
        base = last.get(PERIODIC) or commissioned_on
        sched = Schedule(add_years(base, years), PERIODIC, f"气瓶定期检验周期 {years} 年")
    else:
        years = rules.interval_years.get(category[:1] + "000", 1)
        if category[:2] == "22":
            years = rules.interval_years.get("2200", years)
        base = _latest(last, PERIODIC, SUPERVISION) or commissioned_on
        sched = Schedule(add_years(base, years), PERIODIC, f"定期检验周期 {years} 年")
    return _with_apply(sched, rules)


def _with_apply(sched: Schedule, rules: Rules) -> Schedule:
    if sched.next_due is None:
        return sched
    return Schedule(sched.next_due, sched.kind, sched.basis, add_months(sched.next_due, -rules.apply_months))


def _latest(last: dict[str, dt.date], *kinds: str) -> dt.date | None:
    dates = [last[k] for k in kinds if k in last]
    return max(dates) if dates else None


def _lift(commissioned_on: dt.date, last: dict[str, dt.date], rules: Rules) -> Schedule:
    """Every year either a periodic inspection or a self-test; the periodic one in the years the rule names
    (counted from commissioning) and every year once the lift is older than ``lift_yearly_after`` years."""
    base = _latest(last, PERIODIC, SELF_TEST, SUPERVISION) or commissioned_on
    due = add_years(base, 1)
    # the year of service the due date falls in, rounded: an inspection a few days early must not shift the count
    age = max(round((due - commissioned_on).days / 365.25), 1)
    if age in rules.lift_full_years or age > rules.lift_yearly_after:
        return Schedule(due, PERIODIC, f"投用第 {age} 年：定期检验（TSG T7001）")
    return Schedule(due, SELF_TEST, f"投用第 {age} 年：自行检测（TSG T7001）")


def _vessel(params: dict, commissioned_on: dt.date, last: dict[str, dt.date], rules: Rules) -> Schedule:
    previous = last.get(PERIODIC)
    if previous is None:
        years = rules.vessel_first_years
        return Schedule(add_years(commissioned_on, years), PERIODIC, f"投用后 {years} 年内首次定期检验")
    grade = str(params.get("safety_grade") or "")
    if grade not in rules.vessel_years_by_grade:
        # grade 5 (or unknown): may not be used as it is; due again at once
        return Schedule(previous, RE_INSPECTION, f"安全状况等级 {grade or '未定'}：不得继续使用，须处理后重新检验")
    years = rules.vessel_years_by_grade[grade]
    return Schedule(add_years(previous, years), PERIODIC, f"安全状况等级 {grade} 级：检验周期 {years} 年")


def _boiler(commissioned_on: dt.date, last: dict[str, dt.date], rules: Rules) -> Schedule:
    """Three clocks — external, internal, hydrostatic — each from its own last test; the earliest is next."""
    best: Schedule | None = None
    for kind in (INTERNAL, EXTERNAL, HYDROSTATIC):  # on a tie the more thorough one is named
        years = rules.boiler_years[kind]
        base = last.get(kind) or commissioned_on
        due = add_years(base, years)
        if best is None or due < best.next_due:
            best = Schedule(due, kind, f"锅炉{KIND_LABELS[kind]}周期 {years} 年")
    return best
