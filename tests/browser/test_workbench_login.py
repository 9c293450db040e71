"""A demo inspector logs in and sees the workbench; a user of another district cannot see the first one's unit."""

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username, password=PASSWORD):
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_inspector_logs_in_and_sees_the_workbench(page, station_inspector):
    _login(page, "station_inspector")
    page.wait_for_url("**/workbench/")
    assert page.get_by_test_id("home-unit").inner_text() == "新华区西高皇市场监管所"
    assert "检查人员" in page.content()
    screenshot(page, "workbench-home")
    page.get_by_test_id("home-unit").get_by_role("link").click()
    expect(page.get_by_role("heading", name="新华区西高皇市场监管所")).to_be_visible()


def test_other_district_user_cannot_open_the_first_units_page(page, station_inspector, other_district_officer):
    _login(page, "other_officer")
    page.wait_for_url("**/workbench/")
    response = page.goto(f"{page.base_url}/workbench/units/41040201/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    assert "西高皇" not in page.content()


def test_wrong_password_shows_a_chinese_error(page, station_inspector):
    _login(page, "station_inspector", "wrong-password")
    assert page.get_by_role("alert").inner_text().strip() == "用户名或密码错误。"
