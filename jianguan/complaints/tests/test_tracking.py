"""The consumer follows the complaint with number + code: status, history and next deadline, nothing else; a
wrong code gets the same answer as an unknown number; guessing is rate-limited."""

import datetime as dt

import pytest

from jianguan.complaints import services

from .factories import PNG, business, complaint, upload

pytestmark = pytest.mark.django_db
TRACK = "/complaints/track/"


def test_number_and_code_show_status_history_and_deadline(org, client, xh_handler):
    c, code = complaint(entity=business(), uploads=[upload("receipt.png", PNG)], received_on=dt.date(2026, 9, 24))
    services.complaint_transfer(actor=xh_handler, complaint=c, to_unit=c.unit.parent, reason="内部：由区局直接办理")
    response = client.post(TRACK, {"number": c.number.lower(), "code": code.lower()})
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "待受理" in body and "2026年10月12日" in body
    assert "已转新华区市场监督管理局办理" in body
    assert "内部：由区局直接办理" not in body  # staff notes stay inside
    assert "李消费" not in body and "13800000001" not in body
    evidence = c.evidence.get()
    download = client.get(f"/complaints/track/{c.number}/evidence/{evidence.token}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_a_wrong_code_and_an_unknown_number_get_the_same_generic_answer(org, client):
    c, _ = complaint(entity=business())
    wrong = client.post(TRACK, {"number": c.number, "code": "ZZZZZZ"})
    unknown = client.post(TRACK, {"number": "PDS-2026-999999", "code": "ZZZZZZ"})
    assert wrong.status_code == unknown.status_code == 422
    assert "编号或查询码不正确" in wrong.content.decode() and "编号或查询码不正确" in unknown.content.decode()
    assert client.get(f"/complaints/track/{c.number}/").status_code == 404


def test_guessing_codes_is_rate_limited(org, client, set_rule):
    set_rule("complaints.tracking_rate", "3/m")
    c, code = complaint(entity=business())
    for _ in range(3):
        client.post(TRACK, {"number": c.number, "code": "ZZZZZZ"})
    response = client.post(TRACK, {"number": c.number, "code": code})
    assert response.status_code == 429 and response["Retry-After"] == "60"


def test_the_consumer_rates_the_outcome_once(org, client, xh_handler):
    c, code = complaint(entity=business())
    services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 3, 3))
    services.complaint_agree(actor=xh_handler, complaint=c, agreement="退款", money_recovered=35, on=dt.date(2026, 3, 5))
    client.post(TRACK, {"number": c.number, "code": code})
    assert client.post(f"/complaints/track/{c.number}/rate/", {"satisfaction": "basic"}).status_code == 302
    client.post(f"/complaints/track/{c.number}/rate/", {"satisfaction": "unsatisfied"})
    c.refresh_from_db()
    assert c.satisfaction == "basic"
