"""One lockout for every door (#14 findings 1, 8, 9): the workbench, /admin/ and the portal count the same failures,
refuse a locked account even with the right password, throttle an address that tries many accounts, and audit
every attempt with its address."""

import pytest
from django.test import Client

from jianguan.core.models import AuditEntry, SecurityPolicy
from jianguan.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(path: str, username: str, n: int, ip: str = "198.51.100.7") -> None:
    c = Client(REMOTE_ADDR=ip)
    for _ in range(n):
        c.post(path, {"username": username, "password": "wrong-password-0"})


def test_admin_login_refuses_an_account_locked_at_the_workbench(sysadmin):
    _fail("/workbench/login/", sysadmin.username, 5)
    c = Client(REMOTE_ADDR="198.51.100.8")
    r = c.post("/admin/login/", {"username": sysadmin.username, "password": PASSWORD})
    assert r.status_code == 200 and not _logged_in(c)
    assert "锁定" in r.content.decode()


def test_wrong_passwords_at_admin_login_lock_the_workbench_too(sysadmin):
    _fail("/admin/login/", sysadmin.username, 5)
    c = Client(REMOTE_ADDR="198.51.100.8")
    r = c.post("/workbench/login/", {"username": sysadmin.username, "password": PASSWORD})
    assert r.status_code == 200 and not _logged_in(c) and "锁定" in r.content.decode()


def test_admin_login_works_when_not_locked(sysadmin):
    c = Client(REMOTE_ADDR="198.51.100.8")
    r = c.post("/admin/login/", {"username": sysadmin.username, "password": PASSWORD})
    assert r.status_code == 302 and _logged_in(c)


def test_one_address_trying_many_usernames_is_throttled(city_leader):
    limit = SecurityPolicy.current().max_failed_logins_per_ip
    for i in range(limit):
        _fail("/workbench/login/", f"guess{i}", 1, ip="203.0.113.9")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    attacker.post("/workbench/login/", {"username": city_leader.username, "password": PASSWORD})
    assert not _logged_in(attacker)
    colleague = Client(REMOTE_ADDR="203.0.113.10")  # another address is not affected
    colleague.post("/workbench/login/", {"username": city_leader.username, "password": PASSWORD})
    assert _logged_in(colleague)


def test_portal_answers_a_right_staff_password_like_a_wrong_one(city_leader):
    c = Client(REMOTE_ADDR="198.51.100.20")
    right = c.post("/account/login/", {"username": city_leader.username, "password": PASSWORD}).content.decode()
    wrong = c.post("/account/login/", {"username": city_leader.username, "password": "wrong-password-0"}).content.decode()
    assert "工作人员请从工作台登录" not in right and not _logged_in(c)
    assert "账号或密码错误" in right and "账号或密码错误" in wrong


def test_a_nul_in_the_username_is_a_form_error_not_a_failure_row(client):
    from jianguan.core.models import LoginFailure

    r = client.post("/workbench/login/", {"username": "admin\x00", "password": "x"})
    assert r.status_code == 200
    assert not LoginFailure.objects.filter(username__startswith="admin").exists()


def test_every_login_attempt_is_audited_with_the_address(city_leader):
    c = Client(REMOTE_ADDR="198.51.100.30")
    c.post("/workbench/login/", {"username": city_leader.username, "password": "wrong-password-0"})
    c.post("/workbench/login/", {"username": city_leader.username, "password": PASSWORD})
    failed = AuditEntry.objects.get(action="core.login.failed")
    ok = AuditEntry.objects.get(action="core.login.succeeded")
    assert failed.changes == {"username": [None, city_leader.username], "ip": [None, "198.51.100.30"]}
    assert ok.actor == city_leader and ok.changes["ip"] == [None, "198.51.100.30"]
