"""A food supervisor opens a cold-chain batch, starts a recall from the importer, sees every holder with its task
clocks; the cold store's enterprise account sees its tasks on the portal and reports on sealing its stock; the
supervisor finds the report on the trace page and confirms it, and the home card counts what is left; the trace
page reads on a phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chain(org):
    from jianguan.coldchain.tests.factories import batch, hand_over, supervisor
    from jianguan.credit.tests.factories import enterprise_account
    from jianguan.registry.tests.factories import EntityFactory

    user = supervisor("sp_browser")
    b = batch(actor=user, quantity="1000")
    store = EntityFactory(name="平顶山市鹰城冷链物流有限公司")
    hand_over(actor=user, batch=b, src=b.importer, dst=store, quantity="800")
    hand_over(
        actor=user,
        batch=b,
        src=store,
        dst=EntityFactory(name="平顶山市新华区味道餐馆"),
        quantity="50",
        on=dt.date(2026, 11, 5),
    )
    enterprise_account(store, username="ent_yingcheng")
    return b


def test_supervisor_recalls_a_batch_and_completes_a_holders_task(page, chain):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("sp_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.goto(f"{page.base_url}/workbench/coldchain/batch/{chain.pk}/")
    page.get_by_label("原因").select_option("recall")
    page.get_by_role("button", name="追溯到全部持有单位并下发处置任务").click()
    page.wait_for_url("**/traces/*/")
    expect(page.get_by_test_id("trace-holder")).to_have_count(3)
    expect(page.get_by_test_id("incident-status")).to_contain_text("处置中")
    screenshot(page, "coldchain-trace-1366")
    trace_url = page.url

    page.context.clear_cookies()  # the cold store, on the portal
    page.goto(f"{page.base_url}/account/login/")
    page.get_by_label("账号").fill("ent_yingcheng")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{page.base_url}/coldchain/tasks/")
    expect(page.get_by_test_id("holder-tasks")).to_contain_text("封存在库产品")
    page.get_by_label(f"{chain.tracing_code} 封存在库产品 处置情况").fill("已封存 750kg")
    page.get_by_label(f"{chain.tracing_code} 封存在库产品 处置情况").press("Enter")
    expect(page.get_by_test_id("holder-tasks")).to_contain_text("已报告，待确认")

    page.context.clear_cookies()  # the supervisor confirms the report
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("sp_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.goto(trace_url)
    expect(page.get_by_test_id("holder-report")).to_contain_text("已封存 750kg")
    field = page.get_by_label("平顶山市鹰城冷链物流有限公司 封存在库产品 处置结果")
    expect(field).to_have_value("已封存 750kg")
    field.press("Enter")
    expect(page.get_by_test_id("trace-holder").filter(has_text="平顶山市鹰城冷链物流有限公司")).to_contain_text(
        "已完成"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "coldchain-trace-390")
    page.goto(f"{page.base_url}/workbench/")
    expect(page.get_by_test_id("coldchain-tasks")).to_contain_text("待完成处置任务")
