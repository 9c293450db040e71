"""Ordinary-procedure decisions are published; a warning alone and on-the-spot decisions are not."""

from __future__ import annotations

import datetime as dt

from jianguan.enforcement import publication
from jianguan.enforcement.document_models import Publication

from .docfixtures import make_case, make_penalty

TODAY = dt.date(2026, 4, 1)


def test_warning_alone_is_not_published(org, district_officer):
    penalty = make_penalty(make_case(officers=[district_officer]), kinds=["warning"], fine="0")
    assert publication.publication_schedule(penalty=penalty, actor="system", today=TODAY) is None
    counts = publication.publication_sweep(today=dt.date(2026, 6, 1), stdout=None)
    assert counts["scheduled"] == 0
    assert not Publication.objects.exists()


def test_warning_with_a_fine_is_published(org, district_officer):
    penalty = make_penalty(make_case(officers=[district_officer]), kinds=["warning", "fine"], fine="2000")
    pub = publication.publication_schedule(penalty=penalty, actor="system", today=TODAY)
    assert pub is not None and pub.is_light


def test_simplified_procedure_is_not_published(org, district_officer):
    penalty = make_penalty(make_case(officers=[district_officer], procedure="simplified"), kinds=["fine"], fine="200")
    assert publication.publication_schedule(penalty=penalty, actor="system", today=TODAY) is None
    assert publication.publication_sweep(today=dt.date(2026, 6, 1), stdout=None)["scheduled"] == 0


def test_sweep_publishes_once_served_or_on_the_deadline(org, district_officer):
    served = make_penalty(make_case(officers=[district_officer], status="served"), decided_on=TODAY)
    waiting = make_penalty(make_case(officers=[district_officer], status="decided"), decided_on=TODAY)
    counts = publication.publication_sweep(today=dt.date(2026, 4, 2), stdout=None)
    assert counts["scheduled"] == 2 and counts["published"] == 1
    assert served.publication.status == "published" and served.publication.published_on == dt.date(2026, 4, 2)
    waiting_pub = Publication.objects.get(penalty=waiting)
    assert waiting_pub.status == "pending"
    # nobody published it: the sweep does on its last day (20 working days; 4/6 Qingming, 5/1–5/5 Labour Day)
    day_before = waiting_pub.deadline - dt.timedelta(days=1)
    publication.publication_sweep(today=day_before, stdout=None)
    waiting_pub.refresh_from_db()
    assert waiting_pub.status == "pending"
    publication.publication_sweep(today=waiting_pub.deadline, stdout=None)
    waiting_pub.refresh_from_db()
    assert waiting_pub.status == "published" and waiting_pub.published_on == waiting_pub.deadline
