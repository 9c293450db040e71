"""Officers issuing at the same moment get distinct, consecutive numbers; two clicks on one document give one."""

from __future__ import annotations

import pytest
from django.db import connection

from jianguan.enforcement import documents
from jianguan.enforcement.document_models import Document
from jianguan.testing.threads import run_together

from .docfixtures import make_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cases(org, district_officer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency are exercised on PostgreSQL (make test runs both)")
    return [make_case(officers=[district_officer]) for _ in range(4)]


def test_concurrent_issues_get_distinct_consecutive_numbers(cases, district_officer):
    inputs = {"held_at": "3月3日", "place": "门店", "record": "检查情况"}
    fns = [lambda c=c: documents.document_issue(case=c, kind="site_inspection", actor=district_officer,
                                                inputs=inputs).number for c in cases]
    numbers, errors = run_together(fns)
    assert not errors
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"新市监检〔{n.split('〔')[1][:4]}〕{i}号" for i, n in enumerate(numbers, 1)]
    assert len(set(numbers)) == 4


def test_two_clicks_at_once_issue_one_document(cases, district_officer):
    case = cases[0]
    inputs = {"held_at": "3月3日", "place": "门店", "record": "检查情况"}
    fns = [lambda: documents.document_issue(case=case, kind="site_inspection", actor=district_officer,
                                            inputs=inputs).pk] * 2
    pks, errors = run_together(fns)
    assert not errors
    assert pks[0] == pks[1]
    assert Document.objects.filter(case=case).count() == 1
