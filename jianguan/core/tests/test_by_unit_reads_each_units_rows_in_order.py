"""core.lists.ByUnit reads a list limited to a few units one unit at a time along the unit's index (#23) — the
rows must be exactly those of the plain ordered query, at every window, alone and as a segment of Segments; and
core.planner.without never leaves its settings behind."""

import random

import pytest
from django.db import connection
from django.db.models import Q

from jianguan.core import lists, planner
from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db
PG = connection.vendor == "postgresql"


@pytest.fixture
def units(org):
    return [OrgUnit.objects.get(code=c).pk for c in ("410402", "41040201", "41040202")]


@pytest.fixture
def entities(units):
    rng = random.Random(7)
    words = ["鹰城", "湛河", "新华", "卫东", "石龙"]
    # names repeat across units (ties broken by id), and one unit in another district must never appear
    made = [EntityFactory(name=f"{rng.choice(words)}商行", unit_id=rng.choice(units)) for _ in range(40)]
    EntityFactory(name="鹰城商行", unit=OrgUnit.objects.get(code="41040301"))
    return made


def test_every_window_equals_the_plain_order(entities, units):
    qs = Entity.objects.filter(unit_id__in=units)
    plain = list(qs.order_by("name", "id").values_list("id", flat=True))
    by_unit = lists.ByUnit(qs, units, ("name", "id"))
    assert by_unit.count() == len(plain) == 40
    for start, stop in [(0, 1), (0, 7), (5, 12), (13, 40), (38, 45), (40, 50)]:
        assert [e.id for e in by_unit[start:stop]] == plain[start:stop], (start, stop)
    assert [e.id for e in lists.ByUnit(qs, units[1:2], ("name", "id"))[0:50]] == list(
        qs.filter(unit_id=units[1]).order_by("name", "id").values_list("id", flat=True))


def test_as_segments_of_a_chase_list(entities, units):
    qs = Entity.objects.filter(unit_id__in=units)
    first, rest = Q(name__startswith="鹰城"), ~Q(name__startswith="鹰城")
    expected = (list(qs.filter(first).order_by("name", "id").values_list("id", flat=True))
                + list(qs.filter(rest).order_by("name", "id").values_list("id", flat=True)))
    segments = lists.Segments([lists.ByUnit(qs.filter(first), units, ("name", "id")),
                               lists.ByUnit(qs.filter(rest), units, ("name", "id"))])
    got = []
    for start in range(0, 45, 6):
        got += [e.id for e in segments[start:start + 6]]
    assert got == expected


def test_planner_settings_do_not_outlive_the_block(db):
    with planner.without("sort", "seqscan"):
        if PG:
            with connection.cursor() as cur:
                cur.execute("SHOW enable_sort")
                assert cur.fetchone()[0] == "off"
    if PG:
        with connection.cursor() as cur:
            cur.execute("SELECT current_setting('enable_sort'), current_setting('enable_seqscan')")
            assert cur.fetchone() == ("on", "on")
    with pytest.raises(ValueError):
        with planner.without("sorting"):
            pass


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_settings_end_with_the_block(org):
    """A request outside any transaction: the block opens one, and its end resets the settings (no reset query)."""
    from django.test.utils import CaptureQueriesContext

    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as ctx, planner.without("sort"):
        list(Entity.objects.order_by("name")[:1])
    sql = [q["sql"] for q in ctx.captured_queries]
    if PG:
        assert sql[0] == "BEGIN" and "set_config('enable_sort', 'off', true)" in sql[1] and sql[-1] == "COMMIT", sql
        assert len(sql) == 4, sql
    else:
        assert len(sql) == 1, sql
    if PG:
        with connection.cursor() as cur:
            cur.execute("SHOW enable_sort")
            assert cur.fetchone()[0] == "on"
