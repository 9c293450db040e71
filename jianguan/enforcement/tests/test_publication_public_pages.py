"""The public list searches and filters, pages by cursor, and shows only what is within its period."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jianguan.enforcement import publication

from .docfixtures import make_case, make_penalty


def _publish(officer, on, **kw):
    penalty = make_penalty(make_case(officers=[officer]), decided_on=on, **kw)
    pub = publication.publication_schedule(penalty=penalty, actor=officer, today=on)
    return publication.publication_publish(publication=pub, actor=officer, today=on)


def test_search_by_name_code_and_decision_number(client, district_officer):
    today = timezone.localdate()
    a = _publish(district_officer, today - dt.timedelta(days=3))
    b = _publish(district_officer, today - dt.timedelta(days=2))
    url = reverse("enforcement_public:index")
    page = client.get(url, {"q": a.party_name}).content.decode()
    assert a.decision_no in page and b.decision_no not in page
    page = client.get(url, {"q": b.uscc}).content.decode()
    assert b.decision_no in page and a.decision_no not in page
    page = client.get(url, {"q": a.decision_no}).content.decode()
    assert a.party_name in page
    page = client.get(url, {"authority": "平顶山市新华区市场监督管理局", "year": str(a.decided_on.year)}).content.decode()
    assert a.decision_no in page and b.decision_no in page


def test_ended_and_pending_are_not_shown(client, district_officer):
    today = timezone.localdate()
    shown = _publish(district_officer, today - dt.timedelta(days=1))
    pending = publication.publication_schedule(penalty=make_penalty(make_case(officers=[district_officer]),
                                                                    decided_on=today), actor="system", today=today)
    old = _publish(district_officer, today - dt.timedelta(days=200), kinds=["criticism"], fine="0")  # 3 months over
    page = client.get(reverse("enforcement_public:index")).content.decode()
    assert shown.decision_no in page
    assert pending.decision_no not in page and old.decision_no not in page
    assert client.get(reverse("enforcement_public:detail", args=[old.pk])).status_code == 404
    assert client.get(reverse("enforcement_public:detail", args=[pending.pk])).status_code == 404
    assert client.get(f"/api/v1/public/penalties/{old.pk}").status_code == 404


def test_api_cursor_walks_every_row_once(client, district_officer):
    today = timezone.localdate()
    pubs = [_publish(district_officer, today - dt.timedelta(days=i % 3)) for i in range(7)]
    seen, cursor = [], ""
    for _ in range(10):
        data = client.get("/api/v1/public/penalties/", {"limit": 3, "cursor": cursor}).json()
        seen += [r["decision_no"] for r in data["results"]]
        cursor = data["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(p.decision_no for p in pubs) and len(seen) == 7
    assert client.get("/api/v1/public/penalties/", {"cursor": "###"}).status_code in (400, 422)


def test_portal_lists_the_page(client, district_officer):
    assert reverse("enforcement_public:index") in client.get("/").content.decode()
