"""A list's total is exact up to core.lists.EXACT_COUNT_UP_TO rows and, past it on PostgreSQL, the planner's
estimate shown as 约 N 条 (two million active abnormal-list entries of a province were counted on every view, #23).
Tried on 经营异常名录 with the cap lowered to 3: the count stops reading at cap + 1 rows, an estimate is never below
what was counted, SQLite keeps counting exactly, and the export's limit uses the same capped count."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jianguan.core import lists
from jianguan.core.models import AuditEntry
from jianguan.core.tests.plans import page_query, plan_without_sorting
from jianguan.credit import selectors, services
from jianguan.credit.models import Ground

from .factories import EntityFactory, credit_officer

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 8, 3)
PG = connection.vendor == "postgresql"


@pytest.fixture
def seven_listed(org):
    entities = [EntityFactory(established_on=dt.date(2018, 1, 1)) for _ in range(7)]
    for e in entities:
        services.list_enter(actor="t", entity=e, ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
    if PG:
        with connection.cursor() as cur:
            cur.execute("ANALYZE credit_listentry")
            cur.execute("ANALYZE registry_entity")
    return entities


def _total(body: str) -> str:
    start = body.index('data-testid="list-total"')
    return body[body.index(">", start) + 1:body.index("</strong>", start)]


def test_under_the_cap_the_total_is_exact_and_counted_no_further_than_the_cap(seven_listed, login):
    client = login(credit_officer())
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("credit:lists")).content.decode()
    assert _total(body) == "7"
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "credit_listentry" in q["sql"]]
    assert counts and all(f"LIMIT {lists.EXACT_COUNT_UP_TO + 1}" in sql for sql in counts), counts
    assert "EXPLAIN" not in " ".join(q["sql"] for q in ctx.captured_queries)


def test_past_the_cap_the_total_is_the_estimate_marked_as_such_on_postgresql(seven_listed, login, monkeypatch):
    monkeypatch.setattr(lists, "EXACT_COUNT_UP_TO", 3)
    monkeypatch.setattr(selectors, "ABNORMAL_LIST", dataclasses.replace(selectors.ABNORMAL_LIST, page_size=2))
    client = login(credit_officer())
    body = client.get(reverse("credit:lists")).content.decode()
    total = _total(body)
    if PG:
        assert total.startswith("约 ") and int(total.removeprefix("约 ")) >= 4  # never below what was counted
        assert "条数较多时显示数据库的估计值" in body
        assert "导出 Excel（约 " in body
    else:
        assert total == "7"  # SQLite: a city's list counts exactly
        assert "约" not in total
    # a page that holds the last row knows the total exactly, estimate or not
    last = client.get(reverse("credit:lists"), {"page": 4}).content.decode()
    assert _total(last) == "7" and min(seven_listed, key=lambda e: e.pk).name in last


def test_the_export_limit_reads_the_same_capped_count(seven_listed, login, monkeypatch):
    monkeypatch.setattr(selectors, "ABNORMAL_LIST", dataclasses.replace(selectors.ABNORMAL_LIST, export_max=2))
    client = login(credit_officer())
    before = AuditEntry.objects.filter(action="list.exported").count()
    r = client.get(reverse("credit:lists"), {"export": "xlsx"})
    assert r.status_code == 422
    text = r.content.decode()
    assert "超过一次导出的上限 2 条" in text and "请加筛选条件" in text
    assert AuditEntry.objects.filter(action="list.exported").count() == before  # nothing exported, nothing recorded
    page = client.get(reverse("credit:lists")).content.decode()  # the page says so before anyone clicks
    assert 'data-testid="list-export-over"' in page and "超过 2 条，请先筛选" in page
    assert 'data-testid="list-export"' not in page


def test_an_estimate_is_shown_to_two_significant_figures():
    spec = selectors.ABNORMAL_LIST

    def text(total, approximate=True):
        return lists.Listing(spec, None, total, lists.sorting(spec, None), approximate=approximate).total_text
    assert [text(n) for n in (4, 30, 1234, 51196, 404975, 9_999_999)] == [
        "约 4", "约 30", "约 1,200", "约 51,000", "约 400,000", "约 10,000,000"]
    assert text(51196, approximate=False) == "51196"


def test_capped_count_says_which_it_gave(seven_listed):
    qs = selectors.abnormal_entries(credit_officer("credit_cap"))
    assert lists.capped_count(qs) == (7, False)
    assert lists.capped_count(qs, 7) == (7, False)
    total, approximate = lists.capped_count(qs, 6)
    assert approximate is PG and total >= 7 if PG else (total, approximate) == (7, False)


def test_the_lists_order_has_its_index():
    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, "credit_listentry")
    index = constraints["credit_list_status_listed"]
    assert index["columns"] == ["status", "listed_on", "proposed_on", "id"]
    if PG:  # in the order core.lists writes: descending, blanks last
        assert index["orders"] == ["ASC", "DESC", "DESC", "DESC"]
    assert constraints["credit_list_removal_due"]["columns"] == ["removal_due_on"]


@pytest.mark.skipif(not PG, reason="the plan is PostgreSQL's; SQLite holds a city")
def test_the_first_page_is_read_in_index_order_not_sorted(seven_listed, login):
    """The page's own query, with sorting priced out of reach: if the index gives the list's order, the plan has
    no Sort node and reads credit_list_status_listed (an index in another order would leave a Sort)."""
    client = login(credit_officer())
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("credit:lists")).status_code == 200
    plan = plan_without_sorting(page_query(ctx.captured_queries, 'SELECT "credit_listentry"."id"'))
    assert "credit_list_status_listed" in plan and "Sort" not in plan, plan


@pytest.fixture
def two_a_page_estimated(monkeypatch):
    """Pages of two rows, the cap at 3 and the planner's estimate replaced by ``set(n)``: what the paging does when
    the estimate is short of the rows or past them, on either database."""
    monkeypatch.setattr(lists, "EXACT_COUNT_UP_TO", 3)
    monkeypatch.setattr(selectors, "ABNORMAL_LIST", dataclasses.replace(selectors.ABNORMAL_LIST, page_size=2))

    def set_estimate(n):
        monkeypatch.setattr(lists, "estimated_count", lambda qs: n)
    return set_estimate


def _shown(body, entities):
    return [e.pk for e in entities if e.name in body]


def test_an_estimate_short_of_the_rows_still_pages_to_the_last_row(seven_listed, login, two_a_page_estimated):
    two_a_page_estimated(4)
    client = login(credit_officer())
    newest_first = sorted(seven_listed, key=lambda e: -e.pk)  # one listing day: newest entry (id) first
    seen, page, bodies = [], 1, []
    while page:
        body = client.get(reverse("credit:lists"), {"page": page}).content.decode()
        bodies.append(body)
        seen += [e.pk for e in newest_first if e.name in body]
        page = page + 1 if 'rel="next"' in body else None
        assert len(bodies) < 10
    assert seen == [e.pk for e in newest_first]  # every row once, in order, though the estimate said 4
    assert _total(bodies[0]) == "约 4" and _total(bodies[1]) == "约 5"  # grows with what was seen
    assert _total(bodies[-1]) == "7" and "第 4/4 页" in bodies[-1]  # the page that ends the rows knows the total


def test_a_page_past_the_real_end_counts_once_and_shows_the_last_page(seven_listed, login, two_a_page_estimated):
    two_a_page_estimated(30)
    client = login(credit_officer())
    first = client.get(reverse("credit:lists")).content.decode()
    assert _total(first) == "约 30" and "第 1/15 页" in first
    body = client.get(reverse("credit:lists"), {"page": 15}).content.decode()
    oldest = min(seven_listed, key=lambda e: e.pk)
    assert _total(body) == "7" and "第 4/4 页" in body and oldest.name in body
    for bad in ("0", "x", "-2"):
        assert client.get(reverse("credit:lists"), {"page": bad}).status_code == 200
