"""List pages cost a fixed number of queries, however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import business, complaint, report

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm the per-process caches (rules, calendar)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_workbench_list_does_not_grow_with_rows(org, xh_handler, login):
    client = login(xh_handler)
    shop = business()
    complaint(entity=shop)
    few = _count(client, "/workbench/complaints/?status=received")
    for i in range(12):
        complaint(entity=shop, description=f"第{i}件")
        report(entity=shop, description=f"举报{i}")
    assert _count(client, "/workbench/complaints/?status=received") == few
    assert few <= 15  # 12 + the three reads of the rows' deadline_explained (complaints, transfers, pauses)


def test_the_public_stats_page_does_not_grow_with_businesses(org, client):
    for _ in range(2):
        shop = business()
        for i in range(3):
            complaint(entity=shop, description=f"第{i}件")
    few = _count(client, "/complaints/stats/")
    for _ in range(3):
        shop = business()
        for i in range(3):
            complaint(entity=shop, description=f"第{i}件")
    assert _count(client, "/complaints/stats/") == few
