"""An equipment supervisor sees an overdue lift on the home card, opens the overdue list, hands the lift to
enforcement in one click, is refused an inspection dated before commissioning, records the real inspection and
sees the next due date and the application date move; the public then finds the lift by its address."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import make_overdue_lift, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue_lift(org):
    return make_overdue_lift("tz_browser")


def test_supervisor_acts_on_an_overdue_lift_and_records_its_inspection(page, overdue_lift):
    from jianguan.enforcement.models import Lead

    today = timezone.localdate()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("tz_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    card = page.get_by_test_id("equipment-due")
    expect(card).to_contain_text("超期未检 1 台")
    card.get_by_role("link", name="超期未检 1 台").click()
    expect(page.get_by_test_id("due-list")).to_contain_text(overdue_lift.code)
    screenshot(page, "equipment-overdue-list")
    page.get_by_role("button", name="移送线索").click()
    expect(page.locator(".alert-success")).to_contain_text("已移送执法线索")
    assert Lead.objects.filter(entity=overdue_lift.entity).count() == 1

    page.goto(f"{page.base_url}/workbench/equipment/{overdue_lift.pk}/")
    form = page.get_by_test_id("inspection-form")
    form.get_by_label("检验种类").select_option("self_test")
    form.get_by_label("检验日期").fill((overdue_lift.commissioned_on - dt.timedelta(days=3)).isoformat())
    form.get_by_label("检验机构").fill("平顶山市安达电梯工程有限公司")
    form.get_by_label("检验结论").select_option("passed")
    form.get_by_role("button", name="保存检验记录").click()
    expect(page.locator(".alert-danger")).to_contain_text("早于投入使用日期")

    form = page.get_by_test_id("inspection-form")
    form.get_by_label("检验种类").select_option("self_test")
    form.get_by_label("检验日期").fill(today.isoformat())
    form.get_by_label("检验机构").fill("平顶山市安达电梯工程有限公司")
    form.get_by_label("检验结论").select_option("passed")
    form.get_by_role("button", name="保存检验记录").click()
    expect(page.locator(".alert-success")).to_contain_text("检验记录已登记")
    next_due = (
        today.replace(year=today.year + 1)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year + 1, 2, 28)
    )
    expect(page.get_by_test_id("next-due")).to_contain_text(next_due.isoformat())
    expect(page.get_by_test_id("inspections")).to_contain_text("自行检测")
    screenshot(page, "equipment-device")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "equipment-device-phone")

    page.goto(f"{page.base_url}/equipment/lifts/?address=金色家园3号楼")
    expect(page.get_by_test_id("lift-status")).to_contain_text("检验合格，在有效期内")
    screenshot(page, "equipment-public-lifts-phone")
