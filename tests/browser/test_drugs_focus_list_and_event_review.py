"""A drug supervisor puts a pharmacy's children's cosmetic on the focus list through the register's entry form,
then opens an adverse-event report from the home card, reads its review deadline and completes the review; the
report page reads on a phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(org):
    from jianguan.drugs.tests.factories import event, pharmacy, supervisor

    user = supervisor("yp_browser")
    firm, _licence = pharmacy(name="平顶山市仁和大药房有限公司")
    report = event(actor=user, reporter=firm, received_on=dt.date(2026, 9, 24))
    return firm, report


def test_supervisor_lists_a_focus_product_and_reviews_a_report(page, world):
    firm, report = world
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("yp_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    expect(page.get_by_test_id("drugs-card")).to_contain_text("待审核评价的不良反应/事件报告 1 份")
    page.goto(f"{page.base_url}/workbench/drugs/focus/new/")
    page.get_by_label("重点品种类别").select_option("child_cosmetic")
    page.get_by_label("品名").fill("儿童润肤霜")
    page.get_by_label("批准文号/注册证编号/备案编号").fill("豫G妆网备字2024000123")
    page.get_by_label("经营/使用单位统一社会信用代码").fill(firm.uscc)
    page.get_by_label("列入日期").fill("2026-03-01")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("平顶山市仁和大药房有限公司")).to_be_visible()
    page.goto(f"{page.base_url}/workbench/")
    expect(page.get_by_test_id("drugs-card")).to_contain_text("重点监管品种经营/使用单位 1 家")
    page.get_by_test_id("drugs-card").get_by_text("待审核评价的不良反应/事件报告").click()
    page.get_by_role("link", name="药品不良反应").first.click()
    expect(page.get_by_test_id("review-due")).to_contain_text("2026年9月30日")
    screenshot(page, "drugs-event-1366")
    page.get_by_label("审核评价意见").fill("可能有关，已上报省中心")
    page.get_by_role("button", name="完成审核评价").click()
    expect(page.get_by_test_id("event-status")).to_contain_text("已审核评价")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "drugs-event-390")
