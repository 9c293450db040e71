"""The case list, lead list and board cost a fixed number of queries, however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import filed_case


def _count(client, url) -> int:
    client.get(url)  # warm the per-process caches (rules, menu) so both counts measure the same work
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_case_list_query_count_is_constant(client, district_officer, officers):
    filed_case(actor=district_officer, officers=officers)
    client.force_login(district_officer)
    url = "/workbench/enforcement/cases/?status=open&overdue=&mine=on"
    few = _count(client, url)
    for _ in range(6):
        filed_case(actor=district_officer, officers=officers)
    assert _count(client, url) == few


def test_lead_list_query_count_is_constant(client, district_officer):
    from .factories import lead

    lead(actor=district_officer)
    client.force_login(district_officer)
    few = _count(client, "/workbench/enforcement/leads/")
    for _ in range(6):
        lead(actor=district_officer)
    assert _count(client, "/workbench/enforcement/leads/") == few


def test_board_query_count_is_constant(client, district_officer, officers, xh_head):
    filed_case(actor=district_officer, officers=officers)
    client.force_login(xh_head)
    few = _count(client, "/workbench/enforcement/board/")
    for _ in range(5):
        filed_case(actor=district_officer, officers=officers)
    assert _count(client, "/workbench/enforcement/board/") == few
