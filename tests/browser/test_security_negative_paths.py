"""Negative paths an assessor walks in a browser (#14): the lockout after repeated failures (also at /admin/),
an administrator held at the 2FA enrolment until a first code is entered, and a forbidden page."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from jianguan.core.models import SecurityPolicy
from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username, password=PASSWORD, path="/workbench/login/"):
    page.goto(f"{page.base_url}{path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.locator("form [type=submit]").first.click()


def test_the_lockout_refuses_the_right_password_at_both_doors(page, station_inspector):
    for _ in range(SecurityPolicy.current().max_failed_logins):
        _login(page, "station_inspector", "wrong-password-0")
    _login(page, "station_inspector")
    assert "锁定" in page.get_by_role("alert").inner_text()
    screenshot(page, "security-lockout")
    _login(page, "station_inspector", path="/admin/login/")
    assert "/admin/login/" in page.url and "锁定" in page.content()


def test_an_administrator_must_enrol_a_second_factor_first(page, sysadmin):
    _login(page, sysadmin.username)
    page.wait_for_url("**/workbench/2fa/**")
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    screenshot(page, "security-2fa-enrol")
    page.goto(f"{page.base_url}/workbench/staff/")
    assert "/workbench/2fa/" in page.url  # nothing else is reachable yet
    device = TOTPDevice.objects.get(user=sysadmin, confirmed=False)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("动态验证码或恢复码").fill(f"{code:06d}")
    page.get_by_role("button", name="完成绑定").click()
    page.get_by_test_id("recovery-codes").wait_for()  # count() does not wait for the answer to the post
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    screenshot(page, "security-2fa-codes")
    page.get_by_role("link", name="我已保存，继续").click()
    page.goto(f"{page.base_url}/workbench/staff/")
    assert page.url.endswith("/workbench/staff/")


def test_an_inspector_gets_a_chinese_403_on_the_audit_log(page, station_inspector):
    _login(page, "station_inspector")
    page.wait_for_url("**/workbench/")
    response = page.goto(f"{page.base_url}/workbench/audit/")
    assert response.status == 403 and "无权访问" in page.content()
