"""A NUL character in a query parameter or JSON body gets a 400 naming the parameter, never a database error."""

import pytest


@pytest.mark.django_db
def test_api_query_parameter_with_nul_is_a_400_in_the_error_format(client):
    response = client.get("/api/v1/startup/name-check", {"name": "平顶山\x00鹰城"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "bad_request"
    assert body["error"]["details"][0]["field"] == "name"
    assert "空字符" in body["error"]["message"]


@pytest.mark.django_db
def test_api_json_body_with_nul_is_a_400(client):
    response = client.post("/api/v1/complaints/", data='{"name": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "name"  # the field is named (#14)


@pytest.mark.django_db
def test_public_page_with_nul_is_a_plain_400(client):
    response = client.get("/search/", {"q": "鹰城\x00"})
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


@pytest.mark.django_db
def test_ordinary_requests_pass(client):
    assert client.get("/api/v1/startup/name-check", {"name": "平顶山市鹰城商贸有限公司"}).status_code != 400
