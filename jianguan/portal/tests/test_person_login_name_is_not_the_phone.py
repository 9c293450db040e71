"""A person's portal account logs in with its mobile number, but ``auth_user`` never holds the number in clear (#14:
personal data encrypted at rest, searchable only by a keyed hash): the login name is the number's keyed hash, the
login, the lockout and the audit log use that hash, accounts made before are converted by a reversible migration,
and a change of the hash key (``jianguan crypto rotate``) keeps the login working."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from jianguan.core import crypto
from jianguan.core.crypto_migrations import hash_phone_logins, unhash_phone_logins
from jianguan.core.models import AuditEntry, LoginFailure, PublicProfile, SecurityPolicy
from jianguan.core.notify import MemorySMSBackend
from jianguan.core.security import phone_login_name
from jianguan.portal import signup

pytestmark = pytest.mark.django_db

PHONE = "13912340001"
PASSWORD = "qingsong-2026!"


@pytest.fixture(autouse=True)
def sms(settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox.clear()
    yield MemorySMSBackend.outbox
    MemorySMSBackend.outbox.clear()


def _tables_hold(value: str, *tables: str) -> list[str]:
    """Every row of ``tables`` (all columns, as text) that contains ``value``."""
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            found += [f"{table}: {row}" for row in cursor.fetchall() if any(value in str(v) for v in row)]
    return found


def _sign_up(client, sms, capture, phone=PHONE):
    with capture(execute=True):
        r = client.post("/account/signup/", {"phone": phone, "name": "赵新", "password": PASSWORD,
                                             "password2": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    code = re.search(r"验证码是 (\d{6})", sms[-1][1]).group(1)
    r = client.post("/account/signup/verify/", {"code": code})
    assert r.status_code == 302 and r.url == "/account/"
    client.logout()


def _login(phone_or_name: str, password: str = PASSWORD, ip: str = "198.51.100.40") -> bool:
    c = Client(REMOTE_ADDR=ip)
    c.post("/account/login/", {"username": phone_or_name, "password": password})
    return "_auth_user_id" in c.session


def test_sign_up_stores_no_phone_in_auth_user_and_the_person_logs_in_with_it(
        client, sms, django_capture_on_commit_callbacks):
    _sign_up(client, sms, django_capture_on_commit_callbacks)
    user = PublicProfile.objects.get(phone_hash=crypto.blind_index(PHONE)).user
    assert user.username == phone_login_name(PHONE) and PHONE not in user.username
    assert _tables_hold(PHONE, "auth_user") == []
    assert _login(PHONE)
    assert _login("139 1234 0001")  # typed with spaces: the same number
    assert not _login("13912340002")  # another number
    assert not _login(PHONE, "wrong-password-0")
    # the login's audit entries and lockout counters name the hash, never the number
    assert _tables_hold(PHONE, "core_auditentry", "core_loginfailure", "auth_user") == []
    ok = AuditEntry.objects.filter(action="core.login.succeeded").latest("id")
    assert ok.changes["username"] == [None, phone_login_name(PHONE)] and ok.actor == user


def test_the_account_page_shows_the_number_masked(client, sms, django_capture_on_commit_callbacks):
    _sign_up(client, sms, django_capture_on_commit_callbacks)
    c = Client(REMOTE_ADDR="198.51.100.41")
    c.post("/account/login/", {"username": PHONE, "password": PASSWORD})
    page = c.get("/account/").content.decode()
    assert "139****0001" in page and PHONE not in page and phone_login_name(PHONE) not in page


def test_wrong_passwords_for_a_phone_lock_the_account(client, sms, django_capture_on_commit_callbacks):
    _sign_up(client, sms, django_capture_on_commit_callbacks)
    limit = SecurityPolicy.current().max_failed_logins
    for i in range(limit):
        assert not _login(PHONE, "wrong-password-0", ip=f"198.51.100.{50 + i}")
    row = LoginFailure.objects.exclude(username__startswith="ip:").get()
    assert row.username == phone_login_name(PHONE) and row.count == limit
    c = Client(REMOTE_ADDR="198.51.100.99")
    r = c.post("/account/login/", {"username": PHONE, "password": PASSWORD})
    assert "_auth_user_id" not in c.session and "锁定" in r.content.decode()
    # the same number typed with a space is the same account, and the same lock
    assert not _login("139-1234-0001", ip="198.51.100.98")


def test_the_number_cannot_sign_up_twice(client, sms, django_capture_on_commit_callbacks):
    _sign_up(client, sms, django_capture_on_commit_callbacks)
    with pytest.raises(signup.DomainError, match="已注册"):
        signup.person_account_create(phone=PHONE, name="乙", password_hash="!")


def test_a_phone_shaped_login_name_is_hashed_whatever_door_the_account_came_through():
    user = get_user_model().objects.create_user("13812345678", password=PASSWORD)
    assert user.username == phone_login_name("13812345678")
    assert _tables_hold("13812345678", "auth_user") == []
    staff_c = Client(REMOTE_ADDR="198.51.100.42")
    staff_c.post("/workbench/login/", {"username": "13812345678", "password": PASSWORD})
    assert "_auth_user_id" in staff_c.session  # the backend maps the typed number at every door


def _historical_apps():
    return MigrationLoader(connection).project_state(("core", "0013_phone_login_names")).apps


def test_the_migration_converts_existing_phone_logins_and_reverses(org):
    User = get_user_model()
    person = User.objects.create_user("mig_p", password=PASSWORD)
    PublicProfile.objects.create(user=person, kind="person", phone=PHONE)
    staff_like = User.objects.create_user("mig_s", password=PASSWORD)
    other = User.objects.create_user("applicant_x", password=PASSWORD)
    with connection.cursor() as cursor:  # as sign-up wrote them before: the number as the login name
        cursor.execute("UPDATE auth_user SET username = %s WHERE id = %s", [PHONE, person.pk])
        cursor.execute("UPDATE auth_user SET username = %s WHERE id = %s", ["13800000009", staff_like.pk])
    LoginFailure.objects.create(username=PHONE, count=2)
    assert _tables_hold(PHONE, "auth_user")

    assert hash_phone_logins(_historical_apps(), batch=1) == 2
    assert _tables_hold(PHONE, "auth_user", "core_loginfailure") == []
    assert _tables_hold("13800000009", "auth_user") == []
    assert User.objects.get(pk=other.pk).username == "applicant_x"  # a name that is no phone stays
    assert LoginFailure.objects.get().username == phone_login_name(PHONE)  # the count follows the account
    assert _login(PHONE) and not _login("13912340009")
    assert hash_phone_logins(_historical_apps()) == 0  # run again: nothing to do

    assert unhash_phone_logins(_historical_apps()) == 1  # back: the person's number from its (decrypted) profile
    assert User.objects.get(pk=person.pk).username == PHONE
    assert not LoginFailure.objects.filter(username__startswith="phone.").exists()


def test_a_new_hash_key_keeps_the_phone_login_after_rotation(client, sms, django_capture_on_commit_callbacks,
                                                              settings):
    old, new = base64.b64encode(b"h" * 32).decode(), base64.b64encode(b"H" * 32).decode()
    settings.JIANGUAN_DATA_HASH_KEY = old
    _sign_up(client, sms, django_capture_on_commit_callbacks)
    settings.JIANGUAN_DATA_HASH_KEY = new
    assert not _login(PHONE)  # before the rotation the number maps to a name no account has
    call_command("crypto", "rotate", "--rehash-from", old)
    assert _login(PHONE)
    assert get_user_model().objects.filter(username=phone_login_name(PHONE)).exists()
    entry = AuditEntry.objects.filter(action="core.crypto.rotated", object_id="auth.user").get()
    assert entry.changes["rehashed"] == [None, 1]


def test_admin_finds_an_account_by_its_number_and_refuses_a_taken_number(login, sysadmin, org):
    person = get_user_model().objects.create_user(PHONE, password=PASSWORD)
    c = login(sysadmin)
    page = c.get("/admin/auth/user/", {"q": PHONE}).content.decode()
    assert f"/admin/auth/user/{person.pk}/change/" in page
    r = c.post("/admin/auth/user/add/", {"username": PHONE, "password1": "Qingsong-2026!x",
                                         "password2": "Qingsong-2026!x", "usable_password": "true"})
    assert r.status_code == 200 and "已存在" in r.content.decode()
    assert get_user_model().objects.filter(username=phone_login_name(PHONE)).count() == 1


def test_the_workbench_refuses_a_staff_login_name_that_is_a_taken_number(sysadmin, org):
    from jianguan.core import services
    from jianguan.core.errors import DomainError
    from jianguan.core.models import OrgUnit

    get_user_model().objects.create_user(PHONE, password=PASSWORD)
    with pytest.raises(DomainError, match="已存在"):
        services.staff_create(actor=sysadmin, username=PHONE, full_name="甲", roles=[], unit=OrgUnit.objects.get(code="410402"),
                              staff_code="S-PHONE-1")

