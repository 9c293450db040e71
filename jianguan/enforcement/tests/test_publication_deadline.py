"""The publication deadline counts working days from the decision, holidays and adjusted working days included."""

from __future__ import annotations

import datetime as dt

from jianguan.core.models import RuleValue
from jianguan.enforcement import publication

from .docfixtures import make_case, make_penalty


def test_twenty_working_days_across_the_national_day_holiday(org, district_officer):
    # 2026-09-24: 9/25–9/27 and 10/1–10/7 are holidays, 10/10 (Saturday) is an adjusted working day
    penalty = make_penalty(make_case(officers=[district_officer]), decided_on=dt.date(2026, 9, 24))
    pub = publication.publication_schedule(penalty=penalty, actor=district_officer)
    assert pub.deadline == dt.date(2026, 10, 29)
    penalty.refresh_from_db()
    assert penalty.publication_deadline == dt.date(2026, 10, 29)


def test_a_local_seven_day_rule_from_its_effective_date(org, district_officer):
    RuleValue.objects.create(key="enforcement.publication.deadline_workdays", value=7,
                             effective_from=dt.date(2026, 7, 1), note="本地规定 7 个工作日")
    before = make_penalty(make_case(officers=[district_officer]), decided_on=dt.date(2026, 6, 30))
    after = make_penalty(make_case(officers=[district_officer]), decided_on=dt.date(2026, 9, 24))
    assert publication.publication_schedule(penalty=after, actor="system").deadline == dt.date(2026, 10, 12)
    # 2026-06-30 + 20 working days (no holiday in July): 28 July
    assert publication.publication_schedule(penalty=before, actor="system").deadline == dt.date(2026, 7, 28)


def test_spring_festival(org, district_officer):
    # 2026 Spring Festival: 2/15–2/23 off, 2/14 (Sat) and 2/28 (Sat) worked
    penalty = make_penalty(make_case(officers=[district_officer]), decided_on=dt.date(2026, 2, 12))
    RuleValue.objects.create(key="enforcement.publication.deadline_workdays", value=7,
                             effective_from=dt.date(2026, 1, 1))
    # 2/13 (1), 2/14 adjusted (2), 2/24 (3), 2/25 (4), 2/26 (5), 2/27 (6), 2/28 adjusted (7)
    assert publication.deadline_for(penalty.decided_on) == dt.date(2026, 2, 28)


def test_deadline_outside_the_calendar_is_left_for_the_sweep(org, district_officer):
    penalty = make_penalty(make_case(officers=[district_officer]), decided_on=dt.date(2031, 3, 3))
    pub = publication.publication_schedule(penalty=penalty, actor="system", today=dt.date(2031, 3, 3))
    assert pub.deadline is None
