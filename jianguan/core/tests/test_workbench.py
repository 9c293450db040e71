"""The workbench shell: login, navigation by role, the three administrators' separation, lockout, query counts."""

import pytest
from django.test import Client

from jianguan.core.demo import DEMO_PASSWORD, demo_staff_specs
from jianguan.core.models import AuditEntry, SecurityPolicy
from jianguan.core.roles import ADMIN_ROLES

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    body = client.get("/workbench/login/").content.decode()
    assert "登录" in body and "用户名" in body and 'lang="zh-hans"' in body


def test_anonymous_is_sent_to_login(client):
    r = client.get("/workbench/")
    assert r.status_code == 302 and r.url.startswith("/workbench/login/")


def test_every_demo_login_reaches_its_workbench():
    import datetime as dt
    import io

    from jianguan.core.demo import demo_core

    demo_core(today=dt.date(2026, 6, 15), stdout=io.StringIO())  # the logins; the demo's idempotence and its data
    # on each persona's pages are test_demo_command's and tests/browser/test_persona_sweep's
    for spec in demo_staff_specs():
        c = Client()
        r = c.post("/workbench/login/", {"username": spec["username"], "password": DEMO_PASSWORD})
        assert r.status_code == 302, spec["username"]
        if set(spec["roles"]) & ADMIN_ROLES:  # the three administrators pass a second factor first (#14)
            assert c.get("/workbench/").url.startswith("/workbench/2fa/"), spec["username"]
            continue
        home = c.get("/workbench/")
        assert home.status_code == 200, spec["username"]
        assert "我的单位与角色" in home.content.decode()


def test_navigation_follows_roles(login, station_inspector, sysadmin, auditadmin):
    inspector_home = login(station_inspector).get("/workbench/").content.decode()
    assert "审计日志" not in inspector_home and "组织机构" not in inspector_home
    admin_home = login(sysadmin).get("/workbench/").content.decode()
    assert "组织机构" in admin_home and "审计日志" not in admin_home
    audit_home = login(auditadmin).get("/workbench/").content.decode()
    assert "审计日志" in audit_home and "组织机构" not in audit_home


@pytest.mark.parametrize(
    "path",
    [
        "/workbench/org/",
        "/workbench/staff/",
        "/workbench/calendar/",
        "/workbench/rules/",
        "/workbench/audit/",
        "/workbench/security/",
    ],
)
def test_an_inspector_gets_a_chinese_403_on_admin_pages(login, station_inspector, path):
    r = login(station_inspector).get(path)
    assert r.status_code == 403 and "无权访问" in r.content.decode()


def test_three_administrators_are_separate(login, sysadmin, auditadmin, secadmin):
    assert login(sysadmin).get("/workbench/audit/").status_code == 403
    assert login(sysadmin).get("/workbench/security/").status_code == 403
    assert login(auditadmin).get("/workbench/audit/").status_code == 200
    assert login(auditadmin).get("/workbench/staff/").status_code == 403
    assert login(secadmin).get("/workbench/security/").status_code == 200
    assert login(secadmin).get("/workbench/audit/").status_code == 403


def test_audit_admin_can_verify_the_chain_from_the_workbench(login, auditadmin, sysadmin):
    from jianguan.core import services

    services.security_policy_update(actor=sysadmin, lockout_minutes=20)
    body = login(auditadmin).get("/workbench/audit/?verify=1").content.decode()
    assert "哈希链完整" in body


def test_security_admin_changes_the_policy_and_it_is_audited(login, secadmin):
    r = login(secadmin).post(
        "/workbench/security/",
        {"min_password_length": 12, "min_character_classes": 3, "session_idle_minutes": 30,
         "session_absolute_minutes": 600, "max_failed_logins": 3, "max_failed_logins_per_ip": 20, "lockout_minutes": 10,
         "password_history_count": 5, "password_max_age_days": 90},
    )
    assert r.status_code == 302
    assert SecurityPolicy.current().min_password_length == 12
    entry = AuditEntry.objects.get(action="core.security.policy_updated")
    assert entry.changes["min_password_length"] == [10, 12]


def test_lockout_after_repeated_failures(station_inspector, password):
    c = Client()
    for _ in range(SecurityPolicy.current().max_failed_logins):
        c.post("/workbench/login/", {"username": "station_inspector", "password": "wrong"})
    r = c.post("/workbench/login/", {"username": "station_inspector", "password": password})
    assert r.status_code == 200 and "锁定" in r.content.decode()


