"""The equipment API: scoped list and detail, registration and inspection through the same services (errors in
the one error format), the overdue hand-over idempotent."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.tests.factories import staff
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db


def test_register_inspect_and_hand_over_through_the_api(org, login):
    today = timezone.localdate()
    user = supervisor()
    client = login(user)
    entity = EntityFactory()
    payload = {"code": "3100410402026000099", "category": "3100", "entity_uscc": entity.uscc, "location": "建设路9号",
               "commissioned_on": (today - dt.timedelta(days=900)).isoformat(),
               "params": {"rated_load": 800, "rated_speed": "1"}}
    r = client.post("/api/v1/equipment/devices", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    device_id = r.json()["id"]
    r = client.post("/api/v1/equipment/devices", payload, content_type="application/json")
    assert r.status_code == 422 and "不能重复登记" in r.json()["error"]["message"]
    bad = {"kind": "periodic", "inspected_on": "2000-01-01", "body": "检验所", "conclusion": "passed"}
    r = client.post(f"/api/v1/equipment/devices/{device_id}/inspections", bad, content_type="application/json")
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "inspected_on"
    listed = client.get("/api/v1/equipment/devices", {"due": "overdue"}).json()
    assert [i["id"] for i in listed["items"]] == [device_id]
    first = client.post(f"/api/v1/equipment/devices/{device_id}/overdue-lead").json()
    second = client.post(f"/api/v1/equipment/devices/{device_id}/overdue-lead").json()
    assert first["lead_id"] == second["lead_id"] is not None


def test_the_api_keeps_to_the_scope(org, login):
    device = lift(actor=supervisor())
    other = staff("wd_t", "410403", ["department_head"])
    assert login(other).get(f"/api/v1/equipment/devices/{device.pk}").status_code == 404
    nobody = staff("reg_t", "410402", ["registrar"])
    assert login(nobody).get("/api/v1/equipment/devices").status_code == 403
