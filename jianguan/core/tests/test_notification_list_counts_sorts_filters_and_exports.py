"""站内通知 on core.lists (#15): one's own notifications only, the total, unread first then the latest, sorting on
time and on the SMS flag, filters (unread only, text, SMS sent or not), the export of exactly the filtered rows read
back from the file, audited; queries that do not grow with the notifications."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.models import AuditEntry, Notification
from jianguan.core.tests.factories import staff
from jianguan.core.tests.xlsx import rows

pytestmark = pytest.mark.django_db
URL = "/workbench/notifications/"


def order(body: str, wanted) -> list[str]:
    return sorted((w for w in wanted if w in body), key=body.index)


def _note(who, message, hours_ago, *, read=False, sms=False):
    now = timezone.now()
    return Notification.objects.create(recipient=who, message=message, link="/workbench/", sms_sent=sms,
                                       created_at=now - dt.timedelta(hours=hours_ago), read_at=now if read else None)


def test_the_notifications_count_sort_filter_and_export(org, login):
    me = staff("note_me", "410402", ["registrar"], credential=False)
    other = staff("note_other", "410402", ["registrar"], credential=False)
    _note(me, "通知甲", 10, read=True)
    _note(me, "通知乙", 4, sms=True)
    _note(me, "通知丙", 2, read=True, sms=True)
    _note(me, "通知丁", 6)
    _note(other, "别人的通知", 1)
    names = ["通知甲", "通知乙", "通知丙", "通知丁", "别人的通知"]
    client = login(me)
    body = client.get(URL).content.decode()
    assert 'data-testid="list-total">4<' in body and "未读的在前" in body
    assert order(body, names) == ["通知乙", "通知丁", "通知丙", "通知甲"]
    assert order(client.get(URL, {"sort": "created_at"}).content.decode(), names) == ["通知甲", "通知丁", "通知乙", "通知丙"]
    assert 'data-testid="list-problem"' in client.get(URL, {"sort": "message"}).content.decode()
    assert order(client.get(URL, {"unread": "1"}).content.decode(), names) == ["通知乙", "通知丁"]
    assert order(client.get(URL, {"sms": "1"}).content.decode(), names) == ["通知乙", "通知丙"]
    assert order(client.get(URL, {"q": "丁"}).content.decode(), names) == ["通知丁"]
    got = rows(client.get(URL, {"export": "xlsx", "sms": "1"}))
    assert got[0] == ("时间", "内容", "已发短信", "状态", "已读时间", "链接")
    assert [r[1] for r in got[1:]] == ["通知乙", "通知丙"] and got[1][2] == "是" and got[1][3] == "未读"
    assert got[2][3] == "已读" and got[2][4] is not None and got[2][5] == "/workbench/"
    assert AuditEntry.objects.filter(action="list.exported", object_id="core.notifications", actor=me).exists()


def test_the_queries_do_not_grow_with_the_notifications(org, login, django_assert_max_num_queries):
    me = staff("note_me", "410402", ["registrar"], credential=False)
    _note(me, "通知", 1)
    client = login(me)
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    with django_assert_max_num_queries(20) as few_export:
        assert len(rows(client.get(URL, {"export": "xlsx"}))) == 2
    for i in range(8):
        _note(me, f"通知{i}", i + 2, read=i % 2 == 0, sms=i % 3 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">9<' in client.get(URL).content.decode()
    with django_assert_max_num_queries(len(few_export.captured_queries)):
        assert len(rows(client.get(URL, {"export": "xlsx"}))) == 10
