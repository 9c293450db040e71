"""Keyset pagination: walking forward with "下一页" and back with "上一页" visits every row once, in id order."""

import re

import pytest

from jianguan.registry import selectors
from jianguan.registry.models import Entity

from .factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_forward_and_backward_walks_see_every_row_once(org):
    EntityFactory.create_batch(23)
    ids = list(Entity.objects.order_by("id").values_list("id", flat=True))
    qs = Entity.objects.order_by("id")

    seen, pages, after = [], 0, None
    while True:
        page = selectors.keyset_page(qs, after=after, size=5)
        seen += [e.id for e in page.items]
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == ids and pages == 5

    back, before = [], page.prev_before
    while before is not None:
        page = selectors.keyset_page(qs, before=before, size=5)
        back = [e.id for e in page.items] + back
        before = page.prev_before
    assert back == ids[:20]  # the last page held ids[20:]
    assert page.is_first and page.items[0].id == ids[0]


def test_previous_of_the_second_page_is_the_first_page(org):
    EntityFactory.create_batch(12)
    qs = Entity.objects.order_by("id")
    first = selectors.keyset_page(qs, size=5)
    second = selectors.keyset_page(qs, after=first.next_after, size=5)
    again = selectors.keyset_page(qs, before=second.prev_before, size=5)
    assert [e.id for e in again.items] == [e.id for e in first.items]
    assert again.prev_before is None and again.next_after == first.next_after


def test_past_the_end_offers_the_last_page(org):
    EntityFactory.create_batch(3)
    last_id = Entity.objects.order_by("id").last().id
    page = selectors.keyset_page(Entity.objects.order_by("id"), after=last_id, size=5)
    assert page.items == [] and page.prev_before == last_id + 1


def test_list_page_links_carry_after_and_before(login, district_officer, org):
    EntityFactory.create_batch(55, name="鹰城连锁店")
    ids = list(Entity.objects.order_by("id").values_list("id", flat=True))
    client = login(district_officer)

    first = client.get("/workbench/registry/?q=鹰城连锁")
    body = first.content.decode()
    assert [e.id for e in first.context["page"].items] == ids[:50]
    next_link = re.search(r'href="([^"]*)"[^>]*>下一页', body).group(1).replace("&amp;", "&")
    assert f"after={ids[49]}" in next_link and "q=" in next_link

    second = client.get(f"/workbench/registry/{next_link}")
    assert [e.id for e in second.context["page"].items] == ids[50:]
    body = second.content.decode()
    assert "下一页</span>" in body  # disabled: nothing further
    prev_link = re.search(r'href="([^"]*)"[^>]*>上一页', body).group(1).replace("&amp;", "&")
    assert f"before={ids[50]}" in prev_link and "after=" not in prev_link

    back = client.get(f"/workbench/registry/{prev_link}")
    assert [e.id for e in back.context["page"].items] == ids[:50]


def test_no_count_over_the_table_when_paging(login, district_officer, org):
    EntityFactory.create_batch(55)
    client = login(district_officer)
    client.get("/workbench/registry/")  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/workbench/registry/?q=测试商贸")
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


def test_count_is_exact_on_a_single_page_and_an_estimate_only_from_the_planner(login, district_officer, org):
    from django.db import connection

    EntityFactory.create_batch(3)
    client = login(district_officer)
    assert "共 3 条" in client.get("/workbench/registry/").content.decode()
    estimate = selectors.estimated_count(Entity.objects.filter(status="active"))
    if connection.vendor == "postgresql":
        assert isinstance(estimate, int) and estimate >= 0
    else:
        assert estimate is None  # SQLite has no cheap estimate: the page omits the total
