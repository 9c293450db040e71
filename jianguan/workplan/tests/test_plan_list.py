"""The key-work plan list on core.lists (#15): the total, the latest year first and a sort by a column, filters
(search, year, status), the export of exactly the filtered rows with the columns shown (read from the streamed
file), and a bounded number of queries however many plans."""

from __future__ import annotations

import pytest

from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows
from jianguan.workplan.models import Plan

from .factories import office, plan, task

pytestmark = pytest.mark.django_db
URL = "/workbench/workplan/"


def test_plans_are_counted_sorted_filtered_and_exported(org, login, django_assert_max_num_queries):
    p22 = plan(year=2022, status=Plan.Status.CLOSED)
    p26 = plan(year=2026)
    plan(year=2024)
    task(p26, "1.1")
    task(p26, "1.2", title="深入推进双随机一公开监管")
    client = login(office())
    client.get(URL)
    with django_assert_max_num_queries(12):
        body = client.get(URL).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近年度的在前" in body
    assert body.index("2026年重点工作计划") < body.index("2024年重点工作计划") < body.index("2022年重点工作计划")
    body = client.get(URL, {"sort": "year"}).content.decode()
    assert body.index("2022年重点工作计划") < body.index("2024年重点工作计划") < body.index("2026年重点工作计划")
    assert 'data-testid="list-total">1<' in client.get(URL, {"status": "closed"}).content.decode()
    assert 'data-testid="list-total">1<' in client.get(URL, {"year": "2024"}).content.decode()
    got = rows(client.get(URL, {"export": "xlsx", "status": "active", "sort": "-n_tasks"}))
    assert got[0] == ("年度", "计划名称", "计划编号", "制定单位", "任务", "状态")
    assert [r[2] for r in got[1:]] == [p26.code, "T-2024"] and got[1][4] == 2 and got[1][5] == "执行中"
    assert p22.code not in [r[2] for r in got]
    assert AuditEntry.objects.filter(action="list.exported", object_id="workplan.plans").exists()
    for year in range(2010, 2020):
        plan(year=year)
    with django_assert_max_num_queries(12):
        assert 'data-testid="list-total">13<' in client.get(URL).content.decode()
