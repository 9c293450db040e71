"""In-app notifications: what the supervision sweep sends a head by SMS is also a notification in the workbench —
the bell shows the unread count (fetched after the page loads), the list links the task, marking read is audited
and a second click changes nothing; nobody reads another person's notifications."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.models import AuditEntry, Notification
from jianguan.core.notify import MemorySMSBackend
from jianguan.core.sweep import run
from jianguan.core.tests.factories import staff

from .factories import dept_head, plan, task

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 9, 30)


def test_the_sms_to_the_head_rings_the_bell_and_is_marked_read(org, client, settings,
                                                               django_capture_on_commit_callbacks):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox.clear()
    person = staff("dj_clerk_t", "410400DJ", ["registrar"], credential=False, name="登记员")
    head = dept_head()
    head.profile.phone = "13900000008"
    head.profile.save()
    t = task(plan(), lead_person=person, milestones=[(DUE, "完成前三季度任务")])
    with django_capture_on_commit_callbacks(execute=True):
        outcome = {o.job.name: o for o in run(today=dt.date(2026, 10, 1), only="workplan-supervision")}
    assert outcome["workplan-supervision"].ok
    sent = [msg for phone, msg in MemorySMSBackend.outbox if phone == "13900000008"]
    notes = list(Notification.objects.filter(recipient=head))
    assert sent and [n.message for n in notes] == sent and notes[0].sms_sent and t.code in notes[0].link
    assert not Notification.objects.filter(recipient=person).exists()  # no SMS to the clerk: no bell either

    client.force_login(head)
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="bell"' in home and "/workbench/notifications/badge/" in home
    assert 'data-testid="unread-count">1<' in client.get("/workbench/notifications/badge/").content.decode()
    page = client.get("/workbench/notifications/").content.decode()
    assert sent[0] in page and notes[0].link in page

    other = staff("other_t", "410400DJ", ["registrar"], credential=False)
    client.force_login(other)
    assert sent[0] not in client.get("/workbench/notifications/").content.decode()
    client.post("/workbench/notifications/", {"pk": notes[0].pk})  # not theirs: nothing happens
    assert Notification.objects.get(pk=notes[0].pk).read_at is None

    client.force_login(head)
    client.post("/workbench/notifications/", {"pk": notes[0].pk})
    client.post("/workbench/notifications/", {"pk": notes[0].pk})  # a second click: no change, no entry
    assert Notification.objects.get(pk=notes[0].pk).read_at is not None
    assert AuditEntry.objects.filter(action="core.notification.read", actor=head).count() == 1
    assert 'data-testid="unread-count"' not in client.get("/workbench/notifications/badge/").content.decode()
