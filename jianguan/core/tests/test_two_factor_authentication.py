"""TOTP two-factor authentication (#14 finding 11): mandatory for the three administrators, configurable for other
staff; enrolment with a QR code and recovery codes; a session without its second factor reaches nothing — not the
workbench, not /admin/, not the API; the security administrator resets a lost device, audited."""

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianguan.core import services
from jianguan.core.models import AuditEntry
from jianguan.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _password_login(user) -> Client:
    c = Client(REMOTE_ADDR="198.51.100.70")
    assert c.post("/workbench/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return c


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_an_administrator_with_only_a_password_reaches_nothing(sysadmin):
    c = _password_login(sysadmin)
    r = c.get("/workbench/staff/")
    assert r.status_code == 302 and r.url.startswith("/workbench/2fa/")
    assert c.get("/admin/").url.startswith("/workbench/2fa/")
    assert c.get("/api/v1/me").status_code == 401


def test_the_pages_own_htmx_requests_get_nothing_to_swap_in(sysadmin):
    """The bell's badge is fetched by htmx on every workbench page, the enrolment page too. Answered with the
    whole enrolment page, it would be swapped into the bell: a second page (and QR code) inside the first."""
    c = _password_login(sysadmin)
    on_gate = c.get("/workbench/notifications/badge/", HTTP_HX_REQUEST="true",
                    HTTP_HX_CURRENT_URL="http://testserver/workbench/2fa/?next=/workbench/")
    assert on_gate.status_code == 204 and not on_gate.content and "HX-Redirect" not in on_gate.headers
    elsewhere = c.get("/workbench/notifications/badge/", HTTP_HX_REQUEST="true",
                      HTTP_HX_CURRENT_URL="http://testserver/workbench/staff/?page=2")
    assert elsewhere.status_code == 204
    assert elsewhere.headers["HX-Redirect"] == "/workbench/2fa/?next=/workbench/staff/%3Fpage%3D2"


def test_enrolment_shows_a_qr_code_and_gives_ten_single_use_recovery_codes(sysadmin):
    c = _password_login(sysadmin)
    page = c.get("/workbench/2fa/?next=/workbench/staff/").content.decode()
    assert "<svg" in page and 'data-testid="otp-secret"' in page
    device = TOTPDevice.objects.get(user=sysadmin, confirmed=False)
    r = c.post("/workbench/2fa/", {"token": _code(device), "next": "/workbench/staff/"})
    codes = r.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert c.get("/workbench/staff/").status_code == 200
    assert AuditEntry.objects.filter(action="core.2fa.enrolled", actor=sysadmin).exists()
    # the next login: a recovery code works once
    again = _password_login(sysadmin)
    assert again.post("/workbench/2fa/", {"token": codes[0]}).status_code == 302
    assert again.get("/workbench/staff/").status_code == 200
    third = _password_login(sysadmin)
    assert third.post("/workbench/2fa/", {"token": codes[0]}).status_code == 200  # used up
    assert third.get("/workbench/staff/").status_code == 302


def test_a_wrong_code_is_refused_and_audited(auditadmin):
    TOTPDevice.objects.create(user=auditadmin, name="app", confirmed=True)
    c = _password_login(auditadmin)
    r = c.post("/workbench/2fa/", {"token": "000000"})
    assert r.status_code == 200 and "验证码不正确" in r.content.decode()
    assert c.get("/workbench/audit/").status_code == 302
    assert AuditEntry.objects.filter(action="core.2fa.failed", actor=auditadmin).exists()


def test_a_right_code_from_the_app_verifies_the_session(auditadmin):
    device = TOTPDevice.objects.create(user=auditadmin, name="app", confirmed=True)
    c = _password_login(auditadmin)
    assert c.post("/workbench/2fa/", {"token": _code(device), "next": "/workbench/audit/"}).url == "/workbench/audit/"
    assert c.get("/workbench/audit/").status_code == 200


def test_other_staff_need_it_only_when_the_policy_says_so(station_inspector, secadmin):
    assert _password_login(station_inspector).get("/workbench/").status_code == 200
    services.security_policy_update(actor=secadmin, otp_required_for_staff=True)
    assert _password_login(station_inspector).get("/workbench/").url.startswith("/workbench/2fa/")


def test_the_security_admin_resets_a_lost_device_with_an_audit_entry(login, secadmin, sysadmin):
    TOTPDevice.objects.create(user=sysadmin, name="lost phone", confirmed=True)
    r = login(secadmin).post("/workbench/2fa/reset/", {"username": sysadmin.username})
    assert r.status_code == 302 and not TOTPDevice.objects.filter(user=sysadmin).exists()
    entry = AuditEntry.objects.get(action="core.2fa.reset")
    assert entry.actor == secadmin and entry.object_id == str(sysadmin.pk)


def test_nobody_else_resets_and_the_security_admin_not_their_own(login, secadmin, sysadmin, auditadmin):
    assert login(sysadmin).post("/workbench/2fa/reset/", {"username": auditadmin.username}).status_code == 403
    r = login(secadmin).post("/workbench/2fa/reset/", {"username": secadmin.username})
    assert r.status_code == 200 and "不能重置自己" in r.content.decode()
    assert TOTPDevice.objects.filter(user=secadmin).exists()  # the login helper's verified device is still there
