"""Identity policy (#14): no reuse of the last N passwords, passwords that expire after M days (an expired one
opens nothing but the change page, for the three administrators too), and optionally one session per user."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from jianguan.core import services
from jianguan.core.errors import DomainError
from jianguan.core.models import AuditEntry, LoginSession, PasswordHistory, SecurityPolicy
from jianguan.core.separation import validate_new_password
from jianguan.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

P1, P2, P3, P4 = "Erste#Pass-2026", "Zweite#Pass-2026", "Dritte#Pass-2026", "Vierte#Pass-2026"


def _change(client, old, new):
    return client.post("/workbench/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_own_change_refuses_the_current_and_recent_passwords(login, city_leader, secadmin):
    services.security_policy_update(actor=secadmin, password_history_count=3)
    city_leader.set_password(PASSWORD)  # the factory writes the hash directly; this goes through User.save()
    city_leader.save()
    c = login(city_leader)
    assert _change(c, PASSWORD, P1).status_code == 302
    assert _change(c, P1, P2).status_code == 302
    for reused in (P2, P1, PASSWORD):  # the current one, the one before, the first (3 = current + 2 before)
        r = _change(c, P2, reused)
        assert r.status_code == 200, reused
        assert "不能使用最近 3 次用过的密码" in r.content.decode()
    city_leader.refresh_from_db()
    assert city_leader.check_password(P2)
    assert _change(c, P2, P3).status_code == 302
    # PASSWORD is now the 4th back: allowed again with N = 3
    assert _change(c, P3, PASSWORD).status_code == 302


def test_history_is_kept_whatever_door_the_password_came_through(org, sysadmin, city_leader):
    """The history is written by User.save() (the validator's password_changed hook), so a password set in
    /admin/ or a shell counts too, and the service check refuses it afterwards."""
    city_leader.set_password(P1)
    city_leader.save()
    city_leader.set_password(P2)
    city_leader.save()
    assert PasswordHistory.objects.filter(user=city_leader).count() == 2
    with pytest.raises(DomainError) as err:
        validate_new_password(P1, city_leader)
    assert err.value.field == "password" and "最近 5 次" in err.value.message


def test_admin_password_form_refuses_a_recent_password(login, sysadmin, city_leader):
    city_leader.set_password(P1)
    city_leader.save()
    c = login(sysadmin)
    r = c.post(f"/admin/auth/user/{city_leader.pk}/password/", {"password1": P1, "password2": P1,
                                                               "usable_password": "true"})
    assert r.status_code == 200 and "不能使用最近" in r.content.decode()
    city_leader.refresh_from_db()
    assert PasswordHistory.objects.filter(user=city_leader).count() == 1


@pytest.mark.parametrize("field,value", [
    ("password_history_count", 0), ("password_history_count", 2), ("password_history_count", 25),
    ("password_max_age_days", 0), ("password_max_age_days", 3650),
])
def test_the_identity_policy_cannot_be_switched_off(secadmin, field, value):
    with pytest.raises(DomainError) as err:
        services.security_policy_update(actor=secadmin, **{field: value})
    assert err.value.field == field
    assert getattr(SecurityPolicy.objects.get_or_create(pk=1)[0], field) == getattr(SecurityPolicy(), field)


def _age_password(user, days):
    PasswordHistory.objects.filter(user=user).delete()
    get_user_model().objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=days))
    user.refresh_from_db()


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin", "city_leader"])
def test_an_expired_password_opens_only_the_change_page(request, login, persona):
    user = request.getfixturevalue(persona)
    days = SecurityPolicy.current().password_max_age_days
    _age_password(user, days + 1)
    c = login(user)
    r = c.get("/workbench/")
    assert r.status_code == 302 and r.url.startswith("/workbench/password/?expired=1")
    page = c.get(r.url)
    assert page.status_code == 200 and f"超过安全策略规定的 {days} 天有效期" in page.content.decode()
    r = c.get("/admin/")
    assert r.status_code == 302 and r.url.startswith("/workbench/password/")
    assert c.get("/api/v1/me").status_code == 401
    # changing it opens everything again, and the change page sends the user where they were going
    r = c.post("/workbench/password/?expired=1&next=/workbench/",
               {"old_password": PASSWORD, "new_password1": P4, "new_password2": P4})
    assert r.status_code == 302 and r.url == "/workbench/"
    assert c.get("/api/v1/me").status_code == 200
    r = c.get("/workbench/")
    assert r.status_code == 200 or not r.url.startswith("/workbench/password/")


def test_a_password_within_its_age_is_not_asked_for(login, city_leader):
    _age_password(city_leader, SecurityPolicy.current().password_max_age_days - 1)
    assert login(city_leader).get("/api/v1/me").status_code == 200


def test_shortening_the_age_takes_effect_on_open_sessions(login, city_leader, secadmin):
    _age_password(city_leader, 20)
    c = login(city_leader)
    assert c.get("/api/v1/me").status_code == 200
    services.security_policy_update(actor=secadmin, password_max_age_days=14)
    assert c.get("/api/v1/me").status_code == 401


def _password_login(username):
    c = Client()
    r = c.post("/workbench/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def test_one_session_per_user_ends_the_others_and_audits_it(city_leader, secadmin):
    services.security_policy_update(actor=secadmin, single_session=True)
    first = _password_login(city_leader.username)
    assert first.get("/api/v1/me").status_code == 200
    second = _password_login(city_leader.username)
    assert second.get("/api/v1/me").status_code == 200
    assert first.get("/api/v1/me").status_code == 401
    assert first.get("/workbench/").status_code == 302
    entry = AuditEntry.objects.get(action="core.session.others_ended")
    assert entry.changes["sessions"] == [1, 0] and entry.object_id == str(city_leader.pk)
    assert LoginSession.objects.filter(user=city_leader).count() == 1


def test_without_the_switch_sessions_coexist(city_leader):
    first = _password_login(city_leader.username)
    second = _password_login(city_leader.username)
    assert first.get("/api/v1/me").status_code == 200 and second.get("/api/v1/me").status_code == 200
    assert not AuditEntry.objects.filter(action="core.session.others_ended").exists()
    first.post("/workbench/logout/")
    assert LoginSession.objects.filter(user=city_leader).count() == 1


def test_the_policy_page_sets_the_identity_fields(login, secadmin):
    r = login(secadmin).post("/workbench/security/", {
        "min_password_length": 10, "min_character_classes": 3, "session_idle_minutes": 60,
        "session_absolute_minutes": 720, "max_failed_logins": 5, "max_failed_logins_per_ip": 20,
        "lockout_minutes": 15, "password_history_count": 8, "password_max_age_days": 60, "single_session": "on",
    })
    assert r.status_code == 302
    policy = SecurityPolicy.objects.get(pk=1)
    assert (policy.password_history_count, policy.password_max_age_days, policy.single_session) == (8, 60, True)
    entry = AuditEntry.objects.filter(action="core.security.policy_updated").latest("pk")
    assert entry.changes["password_max_age_days"] == [90, 60]
