"""A name search in registration order reads its page in steps on PostgreSQL (#23): the next ids walked first, a
second walk as far as the density found says, then the indexes for what is missing. The rows must be exactly those
of the single query, on every page, whichever step finds them; the planner settings of the last step must not
outlive it. Tried with the walks shrunk to 5 and 20 ids so that a few dozen rows reach every step."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.models import OrgUnit
from jianguan.registry import selectors
from jianguan.registry.models import Entity

from .factories import EntityFactory

pytestmark = pytest.mark.django_db
PG = connection.vendor == "postgresql"
#: positions (in registration order) of the names that hold the fragment
MATCHES = [1, 3, 40, 41, 42, 50, 55]


@pytest.fixture
def register(org, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_WALK_IDS", 5)
    monkeypatch.setattr(selectors, "SEARCH_WALK_MAX_IDS", 20)
    units = [OrgUnit.objects.get(code="41040201"), OrgUnit.objects.get(code="41040301")]
    entities = [EntityFactory(name=f"鹰城{'稀见' if i in MATCHES else '普通'}商行{i:02d}", unit=units[i % 2])
                for i in range(60)]
    return entities


def _pages(qs, *, searched, size, after=None):
    ids = []
    while True:
        page = selectors.keyset_page(qs, after=after, size=size, searched=searched)
        ids += [e.id for e in page.items]
        if page.next_after is None:
            return ids
        after = page.next_after


@pytest.mark.parametrize("size", [1, 2, 3, 5, 50])
def test_every_page_holds_the_rows_of_the_single_query(register, size):
    qs = selectors.name_contains(Entity.objects.all(), "稀见").order_by("id")
    expected = [register[i].id for i in MATCHES]
    assert _pages(qs, searched=False, size=size) == expected
    assert _pages(qs, searched=True, size=size) == expected
    # from a cursor just before the first row, so that the first walk covers the register's first ids
    start = register[0].id - 1
    assert _pages(qs, searched=True, size=size, after=start) == expected


def test_within_a_unit_too(register):
    unit = OrgUnit.objects.get(code="41040301")  # the odd positions: 1, 3, 41, 55
    qs = selectors.name_contains(Entity.objects.filter(unit=unit), "稀见").order_by("id")
    expected = [register[i].id for i in MATCHES if i % 2]
    for size in (1, 2, 3):
        assert _pages(qs, searched=True, size=size, after=register[0].id - 1) == expected


@pytest.mark.skipif(not PG, reason="the steps are PostgreSQL's; SQLite reads the single query")
def test_which_step_reads_what(register):
    qs = selectors.name_contains(Entity.objects.all(), "稀见").order_by("id")
    start = register[0].id - 1

    def steps(after, size):
        with CaptureQueriesContext(connection) as ctx:
            page = selectors.keyset_page(qs, after=after, size=size, searched=True)
        sql = [q["sql"] for q in ctx.captured_queries]
        return [e.id for e in page.items], sum('"registry_entity"."name"' in s and "LIKE" in s for s in sql), \
            any("'enable_seqscan', 'off'" in s for s in sql)

    # two matches among the first five ids: a page of one (two rows read, to know a next page exists) is filled by
    # the first walk alone
    ids, reads, indexes = steps(start, 1)
    assert ids == [register[1].id] and reads == 1 and not indexes
    # more needed: the density (2 in 5 ids) asks for a second walk (5 ids for one row missing), which finds none,
    # then the indexes read the rest
    ids, reads, indexes = steps(start, 2)
    assert ids == [register[1].id, register[3].id] and reads == 3 and indexes
    ids, reads, indexes = steps(start, 3)
    assert ids == [register[1].id, register[3].id, register[40].id] and reads == 3 and indexes
    # nothing in the first five ids after position 3: straight to the indexes
    ids, reads, indexes = steps(register[3].id, 2)
    assert ids == [register[40].id, register[41].id] and reads == 2 and indexes
    with connection.cursor() as cur:  # the last step's settings did not outlive it
        cur.execute("SHOW enable_seqscan")
        seqscan = cur.fetchone()[0]
        cur.execute("SHOW enable_indexscan")
        assert (seqscan, cur.fetchone()[0]) == ("on", "on")


def test_the_entity_list_view_reads_the_same_rows(register, login, city_leader):
    client = login(city_leader)
    body = client.get("/workbench/registry/", {"q": "稀见"}).content.decode()
    shown = [e.name for e in register if e.name in body]
    assert shown == [register[i].name for i in MATCHES]


def test_the_public_search_reads_its_pages_the_same_way(register, client):
    """The portal's API and search page read a name search in steps too: at 10,000,000 entities the single query
    gave a p95 of 326 ms over real fragments (docs/scale.md)."""
    from jianguan.portal import public

    qs = public.search(q="稀见")
    expected = [register[i].uscc for i in MATCHES]
    for size in (1, 2, 3, 50):
        found, after = [], 0
        while True:
            with CaptureQueriesContext(connection) as ctx:
                rows, last = public.keyset_page(qs, after=after, limit=size, values=public.SUMMARY_VALUES,
                                                searched=public.searches_name("稀见"))
            found += [r["uscc"] for r in rows]
            if PG and after == 0 and size == 2:
                assert any("'enable_seqscan', 'off'" in q["sql"] for q in ctx.captured_queries)  # the last step ran
            if last is None:
                break
            after = last
        assert found == expected
    assert not public.searches_name(register[0].uscc) and not public.searches_name(" ")
    response = client.get("/api/v1/entities", {"q": "稀见", "limit": 3})
    assert [r["uscc"] for r in response.json()["results"]] == expected[:3]
