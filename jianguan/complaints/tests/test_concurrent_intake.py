"""Submissions at the same moment get distinct numbers and an unbroken audit chain; a double click racing itself
stores one complaint and answers both clicks with its number."""

from __future__ import annotations

import pytest
from django.db import connection

from jianguan.complaints.models import Complaint
from jianguan.core import audit
from jianguan.core.models import AuditEntry
from jianguan.testing.threads import run_together

from .factories import business, complaint

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shops(org):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are exercised on PostgreSQL (SQLite runs one writer at a time)")
    return [business("41040202", name=f"平顶山市焦店超市{i}号店") for i in range(3)]


def test_concurrent_submissions_get_distinct_numbers_and_the_chain_verifies(shops):
    fns = [
        lambda i=i: (
            complaint(entity=shops[i % 3], description=f"买到过期酸奶，第{i}件", person_phone=f"1380000{i:04d}")[
                0
            ].number
        )
        for i in range(8)
    ]
    numbers, errors = run_together(fns)
    assert not errors
    assert len(set(numbers)) == 8 and Complaint.objects.count() == 8
    for pk in Complaint.objects.values_list("pk", flat=True):
        assert AuditEntry.objects.filter(action="complaints.complaint.received", object_id=str(pk)).count() == 1
    report = audit.verify_chain()
    assert report.ok, report.problem


def test_a_double_click_racing_itself_stores_one_complaint(shops):
    key = "d" * 32
    fns = [lambda: complaint(entity=shops[0], idempotency_key=key)[0].number] * 2
    numbers, errors = run_together(fns)
    assert not errors
    assert numbers[0] == numbers[1]
    assert Complaint.objects.filter(idempotency_key=key).count() == 1
    assert AuditEntry.objects.filter(action="complaints.complaint.received").count() == 1
    assert audit.verify_chain().ok
