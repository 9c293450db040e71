"""The workbench export: the current search's rows within the user's scope, as CSV or Excel, audited, importable
back; refused without the permission; the query count does not grow with the rows."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.models import AuditEntry
from jianguan.registry import importexport
from jianguan.registry.models import Entity, EntityStatus

from .factories import EntityFactory, registrar

pytestmark = pytest.mark.django_db
URL = "/workbench/registry/export/"


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def entities(org):
    mine = EntityFactory.create_batch(3)
    EntityFactory(status=EntityStatus.REVOKED, status_changed_on="2024-05-01")
    EntityFactory(unit=org["41040301"], division_id="410403", registration_authority=org["410403"])  # 卫东区
    return mine


def test_csv_export_follows_the_search_and_the_scope(login, entities):
    client = login(registrar())
    r = client.get(URL, {"status": "active", "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    rows = csv_rows(r)
    assert sorted(x["统一社会信用代码"] for x in rows) == sorted(e.uscc for e in entities)
    assert rows[0]["证件号码"] == "410402199001011234"  # a registrar may see personal data
    entry = AuditEntry.objects.get(action="registry.entity.exported")
    assert entry.changes["count"] == [None, 3] and entry.changes["filters"][1] == {"status": "active"}
    assert entry.changes["personal_data"] == [None, True]


def test_the_search_text_narrows_the_export(login, entities):
    client = login(registrar())
    target = entities[1]
    rows = csv_rows(client.get(URL, {"q": target.name, "field": "name"}))
    assert [x["名称"] for x in rows] == [target.name]


def test_an_excel_export_imports_back_unchanged(login, entities, tmp_path):
    client = login(registrar())
    r = client.get(URL, {"format": "xlsx"})
    assert r.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(r.streaming_content))
    assert openpyxl.load_workbook(path).active.max_row == 5  # header + 4 in 新华区
    before = sorted(Entity.objects.filter(division_id="410402").values_list("uscc", "name", "status"))
    Entity.objects.filter(division_id="410402").delete()
    assert importexport.import_entities(path).ok
    assert sorted(Entity.objects.filter(division_id="410402").values_list("uscc", "name", "status")) == before


def test_staff_without_the_export_permission_get_403(login, entities, station_inspector):
    assert login(station_inspector).get(URL).status_code == 403
    assert not AuditEntry.objects.filter(action="registry.entity.exported").exists()


def test_the_list_page_links_to_the_export_with_its_filters(login, entities):
    body = login(registrar()).get("/workbench/registry/", {"status": "active", "after": "1"}).content.decode()
    assert f"{URL}?status=active&amp;format=csv" in body
    assert "after=1" not in body.split("export-csv")[0].rsplit("href", 1)[-1]


def test_export_queries_do_not_grow_with_rows(login, org):
    client = login(registrar())
    EntityFactory.create_batch(2)
    csv_rows(client.get(URL))  # the first request of a session does some work of its own
    with CaptureQueriesContext(connection) as few:
        csv_rows(client.get(URL))
    EntityFactory.create_batch(40)
    with CaptureQueriesContext(connection) as many:
        assert len(csv_rows(client.get(URL))) == 42
    assert len(many.captured_queries) == len(few.captured_queries)
