"""Per-campaign statistics (护航, 雷霆): cases, amounts, goods seized; scoped; exported for reporting up."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.enforcement.models import Campaign
from jianguan.enforcement.tests.factories import filed_case, to_decided
from jianguan.ip import selectors, services

from .conftest import FILED
from .xlsx import read

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(xh_officers, district_officer, org):
    from jianguan.enforcement.tests.factories import reviewer

    huhang, leiting = Campaign.objects.get(code="huhang"), Campaign.objects.get(code="leiting")
    legal = reviewer()
    decided = filed_case(actor=district_officer, officers=xh_officers, on=FILED, case_type="trademark",
                         campaigns=[huhang])
    services.case_facts_save(actor=district_officer, case=decided, right_kind="trademark", registration_no="4409718",
                             right_holder="某酒业", goods_seized_qty=120)
    to_decided(decided, actor=district_officer, legal=legal, fine="30000", goods_value="15000")
    open_case = filed_case(actor=district_officer, officers=xh_officers, on=FILED, case_type="counterfeit_goods",
                           campaigns=[huhang, leiting])
    services.case_facts_save(actor=district_officer, case=open_case, right_kind="trademark",
                             registration_no="12345678", right_holder="某头盔公司", goods_seized_qty=30)
    # A case of last year does not count in 2026.
    filed_case(actor=district_officer, officers=xh_officers, on=dt.date(2025, 11, 3), case_type="trademark",
               campaigns=[huhang])
    return decided, open_case


def test_figures_per_campaign(cases, ip_officer):
    rows = {r.code: r for r in selectors.campaign_statistics(ip_officer, year=2026)}
    assert rows["huhang"].cases == 2
    assert rows["huhang"].fines == Decimal("30000")
    assert rows["huhang"].goods_value == Decimal("15000")
    assert rows["huhang"].seized == 150
    assert rows["leiting"].cases == 1
    assert rows["leiting"].seized == 30
    assert rows["huhang"].units[0]["unit"] == "新华区局"


def test_period_inside_the_year_narrows_the_count(cases, ip_officer):
    rows = {r.code: r for r in selectors.campaign_statistics(ip_officer, year=2026, start=dt.date(2026, 4, 1))}
    assert rows["huhang"].cases == 0


def test_another_district_sees_zero(cases, other_district_officer):
    rows = {r.code: r for r in selectors.campaign_statistics(other_district_officer, year=2026)}
    assert rows["huhang"].cases == 0


def test_export_is_the_report_sheet(cases, ip_officer, login):
    data = login(ip_officer).get("/workbench/ip/statistics/export.xlsx?year=2026").content
    rows = read(data)
    assert rows[1][0] == "专项行动"
    huhang = next(r for r in rows if r[0] == "知识产权保护“护航”专项行动")
    assert huhang[1:4] == [2, 0, 15000]
    assert huhang[7] == 150
    assert rows[-1][0] == "合计"
    assert read(data, sheet=1)[1][:3] == ["知识产权保护“护航”专项行动", "新华区局", 2]


def test_statistics_page_query_count_is_bounded(cases, ip_officer, login, django_assert_max_num_queries):
    client = login(ip_officer)
    with django_assert_max_num_queries(18):
        response = client.get("/workbench/ip/statistics/?year=2026")
    assert "护航" in response.content.decode()


def test_case_list_query_count_does_not_grow_with_cases(cases, ip_officer, login, django_assert_max_num_queries):
    client = login(ip_officer)
    with django_assert_max_num_queries(18):
        response = client.get("/workbench/ip/cases/")
    assert "4409718" in response.content.decode()


def test_public_page_shows_only_figures(cases, client):
    html = client.get("/ip/campaigns/?year=2026").content.decode()
    assert "立案查处" in html and "2 件" in html
    assert cases[0].party_name not in html


def test_metric_functions_give_the_same_figures(cases):
    assert selectors.ip_cases_filed(year=2026) == 2
    assert selectors.campaign_cases_filed(year=2026, campaign="huhang") == 2
    assert selectors.campaign_penalties(year=2026, campaign="huhang") == Decimal("30000")


def test_work_plan_reads_the_ip_metrics_in_a_district_scope(cases, other_district_officer, district_officer):
    from jianguan.core.scope import scope_for
    from jianguan.workplan import metrics

    today = dt.date(2026, 6, 1)
    mine = metrics.Context(scope_for(district_officer), 2026, today)
    other = metrics.Context(scope_for(other_district_officer), 2026, today)
    assert metrics.compute("ip.huhang_cases", mine).value == 2
    assert metrics.compute("ip.huhang_cases", other).value == 0
    assert metrics.compute("ip.huhang_penalties", mine).value == Decimal("3.00")  # 万元
    assert metrics.get("ip.cases_filed").url(mine).startswith("/workbench/ip/cases/")
