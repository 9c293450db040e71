"""An equipment supervisor issues the 责令改正通知书 for an overdue lift from its page, downloads the PDF, finds the
order in the order list (desktop and phone widths, nothing wider than the window), and records the inspection that
corrects it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import make_overdue_lift, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue_lift(org):
    return make_overdue_lift("tz_order")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_supervisor_orders_the_correction_of_an_overdue_lift(page, overdue_lift):
    from jianguan.equipment.models import RectificationOrder

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("tz_order")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.goto(f"{page.base_url}/workbench/equipment/{overdue_lift.pk}/")
    page.get_by_test_id("order-issue").click()
    expect(page.locator(".alert-success")).to_contain_text("已制作责令改正通知书")
    order = RectificationOrder.objects.get(device=overdue_lift)
    expect(page.get_by_test_id("order")).to_contain_text(order.number)
    screenshot(page, "equipment-order-device-1366")
    _fits(page)
    with page.expect_download() as info:
        page.get_by_test_id("order").get_by_role("link", name="Word").click()
    assert info.value.suggested_filename.endswith(".docx")
    page.goto(f"{page.base_url}/workbench/equipment/orders/")
    expect(page.get_by_test_id("orders")).to_contain_text(order.number)
    screenshot(page, "equipment-orders-1366")
    _fits(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_test_id("orders")).to_contain_text(order.number)
    screenshot(page, "equipment-orders-390")
    _fits(page)
    page.goto(f"{page.base_url}/workbench/equipment/{overdue_lift.pk}/")
    screenshot(page, "equipment-order-device-390")
    _fits(page)

    page.set_viewport_size({"width": 1366, "height": 900})
    form = page.get_by_test_id("inspection-form")
    form.get_by_label("检验种类").select_option("periodic")
    form.get_by_label("检验日期").fill(timezone.localdate().isoformat())
    form.get_by_label("检验机构").fill("平顶山市特种设备检验所")
    form.get_by_label("检验结论").select_option("passed")
    form.get_by_role("button", name="保存检验记录").click()
    expect(page.get_by_test_id("order")).to_contain_text("已改正")
    order.refresh_from_db()
    assert order.status == "corrected"
