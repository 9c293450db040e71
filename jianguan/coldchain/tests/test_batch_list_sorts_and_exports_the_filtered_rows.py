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


def test_the_trace_list_counts_filters_and_exports(org, login, django_assert_max_num_queries):
    from jianguan.coldchain import services

    user = supervisor()
    beef = batch(actor=user)
    shrimp = batch(actor=user, product="冷冻虾仁")
    for b in (beef, shrimp):
        services.trace_start(actor=user, batch=b, reason="positive", origin=b.importer, detected_on=dt.date(2026, 11, 3))
    client = login(user)
    client.get("/workbench/coldchain/incidents/")
    with django_assert_max_num_queries(14):
        body = client.get("/workbench/coldchain/incidents/", {"sort": "product"}).content.decode()
    assert 'data-testid="list-total">2<' in body and body.index("冷冻去骨牛肉") < body.index("冷冻虾仁")
    got = rows(client.get("/workbench/coldchain/incidents/", {"export": "xlsx", "q": "虾仁", "state": "open"}))
    assert got[0][:2] == ("追溯码", "品名") and [r[0] for r in got[1:]] == [shrimp.tracing_code]
    assert AuditEntry.objects.filter(action="list.exported", object_id="coldchain.incidents").exists()
