"""Every number and text from outside has a bound, and crossing it is the client's error — a 400 or 422 naming the
field, never a 500 and never stored (#14 finding 7)."""

import pytest

from jianguan.registry import importexport
from jianguan.registry.models import Entity
from jianguan.registry.tests.spreadsheets import row, write_csv

pytestmark = pytest.mark.django_db

HUGE = "9999999999999999999"


def test_a_nul_in_an_imported_name_is_refused_with_row_and_column(org, tmp_path):
    path = write_csv(tmp_path / "in.csv", [row(1), row(2, **{"名称": "平顶山\x00商贸有限公司"})])
    result = importexport.import_entities(path)
    assert not result.ok and Entity.objects.count() == 0  # all or nothing: the good row is not stored either
    problem = result.problems[0]
    assert problem.row == 3 and "控制字符" in problem.message and problem.column == "名称"


def test_collective_extension_days_are_bounded(login, city_leader):
    r = login(city_leader).post("/api/v1/enforcement/cases/1/collective-extend",
                                {"days": 10041037, "decision_no": "集体讨论〔2026〕1号"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"].endswith("days")


def test_report_year_is_bounded(login, city_leader):
    r = login(city_leader).post("/api/v1/credit/entities/91410402MA0000001X/lists",
                                {"ground": "no_report", "facts": "未报送", "report_year": 183664},
                                content_type="application/json")
    assert r.status_code == 422


@pytest.mark.parametrize("url", ["/api/v1/ip/statistics", "/api/v1/monitoring/ads/statistics",
                                 "/api/v1/quality/coverage"])
def test_statistics_years_are_bounded(login, city_leader, url):
    """Found by the staff schemathesis run: year 0 reached ``date(0, 1, 1)`` (500 ValueError)."""
    c = login(city_leader)
    for year in (0, 1999, 2101):
        r = c.get(f"{url}?year={year}")
        assert r.status_code == 422 and r.json()["error"]["details"][0]["field"].endswith("year"), (year, r.content)
    assert c.get(f"{url}?year=2026").status_code in (200, 403)


def test_a_huge_number_in_a_query_or_path_is_a_400_not_a_500(login, city_leader):
    c = login(city_leader)
    r = c.get(f"/api/v1/enforcement/cases?before={HUGE}")
    assert r.status_code in (200, 400) and ("items" in r.json() or r.json()["error"]["code"] == "bad_request")
    assert c.get(f"/api/v1/enforcement/cases/{HUGE}").status_code in (400, 404)
    assert c.get(f"/workbench/enforcement/cases/{HUGE}/").status_code in (400, 404)
    assert c.get(f"/workbench/complaints/?page={HUGE}").status_code in (200, 400)


def test_a_million_character_note_is_refused_naming_the_field(login, city_leader):
    r = login(city_leader).post("/api/v1/complaints/TS-1/claim", {"note": "长" * 1_000_000},
                                content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["details"][0]["field"] == "note"


def test_a_huge_integer_in_a_json_body_is_refused(login, city_leader):
    r = login(city_leader).post("/api/v1/enforcement/cases/1/pauses", {"days": int(HUGE)},
                                content_type="application/json")
    assert r.status_code == 400 and "数值超出范围" in r.json()["error"]["message"]


def test_a_long_form_field_is_refused(login, city_leader):
    from urllib.parse import urlencode

    r = login(city_leader).post("/workbench/password/", urlencode({"old_password": "x" * 30_000}),
                                content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400 and "old_password" in r.content.decode()
