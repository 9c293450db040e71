"""List pages and list endpoints run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.models import OrgUnit
from jianguan.credit import services as credit_services
from jianguan.credit.models import Ground
from jianguan.credit.tests import factories as credit_factories
from jianguan.registry.tests.factories import EntityFactory


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _more(n: int) -> None:
    unit = OrgUnit.objects.get(code="41040201")
    officer = credit_factories.credit_officer("credit_more") if n and not hasattr(_more, "o") else None
    for _ in range(n):
        e = EntityFactory(unit=unit)
        credit_services.list_enter(actor=officer or "test", entity=e, ground=Ground.UNREACHABLE, facts="无法联系")


@pytest.mark.parametrize("url", ["/api/v1/entities?q=平顶山&limit=100", "/api/v1/lists/abnormal?limit=100",
                                 "/api/v1/inspection-results", "/api/v1/inspection-plans", "/search/?q=平顶山",
                                 "/notices/"])
def test_list_query_count_does_not_grow_with_rows(world, client, url):
    client.get(url)  # warm caches (rules, content types)
    few = _count(client, url)
    _more(6)
    more = _count(client, url)
    if "q=" in url and connection.vendor == "postgresql":
        # a name search reads its page in steps on PostgreSQL (registry.selectors.rows_in_id_order): one to three
        # reads as the density of the fragment in id order says, the last inside a savepoint with its planner
        # settings set and reset — at most six statements between the shortest path and the longest, whatever the
        # number of rows: a fixed bound, not a query per row
        assert abs(more - few) <= 6
        assert _count(client, url) == more  # and the same data, the same reads
    else:
        assert more == few


def test_record_page_and_endpoint_query_count_is_bounded(world, client):
    company = world["company"]
    api, page = _count(client, f"/api/v1/entities/{company.uscc}"), _count(client, f"/entities/{company.uscc}/")
    for i in range(3):
        credit_factories.LicenceFactory(entity=company, number=f"JY1410402009{i:04d}")
    assert _count(client, f"/api/v1/entities/{company.uscc}") == api
    assert _count(client, f"/entities/{company.uscc}/") == page
    # one query per source of the record (the equipment accidents of #17 are the fifteenth, the food grades and
    # designations of #18 the sixteenth and seventeenth), and one to note in the entity's mark that its changes are
    # built; none per row — the same count with more rows, above
    assert api <= 18
