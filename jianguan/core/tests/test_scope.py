"""Data scope: a station sees its own, a district its stations', the city everything; others see nothing (404)."""

import pytest

from jianguan.core.models import OrgUnit
from jianguan.core.scope import scope_filter, scope_for

pytestmark = pytest.mark.django_db


def _codes(user):
    return set(scope_filter(OrgUnit.objects.all(), user, "id").values_list("code", flat=True))


def test_a_station_sees_only_itself(station_inspector):
    assert _codes(station_inspector) == {"41040201"}


def test_a_district_bureau_sees_itself_and_its_stations(district_officer):
    assert _codes(district_officer) == {"410402", "41040201", "41040202", "41040203"}


def test_another_district_sees_nothing_of_the_first(district_officer, other_district_officer):
    assert not (_codes(other_district_officer) & _codes(district_officer))


def test_the_city_bureau_and_its_departments_see_everything(city_leader, org):
    assert scope_for(city_leader).everything
    assert _codes(city_leader) == set(OrgUnit.objects.values_list("code", flat=True))


def test_a_user_without_a_unit_sees_nothing(db):
    from jianguan.core.tests.factories import UserFactory

    assert _codes(UserFactory()) == set()


def test_unit_page_outside_scope_is_404_not_403(login, other_district_officer):
    client = login(other_district_officer)
    assert client.get("/workbench/units/410403/").status_code == 200
    assert client.get("/workbench/units/41040301/").status_code == 200
    for code in ("410402", "41040201", "410400"):
        response = client.get(f"/workbench/units/{code}/")
        assert response.status_code == 404, code
        assert "页面不存在" in response.content.decode()


def test_station_inspector_cannot_see_a_sibling_station(login, station_inspector):
    client = login(station_inspector)
    assert client.get("/workbench/units/41040201/").status_code == 200
    assert client.get("/workbench/units/41040202/").status_code == 404


def test_api_respects_scope_with_404(org, other_district_officer):
    from jianguan.core import services

    _, key = services.api_token_create(actor=other_district_officer, name="t")
    from django.test import Client

    c = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    units = {u["code"] for u in c.get("/api/v1/units").json()}
    assert "410403" in units and "410402" not in units
    r = c.get("/api/v1/units/410402")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
