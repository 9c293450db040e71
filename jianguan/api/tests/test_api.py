"""The API skeleton: OpenAPI, docs, hashed revocable tokens, one error format."""

import pytest
from django.test import Client

from jianguan.core import services
from jianguan.core.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db


def test_openapi_is_served(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and r.json()["info"]["title"].startswith("监管")


def test_docs_page_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200


def test_no_token_is_401_in_the_one_error_format(client):
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.json() == {"error": {"code": "unauthorized", "message": "需要有效的 API 令牌或登录"}}


def test_token_is_stored_hashed_and_works(station_inspector):
    token, raw = services.api_token_create(actor=station_inspector, name="手机端")
    assert raw not in token.key_hash and token.key_hash == ApiToken.hash(raw)
    r = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert r.status_code == 200
    assert r.json()["unit"]["code"] == "41040201" and r.json()["roles"] == ["inspector"]
    assert AuditEntry.objects.filter(action="core.api_token.created").exists()


def test_revoked_token_is_refused_and_revoking_twice_is_harmless(station_inspector):
    token, raw = services.api_token_create(actor=station_inspector, name="t")
    services.api_token_revoke(actor=station_inspector, token=token)
    services.api_token_revoke(actor=station_inspector, token=token)
    assert AuditEntry.objects.filter(action="core.api_token.revoked").count() == 1
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401


def test_wrong_token_is_401(db):
    assert Client(HTTP_AUTHORIZATION="Bearer jg_nope").get("/api/v1/me").status_code == 401


def test_session_auth_works_for_workbench_users(login, station_inspector):
    r = login(station_inspector).get("/api/v1/me")
    assert r.status_code == 200 and r.json()["username"] == "station_inspector"


def test_not_found_path_is_json_404(client):
    r = client.get("/api/v1/units/nowhere")
    assert r.status_code in (401, 404)


def test_token_page_shows_the_key_once(login, station_inspector):
    c = login(station_inspector)
    r = c.post("/workbench/tokens/", {"name": "脚本", "days": 30})
    body = r.content.decode()
    assert "只显示这一次" in body
    assert "只显示这一次" not in c.get("/workbench/tokens/").content.decode()
