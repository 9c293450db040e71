"""Text messages go through an outbox (``SmsOutbox``), written in the transaction of the act they tell of: nothing is
sent for an act rolled back, nothing committed is lost, a few go out at commit, and a batch (the July listing: about
2,000,000 at province scale, which the listing used to send one by one after each chunk) waits for ``jianguan sms send``
or the sweep, at the gateway's pace, failures retried."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from jianguan.core import notify, sweep
from jianguan.core.models import RuleValue, SmsOutbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    notify.MemorySMSBackend.outbox = []
    return notify.MemorySMSBackend.outbox


class Refusing(notify.BaseSMSBackend):
    def send(self, phone, message):
        if phone.endswith("4"):
            raise ConnectionError("网关拒绝")
        notify.MemorySMSBackend.outbox.append((phone, message))


def texts(n, start=0):
    return [(f"139{i:08d}", f"第{i}条") for i in range(start, start + n)]


def test_a_few_go_out_when_the_transaction_commits(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.queue_sms([*texts(2), ("", "无号码")], source="test") == 2
        assert outbox == []  # not before the commit
    assert outbox == texts(2)
    assert SmsOutbox.objects.filter(sent_at__isnull=False, attempts=1).count() == 2


def test_nothing_is_sent_or_kept_for_a_transaction_that_rolls_back(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify.queue_sms(texts(3), source="test")
            transaction.set_rollback(True)
    assert outbox == [] and not SmsOutbox.objects.exists()


def test_a_batch_waits_for_the_drain_which_the_command_and_the_sweep_run(outbox, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    monkeypatch.setattr(notify, "SEND_AT_COMMIT", 2)
    monkeypatch.setattr(notify, "DRAIN_CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        notify.queue_sms(texts(5), source="credit")
    assert outbox == []  # a batch: left for the drain
    out = io.StringIO()
    call_command("sms", "status", stdout=out)
    assert "待发送 5 条" in out.getvalue()
    out = io.StringIO()
    call_command("sms", "send", "--limit", "2", stdout=out)
    assert "已发送 2 条，失败 0 条，尚待发送 3 条" in out.getvalue()
    assert outbox == texts(2)  # oldest first
    RuleValue.objects.create(key="core.sms_sweep_minutes", value=0, effective_from=dt.date(2020, 1, 1))
    [outcome] = sweep.run(today=dt.date(2026, 7, 1), only="sms-outbox")
    assert outcome.counts == {"sent": 3, "failed": 0, "left": 0}
    assert outbox == texts(5)
    assert sweep.run(today=dt.date(2026, 7, 1), only="sms-outbox")[0].counts == {"sent": 0, "failed": 0, "left": 0}


def test_a_refused_text_keeps_its_place_is_retried_and_given_up_after_the_last_attempt(outbox, monkeypatch):
    monkeypatch.setattr(notify, "sms_backend", lambda: Refusing())
    with transaction.atomic():  # written as a batch would be: waiting for the drain
        SmsOutbox.objects.bulk_create([SmsOutbox(phone=p, message=m, source="t") for p, m in texts(6)])
    assert notify.drain() == {"sent": 5, "failed": 1, "left": 1}
    refused = SmsOutbox.objects.get(sent_at__isnull=True)
    assert refused.phone == "13900000004" and refused.attempts == 1 and refused.last_error == "网关拒绝"
    for _ in range(notify.MAX_ATTEMPTS - 1):
        notify.drain()
    assert SmsOutbox.objects.get(pk=refused.pk).attempts == notify.MAX_ATTEMPTS
    assert notify.drain() == {"sent": 0, "failed": 0, "left": 0}  # given up: not tried again
    out = io.StringIO()
    call_command("sms", "status", stdout=out)
    assert f"发送 {notify.MAX_ATTEMPTS} 次仍失败、不再重试 1 条" in out.getvalue()


def test_the_phone_is_encrypted_at_rest(outbox):
    notify.queue_sms([("13912345678", "告知")], source="test")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_smsoutbox")
        (raw,) = cursor.fetchone()
    assert "13912345678" not in raw
    assert SmsOutbox.objects.get().phone == "13912345678"


def test_bad_limits_are_refused(db):
    with pytest.raises(CommandError, match="--seconds 和 --limit 须为正数"):
        call_command("sms", "send", "--limit", "0", stdout=io.StringIO())


def test_phones_given_as_stored_are_queued_as_they_are_and_sent_in_plain(outbox):
    from jianguan.core import crypto

    stored = [(crypto.encrypt(phone), text) for phone, text in texts(3)]
    with transaction.atomic():
        assert notify.queue_sms([*stored, ("", "无号码")], source="credit", encrypted=True) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_smsoutbox ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == [phone for phone, _ in stored]  # not encrypted twice
    notify.drain()
    assert sorted(outbox) == texts(3)


def test_the_file_backend_writes_a_drained_batch_at_once(settings, tmp_path):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.FileSMSBackend"
    settings.JIANGUAN_SMS_OUTBOX = str(tmp_path)
    with transaction.atomic():
        notify.queue_sms(texts(150), source="credit")  # above SEND_AT_COMMIT: waits for the drain
    assert notify.drain() == {"sent": 150, "failed": 0, "left": 0}
    [written] = tmp_path.glob("sms-*.txt")
    lines = written.read_text(encoding="utf-8").splitlines()
    assert [tuple(line.split("\t")[1:]) for line in lines] == texts(150)


class Down(notify.BaseSMSBackend):
    def send(self, phone, message):  # pragma: no cover - send_many refuses first
        raise AssertionError

    def send_many(self, messages):
        raise ConnectionError("网关不可用")


def test_a_batch_the_gateway_refuses_whole_keeps_every_text_with_the_error(outbox, monkeypatch):
    monkeypatch.setattr(notify, "sms_backend", lambda: Down())
    with transaction.atomic():
        notify.queue_sms(texts(120), source="credit")
    assert notify.drain() == {"sent": 0, "failed": 120, "left": 120}
    assert set(SmsOutbox.objects.values_list("attempts", "last_error")) == {(1, "网关不可用")}
