"""The case and lead lists (core.lists): the total, whitelisted sorting, and the Excel export holding exactly the
filtered rows in the order shown, audited; a bad sort is ignored with a message."""

import io

import openpyxl

from jianguan.core.models import AuditEntry
from jianguan.enforcement.models import Case

from .factories import filed_case, lead


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_case_list_counts_sorts_and_exports_exactly_the_filtered_rows(client, district_officer, officers):
    food = [filed_case(actor=district_officer, officers=officers, case_type="food") for _ in range(3)]
    other = filed_case(actor=district_officer, officers=officers, case_type="trademark")
    Case.objects.filter(pk=food[0].pk).update(party_name="C商行")
    Case.objects.filter(pk=food[1].pk).update(party_name="B商行")
    Case.objects.filter(pk=food[2].pk).update(party_name="A商行")
    client.force_login(district_officer)
    page = client.get("/workbench/enforcement/cases/?case_type=food&sort=party").content.decode()
    assert 'data-testid="list-total">3<' in page and other.number not in page
    assert 'aria-sort="ascending"' in page and "export=xlsx" in page

    rows = _sheet(client.get("/workbench/enforcement/cases/?case_type=food&sort=-party&export=xlsx"))
    assert rows[0] == ["立案编号", "当事人", "案由", "类型", "承办单位", "立案日期", "状态", "处理期限"]
    body = rows[1:]
    # exactly the filtered rows, in the order asked for
    assert [r[1] for r in body] == ["C商行", "B商行", "A商行"]
    assert {r[0] for r in body} == {c.number for c in food}
    assert all(r[3] and r[6] and isinstance(r[5], __import__("datetime").datetime) for r in body)
    entry = AuditEntry.objects.filter(action="list.exported").latest("id")
    assert entry.actor == district_officer and entry.object_id == "enforcement.cases"
    assert entry.changes["rows"] == [None, 3] and entry.changes["filters"][1] == {"case_type": "food"}


def test_a_sort_not_offered_is_ignored_and_said(client, district_officer, officers):
    filed_case(actor=district_officer, officers=officers)
    client.force_login(district_officer)
    for bad in ("title", "password", "-unit__staff__password", "';drop"):
        response = client.get(f"/workbench/enforcement/cases/?sort={bad}")
        assert response.status_code == 200
        assert 'data-testid="list-problem"' in response.content.decode()
    assert client.get("/workbench/enforcement/cases/?page=999999").status_code == 200
    assert client.get("/workbench/enforcement/cases/?page=abc").status_code == 200


def test_the_export_is_scoped(client, district_officer, other_district_officer, officers):
    mine = filed_case(actor=district_officer, officers=officers)
    client.force_login(other_district_officer)
    rows = _sheet(client.get("/workbench/enforcement/cases/?export=xlsx"))
    assert mine.number not in {r[0] for r in rows}


def test_lead_list_puts_the_filing_decision_due_first_and_exports_it(client, district_officer):
    import datetime as dt

    late = lead(actor=district_officer, discovered_on=dt.date(2026, 3, 9))
    early = lead(actor=district_officer, discovered_on=dt.date(2026, 3, 2))
    client.force_login(district_officer)
    page = client.get("/workbench/enforcement/leads/").content.decode()
    assert page.index(f"#{early.pk}<") < page.index(f"#{late.pk}<") and "立案决定期限最近的在前" in page
    rows = _sheet(client.get("/workbench/enforcement/leads/?export=xlsx"))
    assert [r[0] for r in rows[1:]] == [early.pk, late.pk]
    assert rows[0][3] == "线索内容" and rows[1][3]


def test_the_export_costs_the_same_queries_for_more_rows(client, district_officer, officers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    filed_case(actor=district_officer, officers=officers)
    client.force_login(district_officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            _sheet(client.get("/workbench/enforcement/cases/?export=xlsx"))
        return len(ctx.captured_queries)

    count()
    few = count()
    for _ in range(4):
        filed_case(actor=district_officer, officers=officers)
    assert count() == few
