"""A metrology supervisor sees an overdue fuel dispenser on the home card, opens the overdue list and its page,
records the verification, and sees the next due date six months on; the list no longer holds it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue_dispenser(org):
    from jianguan.core.tests.factories import staff
    from jianguan.metrology import services
    from jianguan.registry.tests.factories import EntityFactory

    user = staff("jl_browser", "410400JL", ["metrology_supervisor"], name="计量监管员")
    today = timezone.localdate()
    instrument = services.instrument_register(
        actor=user,
        serial="JYJ-B-001",
        kind="fuel_dispenser",
        owner=EntityFactory(),
        location="建设路加油站 3 号枪",
        commissioned_on=today - dt.timedelta(days=400),
        today=today,
    )
    services.verification_record(
        actor=user,
        instrument=instrument,
        verified_on=today - dt.timedelta(days=200),
        body="平顶山市计量测试所",
        certificate_no="JD-OLD",
        conclusion="passed",
        today=today,
    )
    return instrument


def test_supervisor_records_the_verification_of_an_overdue_dispenser(page, overdue_dispenser):
    today = timezone.localdate()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("jl_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.get_by_test_id("metrology-due").get_by_role("link", name="超期未检 1 台").click()
    expect(page.get_by_test_id("instruments")).to_contain_text("JYJ-B-001")
    page.get_by_role("link", name="JYJ-B-001").click()
    expect(page.get_by_test_id("next-due")).to_contain_text("超期未检")
    page.get_by_label("检定日期").fill(today.isoformat())
    page.get_by_label("检定机构").fill("平顶山市计量测试所")
    page.get_by_label("检定证书/通知书编号").fill("JD-2026-0099")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("检定记录已登记")
    expect(page.get_by_test_id("next-due")).not_to_contain_text("超期未检")
    screenshot(page, "metrology-instrument")
    page.goto(f"{page.base_url}/workbench/metrology/?due=overdue")
    expect(page.locator(".alert-secondary")).to_contain_text("没有符合条件的器具")
