"""The sample list (every sample in scope across plans) on core.lists: total, sorting, filters, the export of
exactly the filtered samples, a fixed number of queries."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.core.tests.factories import staff
from jianguan.core.tests.xlsx import rows
from jianguan.sampling.models import Sample

from .factories import drawn_plan, supervisor

pytestmark = pytest.mark.django_db


def test_the_sample_list_counts_sorts_filters_and_exports(org, login, django_assert_max_num_queries):
    user = supervisor()
    plan = drawn_plan(user)
    xh = list(Sample.objects.filter(unit__code__startswith="410402").order_by("number"))
    assert len(xh) == 2
    client = login(staff("zl_xh", "410402", ["quality_supervisor"]))
    with django_assert_max_num_queries(14):
        body = client.get("/workbench/sampling/samples/", {"sort": "-number"}).content.decode()
    assert 'data-testid="list-total">2<' in body
    assert body.index(xh[1].number) < body.index(xh[0].number)
    assert all(s.number not in body for s in Sample.objects.exclude(pk__in=[s.pk for s in xh]))
    drawn_plan(user, code="ZLCC-T-2")
    with django_assert_max_num_queries(14):
        body = client.get("/workbench/sampling/samples/", {"sort": "-number"}).content.decode()
    assert 'data-testid="list-total">4<' in body
    got = rows(login(user).get("/workbench/sampling/samples/", {"plan": plan.code, "sort": "number",
                                                               "export": "xlsx"}))
    assert got[0][:3] == ("样品编号", "抽查计划", "被抽样单位")
    assert [x[0] for x in got[1:]] == list(plan.samples.order_by("number").values_list("number", flat=True))
    assert AuditEntry.objects.filter(action="list.exported", object_id="sampling.samples").exists()
