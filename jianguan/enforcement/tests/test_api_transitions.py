"""The API calls the same services: a refused transition is a 409 with the reason; bad input a 422."""

import pytest

from jianguan.core.models import ApiToken

from .factories import filed_case, lead


@pytest.fixture
def api(client, district_officer):
    raw = ApiToken.generate()
    ApiToken.objects.create(user=district_officer, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(method, url, body=None):
        if method == "post":
            return client.post(f"/api/v1/enforcement{url}", data=body or {}, content_type="application/json", **auth)
        return client.get(f"/api/v1/enforcement{url}", **auth)

    return call


def test_file_a_lead_then_refused_decision_is_409(api, client, district_officer, officers):
    from .factories import head

    the_lead = lead(actor=district_officer)
    requested = api("post", f"/leads/{the_lead.pk}/file", {
        "case_type": "product_quality", "title": "销售不合格电线", "party_kind": "organisation",
        "officers": [u.username for u in officers], "campaigns": ["dajia"], "on": "2026-03-05"})
    assert requested.status_code == 200 and requested.json()["status"] == "pending", requested.content
    raw = ApiToken.generate()
    ApiToken.objects.create(user=head(), name="h", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    filed = client.post(f"/api/v1/enforcement/leads/{the_lead.pk}/filing-decision",
                        data={"approve": True, "on": "2026-03-05"}, content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert filed.status_code == 200, filed.content
    pk = filed.json()["id"]
    detail = api("get", f"/cases/{pk}").json()
    assert detail["status"] == "filed" and detail["decision_deadline"] == "2026-06-03"
    refused = api("post", f"/cases/{pk}/notice", {"on": "2026-03-10"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "wrong_state"
    assert "已立案" in refused.json()["error"]["message"]


def test_one_officer_is_a_409_with_the_reason(api, district_officer):
    the_lead = lead(actor=district_officer)
    r = api("post", f"/leads/{the_lead.pk}/file", {"case_type": "food", "title": "t", "party_kind": "organisation",
                                                    "officers": [district_officer.username], "on": "2026-03-05"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "officers_insufficient"


def test_fine_above_maximum_is_a_409(api, district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers, case_type="metrology")
    r = api("post", f"/cases/{case.pk}/conclude", {"report": "调查终结", "outcome": "penalty",
                                                   "proposed_kinds": ["fine"], "proposed_fine": "20001",
                                                   "on": "2026-03-20"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "fine_above_maximum"
    ok = api("post", f"/cases/{case.pk}/conclude", {"report": "调查终结", "outcome": "penalty",
                                                    "proposed_kinds": ["fine"], "proposed_fine": "5000",
                                                    "on": "2026-03-20"})
    assert ok.status_code == 200 and ok.json()["status"] == "investigated"


def test_case_list_filters(api, district_officer, officers):
    a = filed_case(actor=district_officer, officers=officers, case_type="food")
    filed_case(actor=district_officer, officers=officers, case_type="metrology")
    items = api("get", "/cases?case_type=food").json()["items"]
    assert [i["number"] for i in items] == [a.number]
    assert len(api("get", f"/cases?officer={officers[1].pk}").json()["items"]) == 2
