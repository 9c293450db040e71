"""Staff API: entity search with an opaque keyset cursor, entity detail with licences and history."""

import pytest
from django.test import Client

from jianguan.core import services as core_services
from jianguan.registry import services
from jianguan.registry.models import Entity

from .factories import EntityFactory, LicenceFactory, LicenceKindFactory, registrar

pytestmark = pytest.mark.django_db


def token_client(user) -> Client:
    _, raw = core_services.api_token_create(actor=user, name="测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_search_by_token_and_fields(district_officer):
    EntityFactory(name="平顶山鹰城百货有限公司", legal_rep="王建国", address="新华区建设路10号")
    EntityFactory(name="新华区祥云饭店", kind="individual", legal_rep="李红梅", address="中兴路8号")
    client = token_client(district_officer)
    by_name = client.get("/api/v1/registry/entities", {"q": "鹰城"}).json()
    assert [i["name"] for i in by_name["items"]] == ["平顶山鹰城百货有限公司"] and by_name["next"] is None
    item = by_name["items"][0]
    assert item["kind"] == "llc" and item["kind_label"] == "有限责任公司" and item["unit_code"] == "41040201"
    assert item["status"] == "active" and item["established_on"] == "2020-05-01" and item["uscc_problem"] is None
    assert [
        i["name"] for i in client.get("/api/v1/registry/entities", {"q": "李红", "field": "legal_rep"}).json()["items"]
    ] == ["新华区祥云饭店"]
    assert [
        i["name"] for i in client.get("/api/v1/registry/entities", {"q": "中兴", "field": "address"}).json()["items"]
    ] == ["新华区祥云饭店"]
    assert [i["name"] for i in client.get("/api/v1/registry/entities", {"kind": "individual"}).json()["items"]] == [
        "新华区祥云饭店"
    ]
    code = Entity.objects.get(name="新华区祥云饭店").uscc
    assert [i["uscc"] for i in client.get("/api/v1/registry/entities", {"q": code.lower()}).json()["items"]] == [code]


def test_cursor_walks_every_row_once(district_officer):
    EntityFactory.create_batch(7)
    client = token_client(district_officer)
    seen, cursor, calls = [], None, 0
    while True:
        params = {"limit": 3} | ({"after": cursor} if cursor else {})
        page = client.get("/api/v1/registry/entities", params).json()
        seen += [i["uscc"] for i in page["items"]]
        calls += 1
        cursor = page["next"]
        if cursor is None:
            break
    assert calls == 3
    assert seen == list(Entity.objects.order_by("id").values_list("uscc", flat=True))


def test_limit_is_capped_and_a_bad_cursor_is_422(district_officer):
    client = token_client(district_officer)
    r = client.get("/api/v1/registry/entities", {"limit": 201})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_failed"
    r = client.get("/api/v1/registry/entities", {"after": "not-a-cursor"})
    assert r.status_code == 422 and r.json()["error"]["details"] == [{"field": "after"}]
    r = client.get("/api/v1/registry/entities", {"status": "bogus"})
    assert r.status_code == 422


def test_detail_has_licences_and_history(district_officer, org):
    LicenceKindFactory()
    entity = EntityFactory(name="鹰城食品店")
    LicenceFactory(entity=entity, number="JY14104020000019")
    services.entity_change(actor=registrar(), entity=entity, address="新华区中兴路1号", note="迁址")
    data = token_client(district_officer).get(f"/api/v1/registry/entities/{entity.uscc}").json()
    assert data["name"] == "鹰城食品店" and data["division_code"] == "410402" and data["industry_code"] == "52"
    assert data["registration_authority_code"] == "410402"
    (licence,) = data["licences"]
    assert licence["number"] == "JY14104020000019" and licence["kind_name"] == "食品经营许可证"
    assert licence["status"] == "valid" and isinstance(licence["days_to_expiry"], int)
    (change,) = data["history"]
    assert change["kind"] == "changed" and change["note"] == "迁址" and change["actor"] == "registrar_xh"
    assert change["changes"]["address"][1] == "新华区中兴路1号"


def test_unknown_code_is_404(district_officer):
    r = token_client(district_officer).get("/api/v1/registry/entities/91410402MA0000000X")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_without_token_is_401(org):
    r = Client().get("/api/v1/registry/entities")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_staff_without_view_entity_is_403(sysadmin):
    r = token_client(sysadmin).get("/api/v1/registry/entities")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_schemas_are_in_openapi(org):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/registry/entities" in schema["paths"]
    assert "/api/v1/registry/entities/{uscc}" in schema["paths"]
    assert "EntityDetailOut" in schema["components"]["schemas"]
