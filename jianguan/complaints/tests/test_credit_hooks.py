"""Complaints feed credit: the "complaint rate" risk indicator and the credit record, with counts only."""

import datetime as dt

import pytest
from django.db import connection

from jianguan.complaints import credit_hooks
from jianguan.credit.risk import INDICATORS, Context
from jianguan.credit.timeline import PROVIDERS

from .factories import business, complaint, report

pytestmark = pytest.mark.django_db


def test_the_indicator_scores_by_threshold(org):
    many, few = business(), business()
    for i in range(10):
        complaint(entity=many, description=f"第{i}件", received_on=dt.date(2026, 3, 2))
    for i in range(3):
        complaint(entity=few, description=f"第{i}件", received_on=dt.date(2026, 3, 2))
    complaint(entity=business(), received_on=dt.date(2026, 3, 2))
    ctx = Context(on=dt.date(2026, 6, 30), points=10, closed_year=2025)
    sql, params = credit_hooks.complaint_rate(ctx)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
    assert rows == {many.pk: (20, "近12个月投诉 10 件"), few.pk: (10, "近12个月投诉 3 件")}
    assert "complaint_rate" in INDICATORS


def test_the_credit_record_shows_counts_and_no_person(org):
    shop = business()
    complaint(entity=shop, person_name="隐私人")
    report(entity=shop)
    assert credit_hooks.timeline in PROVIDERS
    events = list(credit_hooks.timeline(shop, None))
    assert len(events) == 1
    assert events[0].title == "2026年03月收到消费投诉 1 件、举报 1 件" and not events[0].public
    assert "隐私人" not in events[0].title + events[0].detail
