"""An officer of another district sees nothing of 新华区's entities: 404 on the page and the API, absent from lists."""

import pytest

from .factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def xinhua_entity(org):
    return EntityFactory(name="新华区鹰城百货有限公司", legal_rep="王建国", address="新华区建设路1号")


def test_entity_page_of_another_district_is_404(login, other_district_officer, xinhua_entity):
    r = login(other_district_officer).get(f"/workbench/registry/entities/{xinhua_entity.uscc}/")
    assert r.status_code == 404
    assert "鹰城百货" not in r.content.decode()


def test_api_detail_of_another_district_is_404_in_the_one_error_format(login, other_district_officer, xinhua_entity):
    r = login(other_district_officer).get(f"/api/v1/registry/entities/{xinhua_entity.uscc}")
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "not_found", "message": "对象不存在"}}


def test_other_district_never_finds_the_entity_in_lists(login, other_district_officer, xinhua_entity):
    client = login(other_district_officer)
    for query in ("", "?q=鹰城", f"?q={xinhua_entity.uscc}", "?q=王建国&field=legal_rep", "?q=建设路&field=address"):
        body = client.get(f"/workbench/registry/{query}").content.decode()
        assert "鹰城百货" not in body, query
    for query in ("", "?q=鹰城", f"?q={xinhua_entity.uscc}", "?unit=41040201"):
        assert client.get(f"/api/v1/registry/entities{query}").json()["items"] == [], query


def test_other_districts_unit_filter_matches_nothing(login, other_district_officer, xinhua_entity):
    body = login(other_district_officer).get("/workbench/registry/?unit=41040201").content.decode()
    assert "鹰城百货" not in body


def test_other_district_does_not_see_the_licence_expiring(login, other_district_officer, xinhua_entity):
    import datetime as dt

    from django.utils import timezone

    LicenceFactory(
        entity=xinhua_entity, number="JY14104020000011", valid_until=timezone.localdate() + dt.timedelta(days=3)
    )
    body = login(other_district_officer).get("/workbench/registry/licences/expiring/").content.decode()
    assert "JY14104020000011" not in body


def test_actions_on_another_districts_entity_are_404(other_district_officer, xinhua_entity, client):
    from jianguan.core.tests.factories import staff

    foreign_registrar = staff("registrar_wd", "410403", ["registrar"])
    client.force_login(foreign_registrar)
    base = f"/workbench/registry/entities/{xinhua_entity.uscc}"
    assert client.get(f"{base}/change/").status_code == 404
    assert client.post(f"{base}/status/", {"status": "revoked", "on": "2026-01-05", "reason": "x"}).status_code == 404
    assert client.get(f"{base}/licences/new/").status_code == 404
    xinhua_entity.refresh_from_db()
    assert xinhua_entity.status == "active"


def test_district_sees_its_stations_entities_and_the_city_sees_all(login, district_officer, city_leader, xinhua_entity):
    assert login(district_officer).get(f"/workbench/registry/entities/{xinhua_entity.uscc}/").status_code == 200
    assert login(city_leader).get(f"/workbench/registry/entities/{xinhua_entity.uscc}/").status_code == 200


def test_a_station_does_not_see_a_sister_stations_entities(login, station_inspector, org):
    from jianguan.core.models import OrgUnit

    sister = EntityFactory(name="焦店所辖商店", unit=OrgUnit.objects.get(code="41040202"))
    client = login(station_inspector)
    assert client.get(f"/workbench/registry/entities/{sister.uscc}/").status_code == 404
    assert "焦店所辖商店" not in client.get("/workbench/registry/").content.decode()
