"""Sign-up of person accounts with an SMS code: wrong code, expiry, attempt limit, rate limits."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from jianguan.core import crypto
from jianguan.core.notify import MemorySMSBackend
from jianguan.core.security import phone_login_name
from jianguan.portal import signup
from jianguan.startup.models import PhoneVerification

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.urls("jianguan.startup.tests.urls_with_signup")]
PHONE = "13912345678"
HASH = crypto.blind_index(PHONE)  # the phone column is encrypted (#14): rows are found by its keyed hash


@pytest.fixture(autouse=True)
def sms(settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox.clear()
    yield MemorySMSBackend.outbox
    MemorySMSBackend.outbox.clear()


def _code(outbox) -> str:
    return re.search(r"验证码是 (\d{6})", outbox[-1][1]).group(1)


def _start(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/account/signup/",
            {"phone": PHONE, "name": "赵新", "password": "qingsong-2026!", "password2": "qingsong-2026!"},
        )
    assert r.status_code == 302 and r.url == "/account/signup/verify/"


def test_signup_with_the_right_code_creates_a_verified_person_account(client, sms, django_capture_on_commit_callbacks):
    _start(client, django_capture_on_commit_callbacks)
    row = PhoneVerification.objects.get(phone_hash=HASH)
    assert _code(sms) not in row.code_hash
    r = client.post("/account/signup/verify/", {"code": _code(sms)})
    assert r.status_code == 302 and r.url == "/account/"
    user = get_user_model().objects.get(username=phone_login_name(PHONE))  # the number's keyed hash (#14)
    assert user.first_name == "赵新" and user.check_password("qingsong-2026!")
    assert user.public_profile.kind == "person" and user.public_profile.verified_at is not None
    assert client.get("/account/").status_code == 200


def test_wrong_code_is_refused_and_counts_an_attempt(client, sms, django_capture_on_commit_callbacks):
    _start(client, django_capture_on_commit_callbacks)
    wrong = "000000" if _code(sms) != "000000" else "111111"
    r = client.post("/account/signup/verify/", {"code": wrong})
    assert "验证码不正确" in r.content.decode()
    assert PhoneVerification.objects.get(phone_hash=HASH).attempts == 1
    assert not get_user_model().objects.filter(username=phone_login_name(PHONE)).exists()


def test_too_many_attempts_lock_the_code(client, sms, django_capture_on_commit_callbacks):
    _start(client, django_capture_on_commit_callbacks)
    PhoneVerification.objects.filter(phone_hash=HASH).update(attempts=5)
    r = client.post("/account/signup/verify/", {"code": _code(sms)})
    assert "错误次数过多" in r.content.decode()


def test_expired_code_is_refused(client, sms, django_capture_on_commit_callbacks):
    _start(client, django_capture_on_commit_callbacks)
    PhoneVerification.objects.filter(phone_hash=HASH).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = client.post("/account/signup/verify/", {"code": _code(sms)})
    assert "验证码已过期" in r.content.decode()
    assert not get_user_model().objects.filter(username=phone_login_name(PHONE)).exists()


def test_codes_are_rate_limited_per_phone(sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup.verification_send(phone=PHONE)
    with pytest.raises(signup.RateLimited, match="过于频繁"):
        signup.verification_send(phone=PHONE)
    PhoneVerification.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    for i in range(9):
        PhoneVerification.objects.create(
            phone=PHONE,
            code_hash="x",
            created_at=timezone.now() - dt.timedelta(hours=1, minutes=i),
            expires_at=timezone.now(),
        )
    with pytest.raises(signup.RateLimited, match="上限"):
        signup.verification_send(phone=PHONE)
    assert len(sms) == 1


def test_registered_phone_cannot_sign_up_again(client, org):
    from . import factories

    factories.applicant("13900000001", phone="13900000001")
    r = client.post(
        "/account/signup/",
        {"phone": "13900000001", "name": "甲", "password": "qingsong-2026!", "password2": "qingsong-2026!"},
    )
    assert "已注册" in r.content.decode()


def test_file_sms_backend_writes_to_the_outbox(tmp_path, settings):
    from jianguan.core.notify import FileSMSBackend, send_sms

    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.FileSMSBackend"
    settings.JIANGUAN_SMS_OUTBOX = str(tmp_path)
    send_sms(PHONE, "测试短信")
    (path,) = tmp_path.iterdir()
    assert f"{PHONE}\t测试短信" in path.read_text(encoding="utf-8")
    assert FileSMSBackend().directory() == tmp_path
