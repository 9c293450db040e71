"""Food sampling runs on the shared sampling flow as the sector ``food``: its objection period is 7 working days
from receipt (食品安全抽样检验管理办法 第三十五条) and its 核查处置 period comes from its own rule."""

import datetime as dt

import pytest

from jianguan.sampling import sectors, services
from jianguan.sampling.tests.factories import TODAY, at_lab, drawn_plan, supervisor, values

pytestmark = pytest.mark.django_db


def test_food_sector_is_registered_with_its_rules():
    food = sectors.get("food")
    assert (food.label, food.objection_in_working_days) == ("食品安全监督抽检", True)
    # Friday 4 December 2026 (not counted) + 7 working days: 7, 8, 9, 10, 11, 14, 15 December
    assert food.objection_deadline(dt.date(2026, 12, 4)) == dt.date(2026, 12, 15)
    assert food.rectification_deadline(dt.date(2026, 12, 4)) == dt.date(2027, 3, 4)  # 90 days


def test_a_food_sample_served_before_national_day_can_be_objected_to_until_12_october(org):
    user = supervisor()
    plan = drawn_plan(user, sector="food", code="SPCJ-F-1")
    sample = services.result_record(actor=user, sample=at_lab(user, plan.samples.order_by("id").first()),
                                    values=values(plan.standard, 过滤效率=("80", "%")), lab="中心", report_no="R",
                                    tested_on=dt.date(2026, 9, 20), today=TODAY)
    sample = services.result_served(actor=user, sample=sample, served_on=dt.date(2026, 9, 24), today=TODAY)
    # 25, 28, 29, 30 September; National Day holiday 1–7 October; 8, 9, 12 October
    assert sample.objection_deadline == dt.date(2026, 10, 12)
    with pytest.raises(services.ValidationFailed) as exc:
        services.objection_file(actor=user, sample=sample, on=dt.date(2026, 10, 13), today=TODAY)
    assert "食品安全监督抽检" in exc.value.message
