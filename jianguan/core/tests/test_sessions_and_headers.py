"""Sessions end on the policy's idle and absolute limits wherever a staff session is used, and the headers and
cookies an assessor checks are there (#14 findings 6 and 10)."""

import time

import pytest

from jianguan.core import services
from jianguan.core.errors import DomainError
from jianguan.core.models import SecurityPolicy

pytestmark = pytest.mark.django_db


def _age_session(client, *, idle: int = 0, lived: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session["last_seen"] = now - idle
    session["login_at"] = now - lived
    session.save()


def test_the_api_refuses_a_session_idle_past_the_limit(login, city_leader):
    c = login(city_leader)
    assert c.get("/api/v1/me").status_code == 200
    _age_session(c, idle=SecurityPolicy.current().session_idle_minutes * 60 + 5)
    r = c.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert c.get("/workbench/").status_code == 302  # and the session is gone


def test_a_session_past_its_absolute_limit_ends_even_when_busy(login, city_leader):
    c = login(city_leader)
    _age_session(c, idle=0, lived=SecurityPolicy.current().session_absolute_minutes * 60 + 5)
    r = c.get("/workbench/")
    assert r.status_code == 302 and "/workbench/login/" in r.url


def test_an_htmx_request_after_the_idle_limit_sends_the_whole_page_to_the_login(login, city_leader):
    c = login(city_leader)
    _age_session(c, idle=SecurityPolicy.current().session_idle_minutes * 60 + 5)
    r = c.get("/workbench/notifications/badge/", HTTP_HX_REQUEST="true",
              HTTP_HX_CURRENT_URL="http://testserver/workbench/cases/")
    assert r.status_code == 204 and not r.content  # not the login page swapped into the bell
    assert r.headers["HX-Redirect"] == "/workbench/login/?idle=1&next=/workbench/cases/"


def test_an_htmx_request_without_a_session_is_not_answered_with_the_login_page(client):
    r = client.get("/workbench/notifications/badge/", HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r.headers["HX-Redirect"].startswith("/workbench/login/?next=")


def test_admin_session_idle_past_the_limit_goes_to_admin_login(login, sysadmin):
    c = login(sysadmin)
    _age_session(c, idle=SecurityPolicy.current().session_idle_minutes * 60 + 5)
    r = c.get("/admin/")
    assert r.status_code == 302 and r.url.startswith("/admin/login/")


@pytest.mark.parametrize("field,value", [
    ("max_failed_logins", 0), ("max_failed_logins", 65535), ("lockout_minutes", 0), ("session_idle_minutes", 0),
    ("min_password_length", 4), ("min_character_classes", 1), ("max_failed_logins_per_ip", 0),
])
def test_the_policy_refuses_values_that_switch_a_control_off(secadmin, field, value):
    with pytest.raises(DomainError) as err:
        services.security_policy_update(actor=secadmin, **{field: value})
    assert err.value.field == field
    assert getattr(SecurityPolicy.objects.get_or_create(pk=1)[0], field) == getattr(SecurityPolicy(), field)


def test_the_policy_form_names_the_field(login, secadmin):
    r = login(secadmin).post("/workbench/security/", {
        "min_password_length": 10, "min_character_classes": 3, "session_idle_minutes": 60,
        "session_absolute_minutes": 720, "max_failed_logins": 65535, "max_failed_logins_per_ip": 20,
        "lockout_minutes": 0, "password_history_count": 5, "password_max_age_days": 90})
    assert r.status_code == 200
    form = r.context["form"]
    assert set(form.errors) == {"max_failed_logins", "lockout_minutes"}


def test_an_oversize_api_body_gets_the_api_error_format(login, city_leader, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = login(city_leader).post("/api/v1/complaints/X/claim", "{" + '"a": "' + "x" * 2000 + '"}',
                                content_type="application/json")
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    assert r.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs", "/workbench/login/", "/"])
def test_every_page_has_a_content_security_policy(client, path):
    r = client.get(path)
    assert "script-src 'self'" in r["Content-Security-Policy"], path


