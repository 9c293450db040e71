"""The entity list sorts on its main columns (code, name, date of establishment, each both ways) and still pages by
keyset: walking 下一页 then 上一页 visits every row once in the order asked, ties broken by id; a page costs the
same number of queries however deep it is and however many rows there are, and never counts or offsets; the
export follows the order shown; a sort not offered is ignored and said."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.registry import selectors
from jianguan.registry.models import Entity

from .factories import EntityFactory, registrar

pytestmark = pytest.mark.django_db

NAMES = ["平顶山市乙商行", "平顶山市甲商行", "平顶山市丙商行", "平顶山市甲商行", "平顶山市丁商行"]  # a tie on 甲


def _entities():
    for i, name in enumerate(NAMES * 3):
        EntityFactory(name=name, established_on=dt.date(2020, 1, 1) + dt.timedelta(days=(i * 7) % 11))


def _expected(field: str, descending: bool) -> list[int]:
    rows = list(Entity.objects.values_list(field, "id"))
    return [i for _, i in sorted(rows, reverse=descending)]


def _walk(qs, sort: str, **options):
    """Every row met following 下一页 from the first page, then those met following 上一页 back from the last page
    (pages of 4), and that first page reached again."""
    forward, after = [], None
    while True:
        page = selectors.keyset_page(qs, after=after, size=4, sort=sort, **options)
        forward += [e.id for e in page.items]
        if page.next_after is None:
            break
        after = page.next_after
    back, before = [], page.prev_before
    while before is not None:
        page = selectors.keyset_page(qs, before=before, size=4, sort=sort, **options)
        back = [e.id for e in page.items] + back
        before = page.prev_before
    return forward, back, page


@pytest.mark.parametrize("sort", ["name", "-name", "established_on", "-established_on", "uscc", "-uscc"])
def test_walking_forward_and_back_sees_every_row_once_in_the_order_asked(org, sort):
    _entities()
    field, descending = selectors.ENTITY_SORTS[sort]
    expected = _expected(field, descending)
    seen, back, page = _walk(Entity.objects.order_by("id"), sort)
    assert seen == expected
    assert back == expected[:12] and page.is_first  # the last page held the last three


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_a_list_limited_to_a_few_units_is_read_per_unit_in_the_same_order(org, sort):
    """With ``units`` (a district's scope), each unit's rows are read along (unit, name, id) and merged (on
    PostgreSQL; SQLite reads the plain query): the same rows in the same order, ties on the name by id."""
    from jianguan.core.models import OrgUnit

    units = list(OrgUnit.objects.filter(code__in=["410402", "41040201", "41040202"]).order_by("code"))
    for i, name in enumerate(NAMES * 3):
        EntityFactory(name=name, unit=units[i % 3])
    EntityFactory(name="平顶山市甲商行", unit=OrgUnit.objects.get(code="410403"))  # outside the units
    field, descending = selectors.ENTITY_SORTS[sort]
    qs = Entity.objects.filter(unit__in=units).order_by("id")
    expected = [i for _, i in sorted(qs.values_list(field, "id"), reverse=descending)]
    seen, back, page = _walk(qs, sort, units=[u.pk for u in units])
    assert seen == expected
    assert back == expected[:12] and page.is_first


def test_a_cursor_outside_the_result_starts_again(org):
    _entities()
    outside = Entity.objects.order_by("name", "id").first()  # would sort first of all
    qs = Entity.objects.exclude(pk=outside.pk).order_by("id")
    page = selectors.keyset_page(qs, after=outside.pk, size=4, sort="name")
    expected = [i for i in _expected("name", False) if i != outside.pk]
    assert [e.id for e in page.items] == expected[:4] and page.is_first


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"].upper() for q in ctx.captured_queries]


def test_a_sorted_page_costs_the_same_queries_at_any_depth_and_size(login, org):
    client = login(registrar())
    _entities()
    client.get("/workbench/registry/?sort=-name")  # warm
    page = client.get("/workbench/registry/?sort=-name&status=active").context["page"]
    assert [e.id for e in page.items] == _expected("name", True)
    shallow = _queries(client, f"/workbench/registry/?sort=-name&status=active&after={_expected('name', True)[3]}")
    EntityFactory.create_batch(60, name="平顶山市戊商行")
    first = _queries(client, "/workbench/registry/?sort=-name&status=active")
    deep_after = _expected("name", True)[55]
    deep = _queries(client, f"/workbench/registry/?sort=-name&status=active&after={deep_after}")
    assert len(deep) == len(shallow)  # however many rows
    assert len(deep) == len(first) + 1  # the cursor row's sort value, read by primary key
    assert not any(" OFFSET " in q or "COUNT(" in q for q in deep)
    page = client.get(f"/workbench/registry/?sort=-name&after={deep_after}").context["page"]
    assert [e.id for e in page.items] == _expected("name", True)[56:]


def test_headers_link_the_sort_and_the_export_keeps_it(login, org):
    client = login(registrar())
    _entities()
    body = client.get("/workbench/registry/").content.decode()
    assert 'data-testid="sort-name"' in body and "按登记顺序" in body
    name_link = re.search(r'href="([^"]*)" data-testid="sort-name"', body).group(1).replace("&amp;", "&")
    assert "sort=name" in name_link
    body = client.get("/workbench/registry/?sort=name").content.decode()
    assert "按名称升序" in body
    assert re.search(r'href="[^"]*sort=-name[^"]*" data-testid="sort-name"', body)  # a second click reverses
    export = re.search(r'href="([^"]*)" data-testid="export-xlsx"', body).group(1).replace("&amp;", "&")
    assert "sort=name" in export
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(export).streaming_content)))
    codes = [r[0] for r in list(book.active.iter_rows(values_only=True))[1:]]
    by_id = dict(Entity.objects.values_list("id", "uscc"))
    assert codes == [by_id[i] for i in _expected("name", False)]


def test_a_sort_not_offered_is_ignored_and_said(login, org):
    client = login(registrar())
    _entities()
    response = client.get("/workbench/registry/?sort=legal_rep_id_no")
    assert [e.id for e in response.context["page"].items] == sorted(Entity.objects.values_list("id", flat=True))
    assert 'data-testid="list-problem"' in response.content.decode()
