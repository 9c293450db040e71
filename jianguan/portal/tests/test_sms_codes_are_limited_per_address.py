"""SMS codes are limited per number (interval, daily cap: startup/tests/test_signup.py) and per address: one
address cannot have codes texted to many numbers (SMS bombing, #14 finding 8's rate limits)."""

import pytest
from django.test import Client

from jianguan.core.notify import MemorySMSBackend

pytestmark = pytest.mark.django_db
PASSWORD = "qingsong-2026!"


@pytest.fixture(autouse=True)
def sms(settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox.clear()
    yield MemorySMSBackend.outbox
    MemorySMSBackend.outbox.clear()


def test_one_address_cannot_text_codes_to_many_numbers(sms, django_capture_on_commit_callbacks):
    """Each number has its own interval and daily cap; one address asking codes for many numbers is stopped too
    (rule portal.sms_rate, 10 an hour by default), with the 429 page, and no SMS goes out."""
    import datetime as dt

    from jianguan.core.models import RuleValue

    RuleValue.objects.create(key="portal.sms_rate", value="3/h", effective_from=dt.date(2000, 1, 1))
    attacker, neighbour = Client(REMOTE_ADDR="203.0.113.70"), Client(REMOTE_ADDR="203.0.113.71")
    codes = []
    for i in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            codes.append(attacker.post("/account/signup/", {"phone": f"1391234100{i}", "name": "甲",
                                                            "password": PASSWORD, "password2": PASSWORD}).status_code)
    assert codes == [302, 302, 302, 429] and len(sms) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert attacker.post("/account/signup/verify/", {"resend": "1"}).status_code == 429
        assert neighbour.post("/account/signup/", {"phone": "13912341009", "name": "乙", "password": PASSWORD,
                                                   "password2": PASSWORD}).status_code == 302
    assert len(sms) == 4


def test_the_sign_up_forms_cannot_be_used_to_probe_many_numbers_or_names(org):
    """"This number is already registered" and "code and name do not match" are answers too: every submission of
    the sign-up forms counts against the address, valid or not."""
    import datetime as dt

    from jianguan.core.models import RuleValue
    from jianguan.startup.tests.factories import applicant

    RuleValue.objects.create(key="portal.sms_rate", value="3/h", effective_from=dt.date(2000, 1, 1))
    applicant("probe_target", phone="13912342000")
    prober = Client(REMOTE_ADDR="203.0.113.80")
    answers = [prober.post("/account/signup/", {"phone": "13912342000", "name": "甲", "password": PASSWORD,
                                                "password2": PASSWORD}) for _ in range(3)]
    assert all("已注册" in r.content.decode() for r in answers)
    r = prober.post("/account/signup/", {"phone": "13912342000", "name": "甲", "password": PASSWORD,
                                         "password2": PASSWORD})
    assert r.status_code == 429 and "已注册" not in r.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.81")
    for _ in range(3):
        other.post("/account/enterprise/signup/", {"uscc": "91410400MA0000000X", "legal_rep": "某人",
                                                   "password": PASSWORD, "password2": PASSWORD})
    assert other.post("/account/enterprise/signup/", {"uscc": "91410400MA0000000X", "legal_rep": "某人",
                                                      "password": PASSWORD, "password2": PASSWORD}).status_code == 429
