"""The schedule follows the rules: lift inspection/self-test alternation, vessels by safety grade with the first
inspection within three years, boilers' three clocks, re-inspection after a failure, and the application date one
calendar month before the due date (特种设备安全法 第四十条). Pure functions: no database."""

import datetime as dt

from jianguan.equipment import schedule
from jianguan.equipment.schedule import HYDROSTATIC, INTERNAL, PERIODIC, SELF_TEST, Rules, add_months, compute

RULES = Rules(lift_full_years=(1, 4, 7, 9, 11, 13, 15), lift_yearly_after=15, vessel_first_years=3,
              vessel_years_by_grade={"1": 6, "2": 6, "3": 3, "4": 3},
              boiler_years={"external": 1, "internal": 2, "hydrostatic": 6},
              cylinder_years={"lpg": 4, "corrosive": 2, "general": 3, "inert": 5},
              interval_years={"4000": 1, "6000": 1, "8000": 3}, apply_months=1)


def _c(category, commissioned, last=None, failed=None, params=None, in_use=True):
    return compute(category=category, params=params or {}, commissioned_on=commissioned, in_use=in_use,
                   last=last or {}, failed_on=failed, rules=RULES)


def test_a_new_lift_is_fully_inspected_after_its_first_year():
    s = _c("3100", dt.date(2025, 3, 10))
    assert (s.next_due, s.kind) == (dt.date(2026, 3, 10), PERIODIC)
    assert s.apply_by == dt.date(2026, 2, 10)


def test_lift_years_between_full_inspections_are_self_tests():
    # year 2 and 3 after commissioning: self-test; year 4: periodic inspection
    assert _c("3100", dt.date(2022, 3, 10), {PERIODIC: dt.date(2023, 3, 1)}).kind == SELF_TEST
    s = _c("3100", dt.date(2022, 3, 10), {SELF_TEST: dt.date(2025, 3, 1)})
    assert (s.next_due, s.kind) == (dt.date(2026, 3, 1), PERIODIC)


def test_a_lift_older_than_fifteen_years_is_inspected_every_year():
    s = _c("3100", dt.date(2008, 6, 1), {PERIODIC: dt.date(2025, 5, 20)})
    assert (s.next_due, s.kind) == (dt.date(2026, 5, 20), PERIODIC)


def test_a_fixed_vessel_is_first_inspected_within_three_years_then_by_its_safety_grade():
    assert _c("2100", dt.date(2024, 7, 1), params={"safety_grade": "2"}).next_due == dt.date(2027, 7, 1)
    assert _c("2100", dt.date(2018, 7, 1), {PERIODIC: dt.date(2021, 6, 1)}, params={"safety_grade": "2"}).next_due \
        == dt.date(2027, 6, 1)
    assert _c("2100", dt.date(2018, 7, 1), {PERIODIC: dt.date(2021, 6, 1)}, params={"safety_grade": "3"}).next_due \
        == dt.date(2024, 6, 1)


def test_a_grade_five_vessel_is_due_again_at_once():
    s = _c("2100", dt.date(2018, 7, 1), {PERIODIC: dt.date(2025, 6, 1)}, params={"safety_grade": "5"})
    assert (s.next_due, s.kind) == (dt.date(2025, 6, 1), schedule.RE_INSPECTION)


def test_a_boiler_is_due_by_the_earliest_of_its_three_clocks():
    s = _c("1100", dt.date(2015, 1, 1), {"external": dt.date(2026, 5, 1), INTERNAL: dt.date(2024, 4, 1),
                                         HYDROSTATIC: dt.date(2021, 3, 1)})
    assert (s.next_due, s.kind) == (dt.date(2026, 4, 1), INTERNAL)
    s = _c("1100", dt.date(2015, 1, 1), {"external": dt.date(2026, 5, 1), INTERNAL: dt.date(2026, 4, 1),
                                         HYDROSTATIC: dt.date(2020, 3, 1)})
    assert (s.next_due, s.kind) == (dt.date(2026, 3, 1), HYDROSTATIC)


def test_a_failed_inspection_makes_the_device_due_for_re_inspection_at_once():
    s = _c("3100", dt.date(2020, 1, 1), {PERIODIC: dt.date(2024, 1, 5)}, failed=dt.date(2025, 1, 5))
    assert (s.next_due, s.kind) == (dt.date(2025, 1, 5), schedule.RE_INSPECTION)


def test_a_device_not_in_use_has_no_schedule():
    assert _c("3100", dt.date(2020, 1, 1), in_use=False).next_due is None


def test_cylinders_go_by_their_kind_and_other_families_by_the_interval_rule():
    assert _c("2300", dt.date(2022, 2, 1), params={"cylinder_kind": "lpg"}).next_due == dt.date(2026, 2, 1)
    assert _c("2300", dt.date(2022, 2, 1), params={"cylinder_kind": "corrosive"}).next_due == dt.date(2024, 2, 1)
    assert _c("8300", dt.date(2022, 2, 1)).next_due == dt.date(2025, 2, 1)
    assert _c("6200", dt.date(2022, 2, 1), {PERIODIC: dt.date(2025, 8, 9)}).next_due == dt.date(2026, 8, 9)


def test_the_application_date_is_one_calendar_month_before_even_at_a_month_end():
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 3, 31), -1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 15)
    s = _c("3100", dt.date(2024, 3, 31))
    assert (s.next_due, s.apply_by) == (dt.date(2025, 3, 31), dt.date(2025, 2, 28))
