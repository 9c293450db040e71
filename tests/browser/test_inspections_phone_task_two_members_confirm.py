"""On a phone-sized screen an inspector records the result of a drawn task, the other member of the team confirms
it, and the consequence ("unreachable at the registered address" → a proposed abnormal-list listing) appears."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD
from jianguan.inspections.models import TaskStatus
from jianguan.inspections.tests import factories

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _phone_login(browser, base_url, user):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base_url}/workbench/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    return context, page


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_both_members_confirm_a_result_on_a_phone(browser, live_server, org):
    head = factories.head()
    a = factories.inspector("insp_a", name="检查员甲")
    b = factories.inspector("insp_b", name="检查员乙")
    factories.entities(4, risk="D")
    batch = factories.batch(
        head, factories.plan(head, quota_overrides={"A": 0, "B": 0, "C": 0, "D": 1}), step="published"
    )
    task = batch.tasks.get()

    ctx_a, page_a = _phone_login(browser, live_server.url, a)
    page_a.goto(f"{live_server.url}/workbench/inspections/tasks/")
    page_a.get_by_role("link", name=task.entity.name).first.click()
    expect(page_a.get_by_role("heading", name=task.entity.name)).to_be_visible()
    assert _fits_the_screen(page_a), "the task page needs no horizontal scrolling on a phone"
    page_a.get_by_label("检查日期").fill(dt.date.today().isoformat())
    page_a.get_by_label("检查结果").first.select_option("unreachable")
    page_a.get_by_role("button", name="保存检查结果").click()
    assert page_a.locator(".invalid-feedback, .alert-danger").count() == 0, page_a.locator(
        ".invalid-feedback, .alert-danger"
    ).all_inner_texts()
    expect(page_a.get_by_test_id("task-status")).to_contain_text("待确认")
    screenshot(page_a, "inspections-task-phone")
    ctx_a.close()

    ctx_b, page_b = _phone_login(browser, live_server.url, b)
    page_b.goto(f"{live_server.url}/workbench/inspections/tasks/{task.pk}/")
    assert _fits_the_screen(page_b)
    page_b.get_by_role("button", name="确认检查结果").click()
    expect(page_b.get_by_test_id("task-status")).to_contain_text("已确认")
    expect(page_b.get_by_test_id("consequences")).to_contain_text("列入经营异常名录建议")
    ctx_b.close()

    task.refresh_from_db()
    assert task.status == TaskStatus.CONFIRMED
    assert all(m.confirmed_at for m in task.members.all())
