"""The legal reviewer's queue (法制审核): the cases awaiting review in scope, the review deadline first, a decided
review leaves it; the reviewer's home card counts them and links the queue; export; a fixed number of queries."""

import datetime as dt
from decimal import Decimal

from jianguan.core.tests.xlsx import rows
from jianguan.enforcement import services

from .factories import business, filed_case, lead, officer, reviewer


def _submitted(actor, officers, on, unit="410402"):
    the_lead = lead(actor=actor, unit=unit, discovered_on=on - dt.timedelta(days=2),
                    entity=business("41040301" if unit == "410403" else "41040201"))
    case = filed_case(actor=actor, officers=officers, on=on, the_lead=the_lead)
    services.investigation_conclude(actor=actor, case=case, report="调查终结", outcome="penalty",
                                    circumstance="normal", proposed_kinds=["fine"], proposed_fine=Decimal("5000"),
                                    goods_value=Decimal("2000"), on=on + dt.timedelta(days=5))
    services.review_submit(actor=actor, case=case, on=on + dt.timedelta(days=5))
    case.refresh_from_db()
    return case


def test_the_queue_holds_the_cases_awaiting_review_due_first(client, district_officer, officers,
                                                              django_assert_max_num_queries):
    later = _submitted(district_officer, officers, dt.date(2026, 11, 2))
    sooner = _submitted(district_officer, officers, dt.date(2026, 10, 12))
    other = officer("wd_officer", "410403")
    elsewhere = _submitted(other, [other, officer("wd_officer2", "410403")], dt.date(2026, 10, 1), unit="410403")
    filed_case(actor=district_officer, officers=officers)  # not sent to review: not in the queue
    legal = reviewer()
    client.force_login(legal)
    with django_assert_max_num_queries(15):
        body = client.get("/workbench/enforcement/reviews/").content.decode()
    assert 'data-testid="list-total">2<' in body and elsewhere.number not in body
    assert body.index(sooner.number) < body.index(later.number)  # the review deadline first
    for _ in range(3):
        _submitted(district_officer, officers, dt.date(2026, 11, 9))
    with django_assert_max_num_queries(15):
        client.get("/workbench/enforcement/reviews/")
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="review-queue-card"' in home and '/workbench/enforcement/reviews/' in home
    assert 'data-testid="card-figure">5<' in home
    services.review_decide(actor=legal, case=sooner, result="approved", opinion="同意", on=dt.date(2026, 10, 20))
    body = client.get("/workbench/enforcement/reviews/").content.decode()
    assert sooner.number not in body and 'data-testid="list-total">4<' in body
    got = rows(client.get("/workbench/enforcement/reviews/", {"q": later.number, "export": "xlsx"}))
    assert got[0][:2] == ("立案编号", "当事人") and [r[0] for r in got[1:]] == [later.number]


def test_only_the_reviewer_role_opens_the_queue(client, district_officer):
    client.force_login(district_officer)
    assert client.get("/workbench/enforcement/reviews/").status_code == 403
    assert "enforcement/reviews/" not in client.get("/workbench/").content.decode()
