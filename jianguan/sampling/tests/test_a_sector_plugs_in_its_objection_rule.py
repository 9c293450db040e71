"""Another sector (food, later) plugs its own objection period into the same flow: here 7 working days."""

import datetime as dt

import pytest

from jianguan.core.rules import RULES, define
from jianguan.sampling import sectors, services

from .factories import TODAY, at_lab, drawn_plan, supervisor, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def working_day_sector():
    define("sampling.test_objection_days", 7, "测试领域异议期（工作日）", source="本测试的本平台默认值", confidence="U")
    sector = sectors.register(sectors.Sector(code="testfood", label="测试抽检", objection_rule="sampling.test_objection_days",
                                             objection_in_working_days=True))
    yield sector
    sectors.SECTORS.pop("testfood", None)
    RULES.pop("sampling.test_objection_days", None)  # the registry is process-wide: leave it as the apps declared it


def test_a_working_day_objection_period_skips_the_national_day_holiday(org, working_day_sector):
    user = supervisor()
    plan = drawn_plan(user, sector="testfood", code="SPCJ-T-1")
    sample = services.result_record(actor=user, sample=at_lab(user, plan.samples.order_by("id").first()),
                                    values=values(plan.standard, 过滤效率=("80", "%")), lab="中心", report_no="R",
                                    tested_on=dt.date(2026, 9, 20), today=TODAY)
    sample = services.result_served(actor=user, sample=sample, served_on=dt.date(2026, 9, 24), today=TODAY)
    # 7 working days from Thursday 24 September 2026 (not counted): 25, 28, 29, 30 September, then the National Day
    # holiday 1–7 October and Saturday 10 October not a working day: 8, 9, 12 October
    assert sample.objection_deadline == dt.date(2026, 10, 12)
    with pytest.raises(services.ValidationFailed) as exc:
        services.objection_file(actor=user, sample=sample, on=dt.date(2026, 10, 13), today=TODAY)
    assert "测试抽检" in exc.value.message
