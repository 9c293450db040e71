"""The API calls the same services: a transition the state does not allow is a 409 with a Chinese message."""

import pytest

from jianguan.core.models import ApiToken

from .factories import business, complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, xh_handler):
    raw = ApiToken.generate()
    ApiToken.objects.create(user=xh_handler, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(method, url, body=None):
        fn = getattr(client, method)
        if method == "post":
            return fn(f"/api/v1/complaints{url}", data=body or {}, content_type="application/json", **auth)
        return fn(f"/api/v1/complaints{url}", **auth)

    return call


def test_accept_then_refuse_is_a_409(org, api):
    c, _ = complaint(entity=business())
    ok = api("post", f"/{c.number}/accept", {"on": "2026-03-03"})
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    refused = api("post", f"/{c.number}/refuse", {"reason": "no_demand"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "transition_not_allowed"
    assert "已受理" in refused.json()["error"]["message"]


def test_list_filters_and_keyset_pages(org, api):
    shop = business()
    numbers = [complaint(entity=shop, description=f"第{i}件")[0].number for i in range(3)]
    page = api("get", "/?status=received").json()
    assert [r["number"] for r in page["items"]] == numbers[::-1]
    assert api("get", "/?category=prepaid").json()["items"] == []
