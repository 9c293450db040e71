"""Staff enter phone, letter and walk-in complaints; the tracking code is shown once to pass on."""

import pytest

from jianguan.complaints.models import Channel, Complaint

from .factories import business

pytestmark = pytest.mark.django_db


def test_a_phone_complaint_is_entered_and_opens_when_in_scope(org, xh_handler, login):
    shop = business()
    client = login(xh_handler)
    response = client.post("/workbench/complaints/new/", {
        "channel": "phone", "received_on": "2026-03-02", "kind": "complaint", "person_name": "电话用户",
        "person_phone": "13800000005", "entity_query": shop.name, "entity_uscc": shop.uscc, "category": "food",
        "description": "电话反映：面包发霉", "token": "b" * 32})
    c = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{c.number}/")
    assert c.channel == Channel.PHONE and str(c.received_on) == "2026-03-02" and c.entity == shop
    assert "请告知当事人查询码" in client.get(response["Location"]).content.decode()


def test_a_walk_in_about_another_district_is_routed_away(org, xh_handler, login):
    response = login(xh_handler).post("/workbench/complaints/new/", {
        "channel": "walk_in", "received_on": "2026-03-02", "kind": "complaint", "person_name": "来访者",
        "person_phone": "13800000006", "entity_query": "卫东区某小店", "division": "410403", "category": "other",
        "description": "来访反映", "token": "c" * 32})
    c = Complaint.objects.get()
    assert c.unit.code == "410403"
    assert response.status_code == 302 and response["Location"] == "/workbench/complaints/new/"
