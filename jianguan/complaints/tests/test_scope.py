"""Outside the user's scope a complaint does not exist (404): pages, actions, evidence and the API."""

import pytest

from jianguan.core.models import ApiToken

from .factories import PNG, business, complaint, upload

pytestmark = pytest.mark.django_db


def test_another_district_sees_nothing_of_xinhua(org, wd_handler, login):
    c, _ = complaint(entity=business("41040201"), uploads=[upload("a.png", PNG)])
    client = login(wd_handler)
    assert client.get(f"/workbench/complaints/{c.number}/").status_code == 404
    assert client.post(f"/workbench/complaints/{c.number}/accept/", {"accept-on": "2026-03-03"}).status_code == 404
    token = c.evidence.get().token
    assert client.get(f"/workbench/complaints/{c.number}/evidence/{token}/").status_code == 404
    assert c.number not in client.get("/workbench/complaints/").content.decode()
    c.refresh_from_db()
    assert c.status == "received"


def test_api_outside_scope_is_404(org, wd_handler, client):
    c, _ = complaint(entity=business("41040201"))
    raw = ApiToken.generate()
    ApiToken.objects.create(user=wd_handler, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/complaints/{c.number}", **auth).status_code == 404
    response = client.post(f"/api/v1/complaints/{c.number}/accept", data={}, content_type="application/json", **auth)
    assert response.status_code == 404


def test_a_station_inspector_without_the_role_cannot_open_complaints(org, station_inspector, login):
    assert login(station_inspector).get("/workbench/complaints/").status_code == 403
