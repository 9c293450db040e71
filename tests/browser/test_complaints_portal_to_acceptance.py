"""A consumer files a complaint on the portal (choosing the business fills its address and district; the captcha can
be refreshed; the receipt can be printed), a handler of the supervising station's district accepts it, and the
consumer sees 已受理 on the tracking page."""

import re

import pytest
from playwright.sync_api import expect

from jianguan.complaints.tests.factories import business, handler
from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consumer_files_handler_accepts_consumer_follows(page, org, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shop = business("41040202", name="平顶山市焦店便民超市有限公司")
    station_handler = handler("jd_handler", "41040202")

    page.goto(f"{page.base_url}/complaints/")
    page.get_by_label("投诉", exact=True).check()
    page.get_by_label("姓名").fill("李消费")
    page.get_by_label("联系电话").fill("13800000001")
    page.get_by_label("被投诉（举报）经营者").fill("焦店便民")
    page.get_by_role("option", name=re.compile("平顶山市焦店便民超市有限公司")).click()
    expect(page.get_by_label("经营者地址")).to_have_value(shop.address)
    expect(page.get_by_label("经营者所在区县")).to_have_value("410402")
    # the answer box is styled like the other fields (a form-control's height), 换一张 on its right on the same line
    answer, refresh = (
        page.locator("#id_captcha_1").bounding_box(),
        page.get_by_test_id("captcha-refresh").bounding_box(),
    )
    assert answer["height"] >= 30 and abs(refresh["y"] - answer["y"]) < 3 and refresh["x"] > answer["x"]
    challenge = page.locator("[name='captcha_0']").input_value()
    page.get_by_test_id("captcha-refresh").click()
    expect(page.locator("[name='captcha_0']")).not_to_have_value(challenge)
    expect(page.locator("img.captcha")).to_have_attribute("src", re.compile("/captcha/image/[0-9a-f]{40}/"))
    page.get_by_label("问题类别").select_option("food")
    page.get_by_label("事情经过").fill("在该超市购买的酸奶已过保质期三天。")
    page.get_by_label("涉及金额（元）").fill("35.5")
    page.locator("#id_captcha_1").fill("PASSED")
    page.get_by_test_id("submit").click()

    number = page.get_by_test_id("number").inner_text().strip()
    code = page.get_by_test_id("code").inner_text().strip()
    assert re.fullmatch(r"PDS-\d{4}-\d{6}", number) and len(code) == 6
    assert "焦店" in page.content()
    expect(page.get_by_test_id("print-receipt")).to_be_visible()

    staff_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    staff_page = staff_context.new_page()
    staff_page.goto(f"{page.base_url}/workbench/login/")
    staff_page.get_by_label("用户名").fill(station_handler.username)
    staff_page.get_by_label("密码").fill(PASSWORD)
    staff_page.get_by_role("button", name="登录").click()
    staff_page.wait_for_url("**/workbench/")
    staff_page.get_by_test_id("complaints-due").get_by_role("link", name=number).click()
    assert staff_page.get_by_test_id("unit").inner_text().startswith(shop.unit.name)
    staff_page.get_by_role("button", name="受理", exact=True).click()
    expect(staff_page.get_by_test_id("status")).to_have_text("已受理（调解中）")
    staff_context.close()

    page.goto(f"{page.base_url}/complaints/track/")
    page.get_by_label("投诉举报编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("tracking-status")).to_have_text("已受理（调解中）")
    assert "已受理您的投诉" in page.get_by_test_id("tracking-history").inner_text()
    screenshot(page, "complaints-tracking")
