"""年报报送情况's default order — non-filers, then late filers, then those in time, each by name — is read segment by
segment (#23: ranking every one of nine million entities before the first page took 15 s). Paged across the
segments' boundaries it gives exactly the order the rank gives, every row once; the total comes from the per-unit
figures."""

import datetime as dt

import pytest
from django.urls import reverse

from jianguan.core import lists as core_lists
from jianguan.credit import selectors, views
from jianguan.credit.models import AnnualReport

from .factories import EntityFactory, credit_officer, report

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def register(org):
    """Five non-filers, six late filers, seven filed in time, names shuffled against ids; and one elsewhere."""
    made = []
    for i in range(18):
        e = EntityFactory(name=f"平顶山市{(i * 7) % 18:02d}号公司", established_on=dt.date(2018, 1, 1))
        if i % 3 == 1:
            report(e, YEAR, filed_on=dt.date(2026, 8, 1), late=True)
        elif i % 3 == 2 or i == 15:
            report(e, YEAR, filed_on=dt.date(2026, 3, 1))
        made.append(e)
    EntityFactory(name="卫东区某公司", unit=org["41040301"], established_on=dt.date(2018, 1, 1))
    return made


def expected(made, state=None) -> list[str]:
    def rank(e):
        r = AnnualReport.objects.filter(entity=e, year=YEAR).first()
        return 0 if r is None else 1 if r.late else 2

    return [e.name for e in sorted(made, key=lambda e: (rank(e), e.name)) if state is None or rank(e) == state]


def walk(client, **params) -> tuple[list[str], list[int]]:
    names, totals, page = [], [], 1
    while True:
        response = client.get(reverse("credit:reports"), {"year": YEAR, "page": page, **params})
        listing = response.context["listing"]
        names += [e.name for e in listing.rows]
        totals.append(listing.total)
        if not listing.page.has_next():
            return names, totals
        page += 1


def test_pages_across_the_segments_give_the_ranked_order_every_row_once(register, login, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 4)  # pages end inside and on the edges of the segments (5, 6, 7 rows)
    officer = credit_officer()
    client = login(officer)
    names, totals = walk(client)
    assert names == expected(register) and len(names) == 18 and set(totals) == {18}
    # the same order the rank gives (the path taken when another sort is asked for)
    qs = selectors.filing_search(officer, YEAR)
    ranked = core_lists.order(selectors.FILING_LIST, qs, core_lists.sorting(selectors.FILING_LIST, "filing"))
    assert [e.name for e in ranked] == names
    # each status reads only its segments, with its total from the figures
    assert walk(client, status="missing") == (expected(register, 0), [5, 5])
    assert walk(client, status="late")[0] == expected(register, 1)
    filed, filed_totals = walk(client, status="filed")
    assert filed == expected(register, 1) + expected(register, 2) and set(filed_totals) == {13}


def test_a_name_filter_counts_its_rows(register, login):
    client = login(credit_officer())
    names, totals = walk(client, q="1")
    assert names == [n for n in expected(register) if "1" in n] and totals == [len(names)]


def test_a_page_that_starts_past_a_segment_counts_that_segment():
    class Fake(list):
        counted = 0

        def count(self):
            Fake.counted += 1
            return len(self)

    a, b = Fake(["a1", "a2", "a3"]), Fake(["b1", "b2"])
    rows = core_lists.Segments([a, b])
    assert rows.count() == 5 and Fake.counted == 2
    rows = core_lists.Segments([a, b], total=5)
    Fake.counted = 0
    assert rows[0:2] == ["a1", "a2"] and Fake.counted == 0       # inside the first segment: no count
    assert rows[2:4] == ["a3", "b1"] and Fake.counted == 0       # across the edge: the edge is where rows ran out
    assert rows[4:6] == ["b2"] and Fake.counted == 1             # starts past the first: counts it, once
    assert rows[3:5] == ["b1", "b2"] and Fake.counted == 1
