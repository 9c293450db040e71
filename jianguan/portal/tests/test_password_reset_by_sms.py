"""A person who forgot the portal password resets it by SMS (忘记密码, #14): the account is found through the
number's keyed hash only; the answer is the same whether the number has an account or not; codes expire, are used
once and allow few attempts; the per-number and per-address limits of the sign-up hold; the new password passes the
policy (history included); the reset is audited, ends the account's sessions and leaves the lockout counters alone.
Enterprise and staff accounts are not reset here. Walked with Django's test client, no browser."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from jianguan.core import crypto
from jianguan.core.models import AuditEntry, LoginFailure, PublicProfile, RuleValue, SecurityPolicy
from jianguan.core.notify import MemorySMSBackend
from jianguan.portal import reset
from jianguan.startup.models import PhoneVerification

pytestmark = pytest.mark.django_db

PHONE, NOBODY = "13912345001", "13912345002"
PASSWORD, NEW = "qingsong-2026!", "xinmima-2027#A"


@pytest.fixture(autouse=True)
def sms(settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox.clear()
    yield MemorySMSBackend.outbox
    MemorySMSBackend.outbox.clear()


@pytest.fixture
def person(sms, django_capture_on_commit_callbacks):
    """A person account made by the portal's own sign-up (its login name is the number's keyed hash)."""
    c = Client(REMOTE_ADDR="198.51.100.1")
    with django_capture_on_commit_callbacks(execute=True):
        c.post("/account/signup/", {"phone": PHONE, "name": "钱忘记", "password": PASSWORD, "password2": PASSWORD})
    code = re.search(r"验证码是 (\d{6})", sms[-1][1]).group(1)
    assert c.post("/account/signup/verify/", {"code": code}).status_code == 302
    sms.clear()
    return PublicProfile.objects.get(phone_hash=crypto.blind_index(PHONE)).user


def _login(phone: str, password: str, ip: str = "198.51.100.9") -> Client:
    c = Client(REMOTE_ADDR=ip)
    c.post("/account/login/", {"username": phone, "password": password})
    return c


def _ask(client, capture, phone):
    with capture(execute=True):
        return client.post("/account/password/reset/", {"phone": phone})


def _code(sms) -> str:
    return re.search(r"验证码是 (\d{6})", sms[-1][1]).group(1)


def _reset(client, code, password=NEW, again=None):
    return client.post("/account/password/reset/verify/",
                       {"code": code, "password": password, "password2": again or password})


def test_a_person_resets_the_password_by_sms_and_logs_in_with_it(person, sms, django_capture_on_commit_callbacks):
    elsewhere = _login(PHONE, PASSWORD, ip="198.51.100.20")  # a session open on another device
    assert "_auth_user_id" in elsewhere.session
    c = Client(REMOTE_ADDR="198.51.100.2")
    login_page = c.get("/account/login/").content.decode()
    assert "忘记密码" in login_page and "/account/password/reset/" in login_page
    assert "找回密码" in c.get("/account/password/reset/").content.decode()
    r = _ask(c, django_capture_on_commit_callbacks, PHONE)
    assert r.status_code == 302 and r.url == "/account/password/reset/verify/"
    assert [phone for phone, _m in sms] == [PHONE]
    page = c.get(r.url).content.decode()
    assert "139****5001" in page and PHONE not in page and "设置新密码" in page
    code = _code(sms)
    done = _reset(c, code)
    assert done.status_code == 302 and done.url == "/account/login/"
    assert "密码已重设" in c.get("/account/login/").content.decode()
    assert "_auth_user_id" in _login(PHONE, NEW).session
    assert "_auth_user_id" not in _login(PHONE, PASSWORD).session
    # the session opened before the reset is ended
    assert elsewhere.get("/account/").status_code == 302 and "_auth_user_id" not in elsewhere.session
    entry = AuditEntry.objects.get(action="portal.account.password_reset")
    assert entry.object_id == str(person.pk) and entry.changes["sessions_ended"] == [None, 2]  # the sign-up's and the other device's
    assert PHONE not in str(entry.changes) and PHONE not in entry.object_repr
    # the code is single-use: the same code cannot set another password
    user, errors = reset.password_reset_complete(phone=PHONE, code=code, password="lingyige-2028$B")
    assert user is None and errors == {"code": ["验证码已过期，请重新获取"]}
    assert "_auth_user_id" in _login(PHONE, NEW).session


def test_the_answer_never_says_whether_the_number_has_an_account(person, sms, django_capture_on_commit_callbacks):
    pages = {}
    for phone in (PHONE, NOBODY):
        c = Client(REMOTE_ADDR="198.51.100.30")
        r = _ask(c, django_capture_on_commit_callbacks, phone)
        first = (r.status_code, r.url)
        shown = c.get(r.url).content.decode().replace(f"{phone[:3]}****{phone[-4:]}", "MASKED")
        wrong = _reset(c, "000000").content.decode().replace(f"{phone[:3]}****{phone[-4:]}", "MASKED")
        too_soon = _ask(c, django_capture_on_commit_callbacks, phone).content.decode().replace(phone, "TYPED")
        pages[phone] = (first, _strip(shown), _strip(wrong), _strip(too_soon))  # only the number typed differs
    assert pages[PHONE] == pages[NOBODY]
    assert "验证码不正确" in pages[NOBODY][2] and "过于频繁" in pages[NOBODY][3]
    assert [phone for phone, _m in sms] == [PHONE]  # a number without an account is never texted
    # a code row is kept for both (same limits); its number encrypted and found by its keyed hash
    assert PhoneVerification.objects.filter(phone_hash=crypto.blind_index(NOBODY), purpose="reset").count() == 1
    assert reset.reset_account(NOBODY) is None and reset.reset_account(PHONE) == person


def _strip(html: str) -> str:
    """The page without its per-request CSRF tokens."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


