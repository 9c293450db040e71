"""Sectors that use the sampling flow (产品质量监督抽查 now; 食品安全抽检 next) and the rules each plugs in.

The flow — plan, draw, samples, chain of custody, results against the standard, unqualified follow-up, publication
— is the same for every sector; what differs is data: the objection period (产品质量法 第十五条: 15 days from
receipt; food: a number of working days), the rectification period, the lead's source. A sector registers itself
once (in its app's ``ready()``)::

    from jianguan.sampling.sectors import Sector, register

    register(Sector(code="food", label="食品安全抽检", objection_rule="food.sampling_objection_days",
                    objection_in_working_days=True, rectification_rule="food.sampling_rectification_days"))

and defines those rules with ``core.rules.define`` (source and confidence). Plans carry their sector's code; every
clock of the flow asks the plan's sector. No fork of the flow is needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jianguan.core import workdays
from jianguan.core.rules import rule


@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    #: rule key: the period (days) within which the producer may object and ask for a re-test, from receipt
    objection_rule: str
    #: True: the period counts working days (core.workdays); False: calendar days
    objection_in_working_days: bool = False
    #: rule key: days the producer has to rectify after an unqualified result is served
    rectification_rule: str = "sampling.rectification_days"
    #: the enforcement lead's source kind for unqualified products
    lead_source: str = "monitoring"
    #: the legal basis the lead of an unqualified sample cites
    lead_basis: str = "涉嫌违反《产品质量法》第十三条、第二十六条。"
    #: the permission that lets staff run this sector's plans (view is ``sampling.view_plan``)
    permission: str = "sampling.manage_plan"

    def objection_deadline(self, received_on: dt.date) -> dt.date | None:
        """The last day to object, counted from the day the result was received (that day not counted). A period
        of calendar days that ends on a rest day ends on the next working day (民法典 第二百零三条). None when the
        working-day calendar does not reach that far yet."""
        days = int(rule(self.objection_rule, on=received_on))
        try:
            if self.objection_in_working_days:
                return workdays.add_workdays(received_on, days)
            return workdays.period_end(received_on, days)
        except workdays.CalendarUnknown:
            return None

    def rectification_deadline(self, served_on: dt.date) -> dt.date:
        return served_on + dt.timedelta(days=int(rule(self.rectification_rule, on=served_on)))


SECTORS: dict[str, Sector] = {}


def register(sector: Sector) -> Sector:
    SECTORS[sector.code] = sector
    return sector


def get(code: str) -> Sector:
    try:
        return SECTORS[code]
    except KeyError:
        raise KeyError(f"抽检领域「{code}」未注册：须在其应用的 ready() 中调用 sampling.sectors.register()") from None


def choices() -> list[tuple[str, str]]:
    return [(s.code, s.label) for s in SECTORS.values()]


PRODUCT = "product"
