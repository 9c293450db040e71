"""The public form's captcha outside test mode: the right answer passes once, a challenge cannot be used twice (not
even by two posts racing: the check is one DELETE … RETURNING), a wrong or expired answer is refused and uses the
challenge up; the daily job purges expired challenges."""

import datetime as dt

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.utils import timezone

from jianguan.complaints import sweep
from jianguan.complaints.models import Complaint

from .test_public_intake_files_a_complaint import form_data

pytestmark = pytest.mark.django_db
URL = "/complaints/"


@pytest.fixture
def real_captcha(monkeypatch, set_rule):
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    set_rule("complaints.intake_rate", "")


def _challenge(*, expired: bool = False) -> CaptchaStore:
    key = CaptchaStore.generate_key()
    store = CaptchaStore.objects.get(hashkey=key)
    if expired:
        store.expiration = timezone.now() - dt.timedelta(minutes=1)
        store.save()
    return store


def _post(client, store, answer, n):
    return client.post(URL, form_data(captcha_0=store.hashkey, captcha_1=answer, token=f"{n:032x}"))


def test_the_right_answer_passes_once(client, org, real_captcha):
    store = _challenge()
    assert _post(client, store, store.response.upper(), 1).status_code == 302  # case does not matter
    assert not CaptchaStore.objects.filter(hashkey=store.hashkey).exists()
    again = _post(client, store, store.response, 2)
    assert again.status_code == 422 and "验证码不正确" in again.content.decode()
    assert Complaint.objects.count() == 1


def test_a_wrong_answer_uses_the_challenge_up(client, org, real_captcha):
    store = _challenge()
    assert _post(client, store, "zzzz" if store.response != "zzzz" else "yyyy", 1).status_code == 422
    assert _post(client, store, store.response, 2).status_code == 422  # no second guess on the same image
    assert not Complaint.objects.exists()


def test_an_expired_challenge_is_refused(client, org, real_captcha):
    store = _challenge(expired=True)
    assert _post(client, store, store.response, 1).status_code == 422
    assert not Complaint.objects.exists()


def test_the_daily_job_purges_expired_challenges(org):
    old, fresh = _challenge(expired=True), _challenge()
    assert sweep.captcha_purge(today=timezone.localdate(), stdout=None) == {"purged": 1}
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [fresh.hashkey]
    assert old.hashkey != fresh.hashkey
