"""A monitored outlet reports a day's prices on the portal; the next day's egg price rises 40 %: the price supervisor
sees the alert on the home card, opens it with the price series as evidence and follows it to the enforcement lead;
the public price board shows the goods (no outlet names); the alert page reads on a phone."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(org):
    from jianguan.credit.tests.factories import enterprise_account
    from jianguan.prices import services
    from jianguan.prices.tests.factories import goods, outlet, supervisor

    user = supervisor("jg_browser")
    o = outlet(actor=user, name="平顶山市丹尼斯百货有限公司")
    eggs = goods("LS05")
    for back, price in ((4, "5.00"), (3, "5.10"), (2, "5.05")):
        services.report_submit(
            actor=user,
            outlet=o,
            goods=eggs,
            price=Decimal(price),
            price_unit=eggs.price_unit,
            reported_on=dt.date.today() - dt.timedelta(days=back),
        )
    enterprise_account(o.entity, username="ent_dns")
    return o


def test_outlet_reports_a_spike_and_the_supervisor_follows_it_to_the_lead(page, world):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/account/login/")
    page.get_by_label("账号").fill("ent_dns")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{page.base_url}/prices/report/")
    page.get_by_label("价格日期").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("鸡蛋（元/500克）").fill("7.00")
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_test_id("recent-reports")).to_contain_text("7.00")
    page.goto(f"{page.base_url}/prices/")
    expect(page.get_by_test_id("price-board")).to_contain_text("鸡蛋")
    expect(page.get_by_test_id("price-board")).not_to_contain_text("丹尼斯")
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("jg_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    expect(page.get_by_test_id("prices-card")).to_contain_text("仍在异常的价格预警 1 条")
    page.get_by_test_id("prices-card").get_by_text("仍在异常的价格预警").click()
    page.get_by_role("link", name="平顶山市丹尼斯百货有限公司").click()
    expect(page.get_by_test_id("alert-series")).to_contain_text("7.00")
    screenshot(page, "prices-alert-1366")
    page.get_by_test_id("alert-lead").get_by_role("link").click()
    expect(page.get_by_text("涉嫌哄抬价格")).to_be_visible()
    page.go_back()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "prices-alert-390")
