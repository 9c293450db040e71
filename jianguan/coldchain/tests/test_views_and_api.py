"""The workbench pages and the API of cold-chain tracing: a food supervisor starts a trace from the batch page and
completes a holder's task; another district sees nothing of a batch it does not supervise; roles carry real
permissions."""

import datetime as dt

import pytest

from jianguan.coldchain.models import Incident, Task
from jianguan.core.tests.factories import staff
from jianguan.registry.tests.factories import EntityFactory

from .factories import batch, hand_over, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def traced(org):
    actor = supervisor()
    b = batch(actor=actor)
    for _ in range(5):
        hand_over(actor=actor, batch=b, src=b.importer, dst=EntityFactory(), quantity="100")
    return actor, b


def test_supervisor_starts_a_trace_from_the_batch_page_and_completes_a_task(traced, login):
    actor, b = traced
    client = login(actor)
    page = client.get(f"/workbench/coldchain/batch/{b.pk}/")
    assert page.status_code == 200 and b.tracing_code in page.content.decode()
    resp = client.post(f"/workbench/coldchain/batch/{b.pk}/", {"reason": "recall", "origin": b.importer_id,
                                                               "detected_on": "2026-11-20", "note": "召回"})
    incident = Incident.objects.get()
    assert resp.status_code == 302 and resp.url == f"/workbench/coldchain/traces/{incident.pk}/"
    assert incident.holders.count() == 6
    task = Task.objects.filter(holder__incident=incident).first()
    client.post(f"/workbench/coldchain/tasks/{task.pk}/done/", {"result": "已封存 100kg"})
    assert Task.objects.get(pk=task.pk).done_at is not None


def test_trace_page_query_count_does_not_grow_with_holders(traced, login, django_assert_max_num_queries):
    actor, b = traced
    from jianguan.coldchain import services

    incident = services.trace_start(actor=actor, batch=b, reason="recall", origin=b.importer,
                                    detected_on=dt.date(2026, 11, 20))
    client = login(actor)
    with django_assert_max_num_queries(16):
        resp = client.get(f"/workbench/coldchain/traces/{incident.pk}/")
    assert resp.status_code == 200 and resp.content.decode().count('data-testid="trace-holder"') == 6
    with django_assert_max_num_queries(14):
        assert client.get("/workbench/coldchain/traces/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/workbench/coldchain/batches/").status_code == 200


def test_other_district_sees_nothing(traced, login):
    _actor, b = traced
    other = staff("cc_other", "410403", ["food_supervisor"], name="卫东区食品监管员")
    client = login(other)
    assert client.get(f"/workbench/coldchain/batch/{b.pk}/").status_code == 404
    assert b.tracing_code not in client.get("/workbench/coldchain/batches/").content.decode()


def test_roles_without_the_permission_are_refused(traced, login, station_inspector):
    _actor, b = traced
    assert login(station_inspector).get(f"/workbench/coldchain/batch/{b.pk}/").status_code == 403


def test_home_card_counts_open_tasks(traced, login):
    actor, b = traced
    from jianguan.coldchain import services

    services.trace_start(actor=actor, batch=b, reason="recall", origin=b.importer, detected_on=dt.date(2026, 11, 20))
    body = login(actor).get("/workbench/").content.decode()
    assert 'data-testid="coldchain-tasks"' in body and f"待完成处置任务 {Task.objects.count()} 项" in body


def test_api_trace_and_task(traced, login):
    actor, b = traced
    client = login(actor)
    resp = client.post(f"/api/v1/coldchain/batches/{b.pk}/trace", {"reason": "positive", "origin": b.importer.uscc,
                                                                    "detected_on": "2026-11-20"},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    data = resp.json()
    assert len(data["holders"]) == 6 and data["holders"][0]["place"] == "origin"
    task_id = data["holders"][1]["tasks"][0]["id"]
    done = client.post(f"/api/v1/coldchain/tasks/{task_id}/done", {"result": "已通知"},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["done_at"]
    bad = client.post("/api/v1/coldchain/movements", {"batch": b.tracing_code, "holder": EntityFactory().uscc,
                                                      "direction": "出库", "quantity": "1", "moved_on": "2026-11-21"},
                      content_type="application/json")
    assert bad.status_code in (400, 409, 422)
