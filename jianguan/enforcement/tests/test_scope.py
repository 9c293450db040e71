"""Scope: an officer of another district sees nothing of 新华区 — pages and API are 404; the city leader sees all."""

import pytest

from jianguan.core.models import ApiToken

from .factories import filed_case, lead


def _token(user):
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def xh_case(district_officer, officers):
    return filed_case(actor=district_officer, officers=officers)


def test_other_district_gets_404_everywhere(client, other_district_officer, xh_case):
    client.force_login(other_district_officer)
    assert client.get(f"/workbench/enforcement/cases/{xh_case.pk}/").status_code == 404
    assert client.get(f"/workbench/enforcement/leads/{xh_case.lead_id}/").status_code == 404
    assert client.post(f"/workbench/enforcement/cases/{xh_case.pk}/act/extend/",
                       {"extend-reason": "x", "extend-on": "2026-03-10"}).status_code == 404
    listing = client.get("/workbench/enforcement/cases/")
    assert listing.status_code == 200 and xh_case.number not in listing.content.decode()
    auth = _token(other_district_officer)
    assert client.get(f"/api/v1/enforcement/cases/{xh_case.pk}", **auth).status_code == 404
    assert client.get("/api/v1/enforcement/cases", **auth).json()["items"] == []
    assert client.get(f"/api/v1/enforcement/leads/{xh_case.lead_id}", **auth).status_code == 404


def test_station_inspector_has_no_case_pages(client, station_inspector, xh_case):
    client.force_login(station_inspector)
    assert client.get("/workbench/enforcement/cases/").status_code == 403


def test_city_leader_sees_the_district_case_and_the_board(client, city_leader, xh_case):
    client.force_login(city_leader)
    page = client.get(f"/workbench/enforcement/cases/{xh_case.pk}/")
    assert page.status_code == 200 and xh_case.number in page.content.decode()
    board = client.get("/workbench/enforcement/board/")
    assert board.status_code == 200 and xh_case.number in board.content.decode()


def test_leads_list_is_scoped(client, district_officer, other_district_officer):
    mine = lead(actor=district_officer)
    client.force_login(other_district_officer)
    assert f"#{mine.pk}<" not in client.get("/workbench/enforcement/leads/").content.decode()
    client.force_login(district_officer)
    assert f"#{mine.pk}<" in client.get("/workbench/enforcement/leads/").content.decode()
