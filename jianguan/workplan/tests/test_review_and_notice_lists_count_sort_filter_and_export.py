"""The review queue (进展审核) and the supervision notices (督办提醒) on core.lists (#15): the total, the queue's
report waiting longest first and the notices unread first, sorting on their columns, filters (search, reporting
unit, milestone reported done; kind, read or unread), the export of exactly the filtered rows read back from the
file, audited; queries that do not grow with the rows (the reports' files prefetched, the tasks joined)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.tests.xlsx import rows
from jianguan.workplan.models import Notice, ProgressReport, ReportFile

from .factories import dept_head, office, plan, task

pytestmark = pytest.mark.django_db
REVIEW, NOTICES = "/workbench/workplan/review/", "/workbench/workplan/notices/"


def order(body: str, wanted) -> list[str]:
    return sorted((w for w in wanted if w in body), key=body.index)


def _report(t, author, unit: str, text: str, days_ago: int, progress: int = 50, completes: bool = False, files=0):
    r = ProgressReport.objects.create(
        task=t, milestone=t.milestones.first(), completes_milestone=completes, unit=OrgUnit.objects.get(code=unit),
        author=author, text=text, progress=progress, submitted_on=timezone.localdate() - dt.timedelta(days=days_ago),
        submitted_at=timezone.now() - dt.timedelta(days=days_ago))
    for i in range(files):
        ReportFile.objects.create(report=r, file=f"workplan/x{r.pk}-{i}.pdf", original_name=f"佐证{r.pk}-{i}.pdf",
                                  content_type="application/pdf", size=1024)
    return r


@pytest.fixture
def queue(org):
    p = plan()
    head = dept_head()
    t1 = task(p, "1.1", lead_person=head)
    t2 = task(p, "1.2", title="深入推进双随机一公开监管", lead="410400XY")
    _report(t1, head, "410400DJ", "甲报告：已完成方案", 3, progress=30, files=1)
    _report(t2, head, "410400XY", "乙报告：走访企业", 5, progress=80, completes=True)
    _report(t1, head, "410400DJ", "丙报告：培训", 1, progress=60)
    _report(t2, head, "410400XY", "丁报告：已通过", 9).__class__.objects.filter(text="丁报告：已通过").update(
        status=ProgressReport.Status.ACCEPTED)
    return p, head


def test_the_review_queue_counts_sorts_filters_and_exports(queue, login):
    client = login(office())
    names = ["甲报告", "乙报告", "丙报告", "丁报告"]
    body = client.get(REVIEW).content.decode()
    assert 'data-testid="list-total">3<' in body and "最早报送的在前" in body
    assert order(body, names) == ["乙报告", "甲报告", "丙报告"]  # waiting longest first; accepted ones not here
    assert order(client.get(REVIEW, {"sort": "-progress"}).content.decode(), names) == ["乙报告", "丙报告", "甲报告"]
    assert order(client.get(REVIEW, {"sort": "task"}).content.decode(), names)[-1] == "乙报告"
    assert 'data-testid="list-problem"' in client.get(REVIEW, {"sort": "text"}).content.decode()
    assert order(client.get(REVIEW, {"unit": "410400DJ"}).content.decode(), names) == ["甲报告", "丙报告"]
    assert order(client.get(REVIEW, {"completes": "1"}).content.decode(), names) == ["乙报告"]
    assert order(client.get(REVIEW, {"q": "培训"}).content.decode(), names) == ["丙报告"]
    got = rows(client.get(REVIEW, {"export": "xlsx", "unit": "410400DJ"}))
    assert got[0] == ("报送日期", "计划年度", "任务", "进展情况", "报送单位", "报送人", "进度（%）", "对应节点", "节点时限",
                      "报节点完成", "报送指标（项）", "附件（个）")
    assert [r[3] for r in got[1:]] == ["甲报告：已完成方案", "丙报告：培训"]
    assert got[1][2] == "1.1 深化放管服改革" and got[1][6] == 30 and got[1][9] == "否" and got[1][11] == 1
    assert AuditEntry.objects.filter(action="list.exported", object_id="workplan.review").exists()
    assert login(queue[1]).get(REVIEW, {"export": "xlsx"}).status_code == 403  # a reporter does not review


def test_the_review_queue_queries_do_not_grow_with_the_reports(queue, login, django_assert_max_num_queries):
    p, head = queue
    client = login(office())
    client.get(REVIEW)
    with django_assert_max_num_queries(25) as few:
        client.get(REVIEW)
    with django_assert_max_num_queries(25) as few_export:
        assert len(rows(client.get(REVIEW, {"export": "xlsx"}))) == 4
    t = task(p, "1.3", title="任务三")
    for i in range(6):
        _report(t, head, "410402", f"新报告{i}", 2, files=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">9<' in client.get(REVIEW).content.decode()
    with django_assert_max_num_queries(len(few_export.captured_queries)):
        assert len(rows(client.get(REVIEW, {"export": "xlsx"}))) == 10


def _notice(t, who, kind, message, days_ago, read=False, milestone=True):
    return Notice.objects.create(task=t, milestone=t.milestones.first() if milestone else None, kind=kind, recipient=who, message=message,
                                 sent_on=timezone.localdate() - dt.timedelta(days=days_ago),
                                 read_at=timezone.now() if read else None)


def test_the_notices_count_sort_filter_and_export(org, login):
    p = plan()
    head = dept_head()
    t = task(p, "1.1", lead_person=head)
    _notice(t, head, Notice.Kind.REMINDER, "提醒甲", 10, read=True)
    _notice(t, head, Notice.Kind.OVERDUE, "督办乙", 4)
    _notice(t, head, Notice.Kind.REMINDER, "提醒丙", 2, read=True, milestone=False)
    _notice(t, head, Notice.Kind.RETURNED, "退回丁", 6)
    _notice(t, office(), Notice.Kind.REMINDER, "别人的", 1)
    names = ["提醒甲", "督办乙", "提醒丙", "退回丁", "别人的"]
    client = login(head)
    body = client.get(NOTICES).content.decode()
    assert 'data-testid="list-total">4<' in body and "未读的在前" in body and 'data-testid="notice-unread">2<' in body
    assert order(body, names) == ["督办乙", "退回丁", "提醒丙", "提醒甲"]  # unread first, the latest first
    assert order(client.get(NOTICES, {"sort": "sent_on"}).content.decode(), names) == [
        "提醒甲", "退回丁", "督办乙", "提醒丙"]
    assert order(client.get(NOTICES, {"state": "read"}).content.decode(), names) == ["提醒丙", "提醒甲"]
    assert order(client.get(NOTICES, {"kind": "reminder"}).content.decode(), names) == ["提醒丙", "提醒甲"]
    assert order(client.get(NOTICES, {"q": "退回"}).content.decode(), names) == ["退回丁"]
    got = rows(client.get(NOTICES, {"export": "xlsx", "state": "unread"}))
    assert got[0] == ("日期", "类型", "内容", "任务", "节点时限", "状态", "已读时间")
    assert [r[2] for r in got[1:]] == ["督办乙", "退回丁"] and got[1][1] == "逾期督办" and got[1][5] == "未读"
    assert got[1][3] == "2026 · 1.1 深化放管服改革"
    assert AuditEntry.objects.filter(action="list.exported", object_id="workplan.notices").exists()


def test_the_notices_queries_do_not_grow_with_the_notices(org, login, django_assert_max_num_queries):
    p = plan()
    head = dept_head()
    t = task(p, "1.1", lead_person=head)
    _notice(t, head, Notice.Kind.REMINDER, "提醒", 1)
    client = login(head)
    client.get(NOTICES)
    with django_assert_max_num_queries(20) as few:
        client.get(NOTICES)
    with django_assert_max_num_queries(25) as few_export:
        assert len(rows(client.get(NOTICES, {"export": "xlsx"}))) == 2
    for i in range(2, 9):
        other = task(p, f"1.{i}", title=f"任务{i}")
        _notice(other, head, Notice.Kind.OVERDUE, f"督办{i}", i, read=i % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">8<' in client.get(NOTICES).content.decode()
    with django_assert_max_num_queries(len(few_export.captured_queries)):
        assert len(rows(client.get(NOTICES, {"export": "xlsx"}))) == 9
