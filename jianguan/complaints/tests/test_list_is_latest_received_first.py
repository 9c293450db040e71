"""The workbench complaint list says "按收到日期最新在前" and means it: a 2025 complaint imported today sits below
this year's, and the next page continues in the same order without repeating or skipping a row."""

import datetime as dt
import re

from .factories import business, complaint


def _numbers(body: str) -> list[str]:
    table = re.search(r'data-testid="complaint-list">(.*?)</table>', body, re.S).group(1)
    return re.findall(r'href="/workbench/complaints/([A-Z]+-\d{4}-\d+)/"', table)


def test_list_orders_by_received_date_across_pages(org, xh_handler, login, settings, django_assert_max_num_queries):
    from jianguan.complaints import selectors

    shop = business()
    recent, _ = complaint(entity=shop, received_on=dt.date(2026, 11, 20))
    older, _ = complaint(entity=shop, received_on=dt.date(2026, 3, 2))
    imported, _ = complaint(entity=shop, received_on=dt.date(2025, 12, 30))  # registered last, received first
    client = login(xh_handler)
    with django_assert_max_num_queries(16):
        body = client.get("/workbench/complaints/").content.decode()
    assert "按收到日期最新在前" in body
    assert _numbers(body) == [recent.number, older.number, imported.number]
    # keyset paging in the same order: two per page
    first = selectors.page_of(selectors.complaints_for(xh_handler), size=2, by_received=True)
    assert [r["number"] for r in first.rows] == [recent.number, older.number]
    second = selectors.page_of(selectors.complaints_for(xh_handler), size=2, by_received=True,
                               before=first.next_before)
    assert [r["number"] for r in second.rows] == [imported.number] and second.next_before is None
