"""List pages run a fixed number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.inspections import services

from . import factories


def _queries(client, url):
    """The page's own queries: after a warm-up request (caches), the lower of two counts (the session's
    "last seen" time is written at most every 30 seconds, whichever request that falls on)."""
    client.get(url)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    return min(counts)


@pytest.fixture
def two_sizes(xh):
    small = factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 1}), step="published")
    large = factories.batch(
        xh["head"],
        factories.plan(xh["head"], items=[factories.item("X2")], quota_overrides={"B": 5, "D": 5}),
        step="published",
    )
    for task in list(small.tasks.all()) + list(large.tasks.all()):
        factories.conclude(task, "unreachable")
    services.results_publish(actor=xh["head"], tasks=list(small.tasks.all()) + list(large.tasks.all()))
    return small, large


def test_batch_task_lists_are_constant(two_sizes, xh, login):
    small, large = two_sizes
    client = login(xh["head"])
    assert _queries(client, f"/workbench/inspections/batches/{small.pk}/") == _queries(
        client, f"/workbench/inspections/batches/{large.pk}/"
    )


def test_other_lists_are_constant(two_sizes, xh, login, client):
    head = login(xh["head"])
    for url in (
        "/workbench/inspections/",
        "/workbench/inspections/tasks/?all=1",
        "/workbench/inspections/proposals/",
        "/workbench/inspections/inspectors/",
        "/workbench/inspections/items/",
    ):
        assert _queries(head, url) <= 20, url
    client.logout()
    small, large = two_sizes
    assert _queries(client, f"/inspections/plans/{small.plan.code}/batches/1/") == _queries(
        client, f"/inspections/plans/{large.plan.code}/batches/1/"
    )
    assert _queries(client, "/inspections/results/") <= 8
    assert _queries(client, "/inspections/") <= 8


def test_unassigned_entities_cost_no_extra_query(xh, login, client):
    """The unassigned list is a snapshot taken at the draw: a batch with unassigned entities shows them (name and
    unit) for the same number of queries as a batch without any."""
    without = factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 1}), step="published")
    factories.inspector("lonely_q", unit="41040202")
    alone = factories.entities(3, unit="41040202", risk="D")
    with_unassigned = factories.batch(
        xh["head"],
        factories.plan(xh["head"], items=[factories.item("X3")], quota_overrides={"A": 0, "B": 0, "C": 0, "D": 13}),
        step="published",
    )
    assert not without.unassigned and {e.uscc for e in alone} <= set(with_unassigned.unassigned)
    assert {e.name for e in alone} <= {u["name"] for u in with_unassigned.unassigned_entities}
    head = login(xh["head"])
    body = head.get(f"/workbench/inspections/batches/{with_unassigned.pk}/").content.decode()
    assert alone[0].name in body and alone[0].unit.name in body
    assert _queries(head, f"/workbench/inspections/batches/{without.pk}/") == _queries(
        head, f"/workbench/inspections/batches/{with_unassigned.pk}/"
    )
    client.logout()
    public = client.get(f"/inspections/plans/{with_unassigned.plan.code}/batches/1/").content.decode()
    assert alone[0].name in public
    assert _queries(client, f"/inspections/plans/{without.plan.code}/batches/1/") == _queries(
        client, f"/inspections/plans/{with_unassigned.plan.code}/batches/1/"
    )


def test_task_list_counts_sorts_and_exports_exactly_the_filtered_tasks(two_sizes, xh, login):
    """core.lists on the task list: the total, a sort by 检查对象, and the Excel file holding exactly the tasks of
    the status filter, in the order shown; the export costs the same queries for 2 or 12 tasks."""
    import io

    import openpyxl

    from jianguan.core.models import AuditEntry
    from jianguan.inspections.models import InspectionTask

    small, large = two_sizes
    head = login(xh["head"])
    tasks = list(InspectionTask.objects.filter(batch__in=[small, large]).select_related("entity"))
    body = head.get("/workbench/inspections/tasks/?all=1&status=published&sort=entity").content.decode()
    assert f'data-testid="list-total">{len(tasks)}<' in body
    names = [t.entity.name for t in sorted(tasks, key=lambda t: (t.entity.name, t.pk))]
    assert body.index(names[0]) < body.index(names[-1])

    def export():
        with CaptureQueriesContext(connection) as ctx:
            r = head.get("/workbench/inspections/tasks/?all=1&status=published&sort=entity&export=xlsx")
        assert r.status_code == 200
        rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True))
        return rows, len(ctx)

    rows, n = export()
    assert rows[0] == ("检查对象", "统一社会信用代码", "监管单位", "分层", "检查组", "期限", "状态")
    assert [r[0] for r in rows[1:]] == names and all(r[6] == "已公示" for r in rows[1:])
    assert head.get("/workbench/inspections/tasks/?all=1&status=assigned&export=xlsx").status_code == 200
    assert AuditEntry.objects.filter(action="list.exported", object_id="inspections.tasks").count() == 2
    # the same export on the small batch only costs as many queries
    InspectionTask.objects.filter(batch=large).update(status="confirmed")
    assert export()[1] == n


def test_task_list_ignores_a_bad_sort_and_status(xh, login):
    head = login(xh["head"])
    body = head.get("/workbench/inspections/tasks/?all=1&sort=ticket&status=nonsense").content.decode()
    assert 'data-testid="list-problem"' in body


def test_the_plan_list_counts_sorts_filters_and_exports(two_sizes, xh, login):
    from jianguan.core.models import AuditEntry
    from jianguan.core.tests.xlsx import rows

    small, large = two_sizes
    head = login(xh["head"])
    body = head.get("/workbench/inspections/", {"sort": "code"}).content.decode()
    assert 'data-testid="list-total">2<' in body and body.index(min(small.plan.code, large.plan.code)) < body.index(
        max(small.plan.code, large.plan.code))
    only = head.get("/workbench/inspections/", {"q": large.plan.code}).content.decode()
    assert 'data-testid="list-total">1<' in only
    got = rows(head.get("/workbench/inspections/", {"export": "xlsx", "sort": "-code"}))
    assert got[0] == ("计划编号", "名称", "制定单位", "年度", "事项", "批次", "状态")
    assert [r[0] for r in got[1:]] == sorted([small.plan.code, large.plan.code], reverse=True)
    assert got[1][5] == 1  # one batch each
    assert AuditEntry.objects.filter(action="list.exported", object_id="inspections.plans").exists()
