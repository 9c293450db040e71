"""An enterprise account is tied to its code by a code sent to the phone on the register; the account home links
the annual report, instant information, start-up applications and replies."""

from __future__ import annotations

import re

import pytest

from jianguan.core.models import AuditEntry, PublicProfile
from jianguan.core.notify import MemorySMSBackend
from jianguan.core.tests.factories import PASSWORD

from .conftest import SECRETS


@pytest.fixture
def sms(settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox.clear()
    yield MemorySMSBackend.outbox
    MemorySMSBackend.outbox.clear()


def _start(client, entity, legal_rep, capture):
    with capture(execute=True):
        return client.post("/account/enterprise/signup/", {"uscc": entity.uscc.lower(), "legal_rep": legal_rep,
                                                           "password": "Yingcheng#2026", "password2": "Yingcheng#2026"})


def test_the_code_goes_to_the_registered_phone_and_binds_the_account(world, client, sms,
                                                                      django_capture_on_commit_callbacks):
    company = world["company"]
    response = _start(client, company, "赵大成", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    phone, message = sms[-1]
    assert phone == SECRETS["phone"]
    assert SECRETS["phone"] not in client.get("/account/enterprise/verify/").content.decode()  # shown masked
    code = re.search(r"验证码是 (\d{6})", message).group(1)
    assert client.post("/account/enterprise/verify/", {"code": code}).status_code == 302
    profile = PublicProfile.objects.get(user__username=company.uscc)
    assert profile.kind == "enterprise" and profile.entity == company and profile.verified_at
    assert AuditEntry.objects.filter(action="portal.account.enterprise_bound").exists()
    home = client.get("/account/").content.decode()
    for link in ("/credit/reports/", "/credit/instant/", "/account/replies/", "/startup/"):
        assert link in home


def test_a_wrong_name_gets_the_same_answer_as_an_unknown_code(world, client, sms,
                                                              django_capture_on_commit_callbacks):
    wrong = _start(client, world["company"], "张三", django_capture_on_commit_callbacks).content.decode()
    unknown = client.post("/account/enterprise/signup/", {"uscc": "91410402MA0000000X", "legal_rep": "赵大成",
                                                          "password": "Yingcheng#2026",
                                                          "password2": "Yingcheng#2026"}).content.decode()
    assert "不匹配" in wrong and "不匹配" in unknown and sms == []


def test_a_wrong_code_does_not_bind(world, client, sms, django_capture_on_commit_callbacks):
    _start(client, world["company"], "赵大成", django_capture_on_commit_callbacks)
    assert client.post("/account/enterprise/verify/", {"code": "000000"}).status_code == 200
    assert not PublicProfile.objects.filter(entity=world["company"]).exists()


def test_enterprise_pages_are_for_the_enterprise(world, enterprise, client):
    assert client.get("/account/replies/").status_code == 302  # to login
    client.login(username="ent_company", password=PASSWORD)
    assert client.get("/account/record/")["Location"] == f"/entities/{world['company'].uscc}/"
    assert client.get("/credit/reports/").status_code == 200
