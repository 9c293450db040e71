"""The batch register's list (core.registers on core.lists): the total, sorting on a column, a sort not offered
ignored and said, the export of exactly the rows the query shows in that order, audited; fixed number of queries."""

import datetime as dt

import pytest

from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows

from .factories import batch, supervisor

pytestmark = pytest.mark.django_db


def test_the_batch_list_sorts_and_exports_the_filtered_rows(org, login, django_assert_max_num_queries):
    user = supervisor()
    beef = [batch(actor=user, entered_on=dt.date(2026, 11, d)) for d in (3, 1, 2)]
    batch(actor=user, product="冷冻虾仁")
    client = login(user)
    with django_assert_max_num_queries(14):
        body = client.get("/workbench/coldchain/batches/", {"sort": "-entered_on"}).content.decode()
    assert 'data-testid="list-total">4<' in body
    for _ in range(4):
        batch(actor=user, product="冷冻虾仁")
    with django_assert_max_num_queries(14):
        client.get("/workbench/coldchain/batches/", {"sort": "-entered_on"})
    assert 'data-testid="list-problem"' in client.get("/workbench/coldchain/batches/",
                                                      {"sort": "nucleic_acid_report"}).content.decode()
    got = rows(client.get("/workbench/coldchain/batches/export.xlsx", {"q": "牛肉", "sort": "entered_on"}))
    assert got[0][0] == "追溯码"
    assert [x[0] for x in got[1:]] == [b.tracing_code for b in sorted(beef, key=lambda b: b.entered_on)]
    assert AuditEntry.objects.filter(action="list.exported", object_id="coldchain.batches").exists()

