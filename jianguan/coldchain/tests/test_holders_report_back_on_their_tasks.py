"""The closed loop from the holder's side: when a batch a shop received is recalled, the shop's enterprise account
sees its own tasks with their deadlines on the portal and reports back on each; the supervisor sees the report on
the trace page and confirms it — only then is the task done. Another holder's task, an empty report, or a report
on a task already confirmed is refused, nothing written."""

import datetime as dt

import pytest

from jianguan.coldchain import services
from jianguan.coldchain.models import Task
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import AuditEntry
from jianguan.credit.tests.factories import enterprise_account
from jianguan.registry.tests.factories import EntityFactory

from .factories import batch, hand_over, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def recalled(org):
    staff = supervisor()
    importer, shop, other = EntityFactory(), EntityFactory(name="平顶山某超市有限公司"), EntityFactory()
    b = batch(actor=staff, importer=importer)
    hand_over(actor=staff, batch=b, src=importer, dst=shop, quantity="100")
    hand_over(actor=staff, batch=b, src=importer, dst=other, quantity="100")
    incident = services.trace_start(actor=staff, batch=b, reason="recall", origin=importer,
                                    detected_on=dt.date(2026, 11, 20))
    return staff, b, shop, other, incident


def test_the_shop_sees_its_tasks_reports_and_the_supervisor_confirms(recalled, client, login):
    staff, b, shop, other, incident = recalled
    account = enterprise_account(shop)
    client.force_login(account)
    page = client.get("/coldchain/tasks/").content.decode()
    mine = Task.objects.filter(holder__entity=shop).order_by("due_at")
    assert b.tracing_code in page and all(t.label in page for t in mine) and "待处置" in page
    assert page.count('action="/coldchain/tasks/') == mine.count()  # only its own tasks, each with a form
    seal = mine.get(kind="seal")
    resp = client.post(f"/coldchain/tasks/{seal.pk}/report/", {"report": "在库 100 kg 已封存于 3 号冷库"})
    assert resp.status_code == 302
    seal.refresh_from_db()
    assert seal.report == "在库 100 kg 已封存于 3 号冷库" and seal.reported_by == account and seal.done_at is None
    assert "已报告，待确认" in client.get("/coldchain/tasks/").content.decode()
    assert AuditEntry.objects.filter(action="coldchain.task.reported", object_id=str(seal.pk)).count() == 1

    trace_page = login(staff).get(f"/workbench/coldchain/traces/{incident.pk}/").content.decode()
    assert "单位报告" in trace_page and "已封存于 3 号冷库" in trace_page and "确认完成" in trace_page
    api = login(staff).get(f"/api/v1/coldchain/traces/{incident.pk}").json()
    reported = [t for h in api["holders"] for t in h["tasks"] if t["id"] == seal.pk]
    assert reported[0]["report"] == "在库 100 kg 已封存于 3 号冷库" and reported[0]["reported_at"]
    services.task_complete(actor=staff, task=seal, result="现场核实：已封存")
    client.force_login(account)
    assert "已确认完成" in client.get("/coldchain/tasks/").content.decode()
    with pytest.raises(TransitionNotAllowed, match="已于"):
        services.task_report(actor=account, task=seal, report="改一下")


def test_another_holders_task_and_an_empty_report_are_refused(recalled, client):
    _staff, _b, shop, other, _incident = recalled
    account = enterprise_account(shop)
    theirs = Task.objects.filter(holder__entity=other).first()
    with pytest.raises(ValidationFailed, match="只能报告本单位"):
        services.task_report(actor=account, task=theirs, report="代报")
    client.force_login(account)
    assert client.post(f"/coldchain/tasks/{theirs.pk}/report/", {"report": "代报"}).status_code == 404
    mine = Task.objects.filter(holder__entity=shop).first()
    resp = client.post(f"/coldchain/tasks/{mine.pk}/report/", {"report": "  "}, follow=True)
    assert "请填写处置情况" in resp.content.decode()
    assert not Task.objects.exclude(report="").exists()
    assert client.get(f"/coldchain/tasks/{mine.pk}/report/").status_code == 405


def test_a_late_report_is_recorded_as_late_in_the_audit(recalled):
    _staff, _b, shop, _other, _incident = recalled
    task = Task.objects.filter(holder__entity=shop).order_by("due_at").first()
    services.task_report(actor=enterprise_account(shop), task=task, report="已封存",
                         now=task.due_at + dt.timedelta(hours=1))
    entry = AuditEntry.objects.get(action="coldchain.task.reported")
    assert entry.changes["late"] == [None, True]
