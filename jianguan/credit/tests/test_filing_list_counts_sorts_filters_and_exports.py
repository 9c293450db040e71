"""年报报送情况 on core.lists (#15): beside the rates per unit, the entities that had to file — the total, the
non-filers first (then the late ones, then by name: the chase list), sorting on name, unit, date of establishment
and filing date, filters by filing status, unit and name or code, the export of exactly the filtered rows read back
from the file, audited; only the scope's entities; queries that do not grow with the entities."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows

from .factories import EntityFactory, credit_officer, report

pytestmark = pytest.mark.django_db
YEAR = 2025


def names(body: str, wanted) -> list[str]:
    return sorted((n for n in wanted if f">{n}<" in body), key=lambda n: body.index(f">{n}<"))


@pytest.fixture
def filers(org):
    made = {}
    for name, unit in (("平顶山市甲公司", "41040201"), ("平顶山市乙公司", "41040201"), ("平顶山市丙公司", "41040202"),
                       ("平顶山市丁公司", "41040202")):
        made[name] = EntityFactory(name=name, unit=org[unit], established_on=dt.date(2018, 1, 1))
    EntityFactory(name="卫东区某公司", unit=org["41040301"], established_on=dt.date(2018, 1, 1))  # out of scope
    report(made["平顶山市甲公司"], YEAR, filed_on=dt.date(2026, 3, 1))
    report(made["平顶山市丙公司"], YEAR, filed_on=dt.date(2026, 7, 20), late=True, total_assets=0, total_liabilities=0,
           revenue=0, profit=0, net_profit=0, tax=0)
    return made


def test_the_filing_list_counts_sorts_filters_and_exports(filers, login):
    url = reverse("credit:reports")
    everyone = [*filers, "卫东区某公司"]
    client = login(credit_officer())
    body = client.get(url, {"year": YEAR}).content.decode()
    assert 'data-testid="list-total">4<' in body and "未报的在前" in body
    assert names(body, everyone) == ["平顶山市丁公司", "平顶山市乙公司", "平顶山市丙公司", "平顶山市甲公司"]
    assert names(client.get(url, {"year": YEAR, "sort": "-filed_on"}).content.decode(), everyone)[:2] == [
        "平顶山市丙公司", "平顶山市甲公司"]
    assert 'data-testid="list-problem"' in client.get(url, {"year": YEAR, "sort": "legal_rep"}).content.decode()
    missing = client.get(url, {"year": YEAR, "status": "missing"}).content.decode()
    assert names(missing, everyone) == ["平顶山市丁公司", "平顶山市乙公司"]
    assert names(client.get(url, {"year": YEAR, "status": "late"}).content.decode(), everyone) == ["平顶山市丙公司"]
    assert names(client.get(url, {"year": YEAR, "status": "zero"}).content.decode(), everyone) == ["平顶山市丙公司"]
    assert names(client.get(url, {"year": YEAR, "unit": "41040202"}).content.decode(), everyone) == [
        "平顶山市丁公司", "平顶山市丙公司"]
    assert names(client.get(url, {"year": YEAR, "q": "甲"}).content.decode(), everyone) == ["平顶山市甲公司"]
    got = rows(client.get(url, {"year": YEAR, "export": "xlsx", "status": "filed", "sort": "entity"}))
    assert got[0] == ("主体", "统一社会信用代码", "监管单位", "成立日期", "报送情况", "报送日期", "财务全零")
    assert [r[0] for r in got[1:]] == ["平顶山市丙公司", "平顶山市甲公司"]
    assert got[1][1] == filers["平顶山市丙公司"].uscc and got[1][4] == "逾期补报" and got[1][6] == "是"
    assert got[2][4] == "已报" and got[2][5] == dt.datetime(2026, 3, 1) and got[2][6] == "否"
    assert [r[4] for r in rows(client.get(url, {"year": YEAR, "export": "xlsx", "status": "missing"}))[1:]] == [
        "未报", "未报"]
    entry = AuditEntry.objects.filter(action="list.exported", object_id="credit.filing").first()
    assert entry and entry.changes["filters"][1]["year"] == YEAR


def test_the_queries_do_not_grow_with_the_entities(filers, login, django_assert_max_num_queries):
    url = reverse("credit:reports")
    client = login(credit_officer())
    client.get(url, {"year": YEAR})
    # On PostgreSQL a district's segments are read unit by unit (core.lists.ByUnit): per segment, inside the test's
    # transaction, a savepoint with the planner setting set and reset around the merged read, then the rows by id —
    # five statements more for each of the three segments this page spans. A fixed number, as the rest.
    bound = 30 + (15 if connection.vendor == "postgresql" else 0)
    with django_assert_max_num_queries(bound) as few:
        client.get(url, {"year": YEAR})
    with django_assert_max_num_queries(30) as few_export:
        assert len(rows(client.get(url, {"year": YEAR, "export": "xlsx"}))) == 5
    for i in range(8):
        e = EntityFactory(name=f"平顶山市新{i}公司", established_on=dt.date(2019, 1, 1))
        if i % 2:
            report(e, YEAR, filed_on=dt.date(2026, 4, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">12<' in client.get(url, {"year": YEAR}).content.decode()
    with django_assert_max_num_queries(len(few_export.captured_queries)):
        assert len(rows(client.get(url, {"year": YEAR, "export": "xlsx"}))) == 13