def test_password_change_is_audited(client, station_inspector, password):
    client.login(username="station_inspector", password=password)
    r = client.post(
        "/workbench/password/",
        {"old_password": password, "new_password1": "Another-Long-Pass-42", "new_password2": "Another-Long-Pass-42"},
    )
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="core.user.password_changed", actor=station_inspector).exists()


def test_short_password_refused_by_policy(client, station_inspector, password):
    client.login(username="station_inspector", password=password)
    r = client.post(
        "/workbench/password/", {"old_password": password, "new_password1": "Ab3$xyz", "new_password2": "Ab3$xyz"}
    )
    assert r.status_code == 200 and "密码太短" in r.content.decode()


def test_sysadmin_creates_staff_through_the_workbench(login, sysadmin, org):
    r = login(sysadmin).post(
        "/workbench/staff/new/",
        {
            "username": "new_inspector",
            "full_name": "新检查员",
            "staff_code": "410402-900",
            "unit": org["41040201"].pk,
            "roles": ["inspector"],
            "password": "a-very-long-pass-1",
        },
    )
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="core.staff.created").exists()
    dup = login(sysadmin).post(
        "/workbench/staff/new/",
        {
            "username": "new_inspector",
            "full_name": "重复",
            "staff_code": "410402-901",
            "unit": org["41040201"].pk,
            "roles": ["inspector"],
        },
    )
    assert dup.status_code == 200 and "已存在" in dup.content.decode()


def test_calendar_page_edits_days(login, sysadmin):
    c = login(sysadmin)
    r = c.post(
        "/workbench/calendar/?year=2026&month=3",
        {"action": "set", "day-date": "2026-03-03", "day-is_workday": "0", "day-note": "测试"},
    )
    assert r.status_code == 302
    import datetime as dt

    from jianguan.core import workdays

    assert not workdays.is_workday(dt.date(2026, 3, 3))
    page = c.get("/workbench/calendar/?year=2026&month=3").content.decode()
    assert "测试" in page


def test_staff_list_query_count_does_not_grow_with_rows(login, sysadmin, org, django_assert_max_num_queries):
    from jianguan.core.tests.factories import staff

    c = login(sysadmin)
    c.get("/workbench/staff/")  # warm caches (session, policy)
    with django_assert_max_num_queries(13) as few:  # 13th: the session's verified OTP device (an administrator)
        c.get("/workbench/staff/")
    for i in range(30):
        staff(f"bulk{i}", "41040201", ["inspector", "case_officer"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = c.get("/workbench/staff/")
    assert r.status_code == 200 and "bulk29" in r.content.decode()


def test_audit_log_query_count_does_not_grow_with_rows(login, auditadmin, sysadmin, django_assert_max_num_queries):
    from jianguan.core import audit

    c = login(auditadmin)
    audit.record(actor=sysadmin, action="x.y", object_type="t", object_id="0")
    c.get("/workbench/audit/")
    with django_assert_max_num_queries(12) as few:
        c.get("/workbench/audit/")
    for i in range(40):
        audit.record(actor=sysadmin, action="x.y", object_type="t", object_id=str(i), unit=sysadmin.profile.unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get("/workbench/audit/").status_code == 200


def test_org_tree_query_count_is_constant(login, sysadmin, django_assert_max_num_queries):
    c = login(sysadmin)
    c.get("/workbench/org/")
    with django_assert_max_num_queries(10):
        r = c.get("/workbench/org/")
    assert "新华区西高皇市场监管所" in r.content.decode()


def test_unit_page_query_count_is_constant(login, district_officer, django_assert_max_num_queries):
    from jianguan.core.tests.factories import staff

    c = login(district_officer)
    c.get("/workbench/units/410402/")
    with django_assert_max_num_queries(14) as few:
        c.get("/workbench/units/410402/")
    for i in range(10):
        staff(f"member{i}", "410402", ["inspector"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get("/workbench/units/410402/")


def test_healthz_reports_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["database"] == "ok"


def test_an_english_browser_gets_the_same_chinese_pages(login, station_inspector, client):
    # The workbench is not translated: no page may come half in English (the shell) and half in Chinese (the work).
    body = client.get("/workbench/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录" in body and "Sign in" not in body
    c = login(station_inspector)
    body = c.get("/workbench/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "我的单位与角色" in body and "退出" in body and "My unit and roles" not in body


def test_there_is_no_language_switch(login, station_inspector):
    c = login(station_inspector)
    assert c.post("/i18n/setlang/", {"language": "en", "next": "/workbench/"}).status_code == 404
    assert "django_language" not in c.cookies
    assert "/i18n/" not in c.get("/workbench/").content.decode()
