"""The plan's staff API: the tree with live figures and their record links, reporting and the office's review,
scope and permissions as in the workbench."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jianguan.complaints.tests.factories import business
from jianguan.core import services as core_services
from jianguan.workplan.models import ProgressReport, Target

from .factories import dept_head, office, plan, task

pytestmark = pytest.mark.django_db


def bearer(user) -> Client:
    _token, raw = core_services.api_token_create(actor=user, name="测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def city_plan(org):
    p = plan()
    head = dept_head()
    task(p, "1.1", lead_person=head, targets=[("新登记市场主体", Target.Kind.NUMBER, "1", "registry.new_entities"),
                                             ("走访企业", Target.Kind.NUMBER, "100", "")])
    return p, head


def test_tree_carries_the_live_figure_and_the_link_to_its_records(city_leader, city_plan):
    business(established_on=dt.date(2026, 3, 1))
    body = bearer(city_leader).get("/api/v1/workplan/plans/T-2026").json()
    live, reported = body["tasks"][0]["targets"]
    assert live["metric"] == "registry.new_entities" and float(live["value"]) == 1 and live["met"] is True
    assert live["records_url"].startswith("/workbench/registry/") and live["computed_at"]
    assert reported["value"] is None and reported["records_url"] == ""


def test_report_then_review_through_the_api(city_plan):
    _p, head = city_plan
    resp = bearer(head).post("/api/v1/workplan/plans/T-2026/tasks/1.1/reports", {"text": "走访企业60家",
                             "progress": 50, "values": {}}, content_type="application/json")
    assert resp.status_code == 201
    rid = resp.json()["id"]
    duban = bearer(office())
    refused = duban.post(f"/api/v1/workplan/reports/{rid}/review", {"accept": False}, content_type="application/json")
    assert refused.status_code == 422 and "退回理由" in refused.json()["error"]["message"]
    ok = duban.post(f"/api/v1/workplan/reports/{rid}/review", {"accept": True}, content_type="application/json")
    assert ok.json()["status"] == ProgressReport.Status.ACCEPTED
    again = duban.post(f"/api/v1/workplan/reports/{rid}/review", {"accept": False, "note": "x"},
                       content_type="application/json")
    assert again.status_code == 409


def test_review_needs_the_office_permission(city_plan):
    _p, head = city_plan
    client = bearer(head)
    rid = client.post("/api/v1/workplan/plans/T-2026/tasks/1.1/reports", {"text": "x", "progress": 5},
                      content_type="application/json").json()["id"]
    assert client.post(f"/api/v1/workplan/reports/{rid}/review", {"accept": True},
                       content_type="application/json").status_code == 403


def test_a_plan_outside_the_readers_scope_is_404(city_plan, org):
    xh = dept_head("xh_head_api", "410402")
    assert bearer(xh).get("/api/v1/workplan/plans/T-2026").status_code == 404
