"""The quality officer plans a park visit, records it with a problem, sees the follow-up deadline and the park's
coverage; a test report dated after the lab's accreditation expired is refused on the form."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD, staff

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(org):
    from jianguan.core.models import Division, OrgUnit
    from jianguan.quality import services
    from jianguan.registry.tests.factories import EntityFactory

    officer = staff("zl_browser", "410400ZL", ["quality_officer", "certification_supervisor"], credential=False)
    services.park_create(actor=officer, name="宝丰县产业集聚区", division="410421", enterprises=10)
    firm = EntityFactory(
        name="宝丰某电缆有限公司", unit=OrgUnit.objects.get(code="410421"), division=Division.objects.get(code="410421")
    )
    services.testing_institution_create(
        actor=officer,
        entity=EntityFactory(name="平顶山某检测技术有限公司"),
        cma_no="161612050001",
        scope=["导体电阻"],
        issued_on=dt.date(2020, 5, 10),
    )
    return firm


def test_visit_is_planned_recorded_and_counted_and_an_expired_lab_is_refused(page, setup):
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("zl_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    nav = page.get_by_test_id("nav")
    nav.get_by_role("link", name="走访计划").click()
    page.get_by_test_id("register-new").click()
    page.get_by_label("园区名称").fill("宝丰县产业集聚区")
    page.get_by_label("企业统一社会信用代码").fill(setup.uscc)
    page.get_by_label("计划走访日期").fill("2026-03-02")
    page.get_by_label("走访人员").fill("王建国、李红梅")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("register-table").get_by_role("link", name="宝丰县产业集聚区").click()
    page.get_by_label("走访日期").fill("2026-03-02")
    page.get_by_label("发现问题数").fill("1")
    page.get_by_label("发现的问题").fill("出厂检验记录不完整")
    page.get_by_label("帮扶措施").fill("指导建立出厂检验台账")
    page.get_by_role("button", name="保存走访记录").click()
    assert page.get_by_test_id("visit-status").inner_text() == "已走访（待回访）"
    assert page.get_by_test_id("follow-up-due").inner_text() == "2026-04-01"
    screenshot(page, "quality-visit")
    nav.get_by_role("link", name="园区覆盖情况").click()
    page.get_by_label("年度").fill("2026")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("coverage").get_by_text("10.0%")).to_be_visible()

    nav.get_by_role("link", name="检验检测报告").click()
    page.get_by_test_id("register-new").click()
    page.get_by_label("资质认定证书编号").fill("161612050001")
    page.get_by_label("报告编号").fill("JC-1")
    page.get_by_label("检验检测项目").fill("导体电阻")
    page.get_by_label("样品/对象").fill("BV 2.5 电线")
    page.get_by_label("报告日期").fill("2026-06-01")
    page.get_by_label("结论").select_option("fail")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("不在有效期内")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "quality-report-refused-phone")
