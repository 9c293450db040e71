"""The open data API: search with filters, keyset cursors through every result, the record, errors, ETag, 429."""

from __future__ import annotations

import datetime as dt

from jianguan.core.models import OrgUnit, RuleValue
from jianguan.registry.models import EntityKind
from jianguan.registry.tests.factories import EntityFactory


def _all_pages(client, params: dict) -> list[dict]:
    rows, cursor, pages = [], "", 0
    while True:
        body = client.get("/api/v1/entities", {**params, "cursor": cursor}).json()
        rows += body["results"]
        pages += 1
        assert pages < 100
        if not body["next_cursor"]:
            return rows
        cursor = body["next_cursor"]


def test_cursor_pages_through_every_match_exactly_once_in_id_order(world, client):
    unit = OrgUnit.objects.get(code="41040201")
    made = [EntityFactory(unit=unit, name=f"鹰城分页测试{i}号商行") for i in range(7)]
    rows = _all_pages(client, {"q": "鹰城分页测试", "limit": 2})
    assert [r["uscc"] for r in rows] == [e.uscc for e in made]


def test_a_cursor_belongs_to_its_query(world, client):
    unit = OrgUnit.objects.get(code="41040201")
    for i in range(3):
        EntityFactory(unit=unit, name=f"鹰城游标{i}")
    cursor = client.get("/api/v1/entities", {"q": "鹰城游标", "limit": 1}).json()["next_cursor"]
    assert cursor
    other = client.get("/api/v1/entities", {"q": "平顶山", "cursor": cursor})
    assert other.status_code == 400 and other.json()["error"]["code"] == "bad_cursor"
    garbage = client.get("/api/v1/entities", {"cursor": "not-a-cursor!!"})
    assert garbage.status_code == 400 and set(garbage.json()) == {"error"}


def test_filters_by_kind_status_and_division_prefix(world, client):
    shop = world["shop"]
    only_shops = client.get("/api/v1/entities", {"kind": "individual"}).json()["results"]
    assert [r["uscc"] for r in only_shops] == [shop.uscc] and only_shops[0]["legal_rep"] == "王*明"
    city = client.get("/api/v1/entities", {"division": "410400"}).json()["results"]
    assert {r["uscc"] for r in city} == {world["company"].uscc, shop.uscc}
    assert client.get("/api/v1/entities", {"division": "410403"}).json()["results"] == []
    assert client.get("/api/v1/entities", {"division": "41x"}).status_code == 422
    assert client.get("/api/v1/entities", {"kind": "martian"}).status_code == 422
    assert client.get("/api/v1/entities", {"q": world["company"].uscc.lower()}).json()["results"][0]["uscc"] == \
        world["company"].uscc


def test_the_record_of_one_entity(world, client):
    company, task = world["company"], world["task"]
    body = client.get(f"/api/v1/entities/{company.uscc}").json()
    assert body["registration"]["name"] == company.name
    assert body["licences"][0]["number"] == "JY14104020012345"
    assert body["inspections"][0]["results"][0]["category_label"] == "发现问题已责令改正"
    assert body["inspections"][0]["id"] == task.pk
    assert body["complaints"]["total"] == 3
    assert "phone" not in body["annual_reports"][0] and "email" not in body["annual_reports"][0]
    assert "financials" not in body["annual_reports"][0]  # the enterprise chose not to publish them
    shop = client.get(f"/api/v1/entities/{world['shop'].uscc}").json()
    assert shop["lists"][0]["ground_label"] == "通过登记的住所或者经营场所无法联系"
    assert shop["lists"][0]["listed_on"] == world["today"].isoformat()


def test_unknown_entity_is_a_404_in_the_one_error_format(world, client):
    response = client.get("/api/v1/entities/91410402MA0000000X")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "未找到该市场主体"}}


def test_etag_answers_304_when_nothing_changed(world, client):
    url = f"/api/v1/entities/{world['company'].uscc}"
    first = client.get(url)
    assert first["Cache-Control"].startswith("public") and first["ETag"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    world["company"].name = "平顶山市鹰城放心粮油股份有限公司"
    world["company"].save()
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_too_many_requests_get_429_with_retry_after(world, client):
    RuleValue.objects.create(key="portal.open_api_rate", value="3/m", effective_from=dt.date(2000, 1, 1))
    codes = [client.get("/api/v1/entities", {"q": "平顶山"}).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    limited = client.get(f"/api/v1/entities/{world['company'].uscc}")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["error"]["code"] == "rate_limited"
    # another address has its own allowance
    assert client.get("/api/v1/entities", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_lists_plans_and_results(world, client):
    abnormal = client.get("/api/v1/lists/abnormal").json()
    assert [r["uscc"] for r in abnormal["results"]] == [world["shop"].uscc]
    assert abnormal["results"][0]["current"] is True
    assert client.get("/api/v1/lists/serious").json() == {"results": [], "next_cursor": None}
    plans = client.get("/api/v1/inspection-plans").json()["results"]
    batch = world["batch"]
    assert plans[0]["code"] == batch.plan.code
    assert plans[0]["batches"][0]["commitment"] == batch.commitment
    assert client.get(plans[0]["batches"][0]["bundle_url"]).status_code == 200
    assert client.get(plans[0]["batches"][0]["api_url"]).json()["commitment"] == batch.commitment
    results = client.get("/api/v1/inspection-results", {"entity": world["company"].uscc}).json()["results"]
    assert results[0]["results"][0]["category"] == "corrected"
    assert client.get("/api/v1/inspection-results", {"plan": "NO-SUCH"}).json()["results"] == []


def test_individual_business_operator_is_masked_everywhere_in_the_api(world, client):
    shop = world["shop"]
    assert EntityKind.INDIVIDUAL == shop.kind
    for url in (f"/api/v1/entities/{shop.uscc}", "/api/v1/entities?kind=individual"):
        text = client.get(url).content.decode()
        assert "王*明" in text and "王小明" not in text


def test_nul_bytes_are_refused_with_a_400_not_a_server_error(world, client):
    # core.middleware.RejectNulMiddleware answers before any view: PostgreSQL cannot compare a string with NUL.
    for path, params in (("/api/v1/entities", {"q": "平顶\x00山"}), ("/api/v1/lists/abnormal", {"division": "41\x00"}),
                         ("/api/v1/inspection-results", {"plan": "\x00", "entity": "\x00"})):
        response = client.get(path, params)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "bad_request"
    assert client.get("/api/v1/entities/%00").status_code == 400
    assert client.get("/search/", {"q": "平顶\x00山"}).status_code == 400
