"""A consumer files a complaint on the portal: the captcha is checked, the business is found by code, the
complaint goes to the station supervising it, and the consumer gets a number and a code (SMS too)."""

import re

import pytest
from django.urls import reverse

from jianguan.complaints.models import Channel, Complaint, Status

from .factories import business

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "kind": "complaint", "person_name": "李消费", "person_phone": "13800000001", "entity_query": "平顶山市无名小卖部",
        "entity_uscc": "", "division": "410402", "category": "food", "description": "买到过期酸奶", "amount": "35.5",
        "demand": "退一赔十", "token": "a" * 32, "captcha_0": "x", "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def test_portal_complaint_is_routed_to_the_supervising_station(client, org, sms, django_capture_on_commit_callbacks):
    shop = business("41040202", name="平顶山市焦店超市有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints_public:new"), form_data(entity_query=shop.uscc))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.entity == shop
    assert complaint.unit.code == "41040202"
    assert complaint.channel == Channel.PORTAL
    assert complaint.status == Status.RECEIVED
    assert re.fullmatch(r"PDS-2\d{3}-\d{6}", complaint.number)
    receipt = client.get(response["Location"])
    body = receipt.content.decode()
    assert complaint.number in body
    # a receipt one can print: the business, the unit, the date, and a print button (static print.js, CSP)
    assert "平顶山市焦店超市有限公司" in body and "data-print" in body and "jianguan/print.js" in body
    assert "13800000001" not in body and "李消费" not in body
    code = re.search(r'data-testid="code">([A-Z0-9]{6})<', body).group(1)
    assert complaint.code_hash != code and len(complaint.code_hash) == 64
    assert sms == [("13800000001", sms[0][1])] and code in sms[0][1]


def test_the_form_page_offers_a_captcha_and_a_one_time_token(client, org):
    body = client.get(reverse("complaints_public:new")).content.decode()
    assert 'name="captcha_1"' in body
    assert re.search(r'name="token" value="[0-9a-f]{32}"', body)


def test_the_captcha_looks_like_the_rest_of_the_form(client, org):
    """The answer box is a Bootstrap form-control in an input group with 换一张 beside it, the image before them;
    after a wrong answer the box is marked invalid like any other field."""
    body = client.get(reverse("complaints_public:new")).content.decode()
    group = re.search(r'<div class="input-group captcha-input">(.*?)</div>', body, re.S).group(1)
    answer = re.search(r'<input[^>]*name="captcha_1"[^>]*>', group).group(0)
    assert 'class="form-control"' in answer and 'autocomplete="off"' in answer and 'id="id_captcha_1"' in answer
    assert 'data-captcha-refresh' in group and "换一张" in group and 'name="captcha_0"' not in group
    assert body.index('img src="/captcha/image/') < body.index('name="captcha_1"') and 'id="captcha-help"' in body
    wrong = client.post(reverse("complaints_public:new"), form_data(captcha_1="WRONG")).content.decode()
    assert 'class="form-control is-invalid"' in re.search(r'<input[^>]*name="captcha_1"[^>]*>', wrong).group(0)


def test_a_business_can_be_found_by_name_fragment(client, org):
    business(name="平顶山市焦店超市有限公司")
    business(name="平顶山市西高皇药房")
    data = client.get(reverse("complaints_public:entity_lookup"), {"q": "焦店超市"}).json()
    assert [r["name"] for r in data["results"]] == ["平顶山市焦店超市有限公司"]
    # registration data only (no phone, no legal rep), with the district that choosing the business fills in
    assert set(data["results"][0]) == {"uscc", "name", "address", "division", "division_name"}
    assert data["results"][0]["division"] == "410402"


def test_the_captcha_can_be_refreshed(client, org):
    body = client.get(reverse("complaints_public:new")).content.decode()
    assert 'data-testid="captcha-refresh"' in body and 'data-refresh-url="/captcha/refresh/"' in body
    fresh = client.get("/captcha/refresh/", headers={"x-requested-with": "XMLHttpRequest"}).json()
    assert re.fullmatch(r"[0-9a-f]{40}", fresh["key"]) and fresh["image_url"].startswith("/captcha/image/")