def test_codes_expire_are_single_use_and_allow_few_attempts(person, sms, django_capture_on_commit_callbacks):
    c = Client(REMOTE_ADDR="198.51.100.40")
    _ask(c, django_capture_on_commit_callbacks, PHONE)
    code = _code(sms)
    PhoneVerification.objects.filter(purpose="reset").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert "验证码已过期" in _reset(c, code).content.decode()
    PhoneVerification.objects.filter(purpose="reset").update(created_at=timezone.now() - dt.timedelta(minutes=5))
    _ask(c, django_capture_on_commit_callbacks, PHONE)
    code = _code(sms)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert "验证码不正确" in _reset(c, wrong).content.decode()
    assert "错误次数过多" in _reset(c, code).content.decode()  # even the right code, once the attempts are spent
    assert "_auth_user_id" in _login(PHONE, PASSWORD).session  # nothing changed


def test_the_new_password_passes_the_policy_and_its_history(person, sms, django_capture_on_commit_callbacks):
    c = Client(REMOTE_ADDR="198.51.100.50")
    _ask(c, django_capture_on_commit_callbacks, PHONE)
    code = _code(sms)
    assert "两次输入的密码不一致" in _reset(c, code, NEW, "something-else-1A").content.decode()
    weak = _reset(c, code, "abc")
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    assert SecurityPolicy.current().password_history_count >= 1
    reused = _reset(c, code, PASSWORD)  # the current password: refused by the history, the code stays usable
    assert reused.status_code == 200 and not AuditEntry.objects.filter(action="portal.account.password_reset")
    assert _reset(c, code, NEW).status_code == 302
    assert "_auth_user_id" in _login(PHONE, NEW).session


def test_requests_are_limited_per_number_and_per_address(person, sms, django_capture_on_commit_callbacks):
    RuleValue.objects.create(key="portal.sms_rate", value="3/h", effective_from=dt.date(2000, 1, 1))
    prober = Client(REMOTE_ADDR="203.0.113.90")
    answers = [_ask(prober, django_capture_on_commit_callbacks, f"1391234600{i}").status_code for i in range(4)]
    assert answers == [302, 302, 302, 429]
    assert prober.post("/account/password/reset/verify/", {"resend": "1"}).status_code == 429
    other = Client(REMOTE_ADDR="203.0.113.91")
    assert _ask(other, django_capture_on_commit_callbacks, PHONE).status_code == 302
    again = Client(REMOTE_ADDR="203.0.113.92")  # the same number within the interval, from another address
    assert "过于频繁" in _ask(again, django_capture_on_commit_callbacks, PHONE).content.decode()
    assert len(sms) == 1


def test_a_reset_leaves_the_lockout_counters_as_they_are(person, sms, django_capture_on_commit_callbacks):
    limit = SecurityPolicy.current().max_failed_logins
    for i in range(limit):
        _login(PHONE, f"wrong-password-{i}", ip=f"198.51.100.{60 + i}")
    c = Client(REMOTE_ADDR="198.51.100.99")
    _ask(c, django_capture_on_commit_callbacks, PHONE)
    assert _reset(c, _code(sms)).status_code == 302
    assert LoginFailure.objects.filter(username=person.username.lower()).exists()
    assert "_auth_user_id" not in _login(PHONE, NEW, ip="198.51.100.98").session  # still locked
    LoginFailure.objects.filter(username=person.username.lower()).update(
        last_at=timezone.now() - dt.timedelta(minutes=SecurityPolicy.current().lockout_minutes + 1))
    assert "_auth_user_id" in _login(PHONE, NEW, ip="198.51.100.97").session  # the lockout over: the new password


def test_enterprise_and_staff_accounts_are_not_reset_here(org, sms, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from jianguan.core.security import phone_login_name
    from jianguan.core.tests.factories import staff
    from jianguan.portal.services import enterprise_account_create
    from jianguan.registry.tests.factories import EntityFactory

    entity = EntityFactory(phone="13912347001")
    enterprise_account_create(entity=entity, phone=entity.phone, password_hash="!")
    clerk = staff("13912347002", "410402", ["case_officer"], phone="13912347002")  # a login typed as a number
    assert clerk.username == phone_login_name("13912347002")
    for phone in ("13912347001", "13912347002"):
        c = Client(REMOTE_ADDR="198.51.100.110")
        assert _ask(c, django_capture_on_commit_callbacks, phone).status_code == 302  # the same answer
        assert reset.reset_account(phone) is None
    assert sms == []
    assert "企业账号" in Client().get("/account/password/reset/").content.decode()
    assert get_user_model().objects.filter(username=entity.uscc).exists()


def test_no_phone_column_is_searched_and_none_is_written_in_clear(person, sms, django_capture_on_commit_callbacks):
    c = Client(REMOTE_ADDR="198.51.100.120")
    _ask(c, django_capture_on_commit_callbacks, PHONE)
    _reset(c, _code(sms))
    with connection.cursor() as cursor:
        for table in ("startup_phoneverification", "core_auditentry", "auth_user", "core_loginfailure"):
            cursor.execute(f'SELECT * FROM "{table}"')
            assert not [row for row in cursor.fetchall() if any(PHONE in str(v) for v in row)], table
