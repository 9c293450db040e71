"""The staff API: risk with reasons, the credit record, list entries in scope, listing decisions and refusals."""

import datetime as dt

import pytest

from jianguan.credit import risk, services
from jianguan.credit.models import Ground

from .factories import EntityFactory, credit_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity(org):
    e = EntityFactory(established_on=dt.date(2018, 1, 1))
    services.list_enter(actor="t", entity=e, ground=Ground.UNREACHABLE, facts="无法联系")
    risk.recompute()
    return e


def test_risk_with_reasons(entity, login):
    body = login(credit_officer()).get(f"/api/v1/credit/entities/{entity.uscc}/risk").json()
    assert body["risk_class"] == "D"
    assert body["reasons_text"].startswith("D: 列入经营异常名录 +30")
    assert body["history"][0]["risk_class"] == "D"


def test_other_district_gets_404(entity, login, other_district_officer):
    client = login(other_district_officer)
    assert client.get(f"/api/v1/credit/entities/{entity.uscc}/risk").status_code == 404
    assert client.get("/api/v1/credit/lists").json() == []


def test_listing_twice_is_refused_with_the_rule(entity, login):
    client = login(credit_officer())
    response = client.post(f"/api/v1/credit/entities/{entity.uscc}/lists",
                           {"ground": "unreachable", "facts": "再次"}, content_type="application/json")
    assert response.status_code == 400
    assert "同一事由不能重复列入" in response.json()["error"]["message"]


def test_removing_an_entry_and_again(entity, login):
    client = login(credit_officer())
    entry_id = client.get("/api/v1/credit/lists").json()[0]["id"]
    ok = client.post(f"/api/v1/credit/lists/{entry_id}/remove", {"reason": "住所可以联系"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "removed"
    again = client.post(f"/api/v1/credit/lists/{entry_id}/remove", {"reason": "再次"},
                        content_type="application/json")
    assert again.status_code == 409


def test_the_credit_record(entity, login):
    events = login(credit_officer()).get(f"/api/v1/credit/entities/{entity.uscc}/record").json()
    assert any(e["title"] == "列入经营异常名录" for e in events)
