import datetime as dt

import pytest

from jianguan.ip import services
from jianguan.ip.models import GIProduct

pytestmark = pytest.mark.django_db


def _token(user):
    from jianguan.core.services import api_token_create

    return api_token_create(actor=user, name="test")[1]


def test_inspector_cannot_open_ip_registers(station_inspector, login):
    client = login(station_inspector)
    assert client.get("/workbench/ip/gi_products/").status_code == 403
    assert client.get("/workbench/ip/statistics/").status_code == 403


def test_leader_sees_but_cannot_register(city_leader, login):
    client = login(city_leader)
    assert client.get("/workbench/ip/gi_products/").status_code == 200
    assert client.get("/workbench/ip/gi_products/new/").status_code == 403
    assert client.post("/workbench/ip/gi_products/new/", {"name": "x"}).status_code == 403


def test_menu_and_home_card_for_the_ip_officer(ip_officer, login):
    client = login(ip_officer)
    html = client.get("/workbench/").content.decode()
    assert "地理标志专用标志使用人" in html
    assert 'data-testid="ip-card"' in html


def test_register_list_query_count(ip_officer, entity_in, login, django_assert_max_num_queries):
    product = services.gi_product_create(actor=ip_officer, name="汝瓷", kind="certification_mark",
                                         registration_no="1", holder="汝州市汝瓷协会", area=["410482"],
                                         approved_on=dt.date(2010, 1, 1))
    for _ in range(5):
        services.gi_user_create(actor=ip_officer, product=product, entity=entity_in("410482"),
                                approved_on=dt.date(2026, 1, 1))
    client = login(ip_officer)
    with django_assert_max_num_queries(18):
        assert client.get("/workbench/ip/gi_users/").status_code == 200


def test_api_creates_and_lists_with_the_same_validation(ip_officer, client):
    headers = {"Authorization": f"Bearer {_token(ip_officer)}"}
    body = {"name": "郏县红牛", "kind": "地理标志保护产品", "registration_no": "1", "holder": "郏县人民政府",
            "area": ["410425"], "approved_on": "2011-05-01"}
    response = client.post("/api/v1/ip/gi_products", body, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "地理标志保护产品"
    again = client.post("/api/v1/ip/gi_products", body, content_type="application/json", headers=headers)
    assert again.status_code == 422
    assert "已登记" in again.json()["error"]["message"]
    bad = client.post("/api/v1/ip/gi_products", {**body, "name": "新", "approved_on": "昨天"},
                      content_type="application/json", headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "approved_on"
    listing = client.get("/api/v1/ip/gi_products", headers=headers).json()
    assert listing["count"] == 1 and GIProduct.objects.count() == 1


def test_api_refuses_without_permission(station_inspector, client):
    headers = {"Authorization": f"Bearer {_token(station_inspector)}"}
    assert client.get("/api/v1/ip/gi_products", headers=headers).status_code == 403


def test_api_identification_moves_the_deadline(ip_case, district_officer, client):
    headers = {"Authorization": f"Bearer {_token(district_officer)}"}
    url = f"/api/v1/ip/cases/{ip_case.pk}/identification"
    assert client.post(f"{url}/start", {"on": "2026-03-10"}, content_type="application/json",
                       headers=headers).json()["clock_paused"] is True
    out = client.post(f"{url}/end", {"on": "2026-03-24"}, content_type="application/json", headers=headers).json()
    assert out["decision_deadline"] == "2026-06-17"


def test_openapi_describes_every_register_endpoint(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/ip/gi_users", "/api/v1/quality/reports", "/api/v1/standards/local",
                 "/api/v1/ip/statistics", "/api/v1/quality/coverage", "/api/v1/standards/local/{pk}/advance"):
        assert path in paths, path
    assert "post" in paths["/api/v1/ip/gi_users"] and "get" in paths["/api/v1/ip/gi_users"]
