"""The trace list (追溯处置, core.lists): the total, the earliest running clock first with the overdue traces on top
and the closed ones last, sorting on its columns in a stable order, the filters (search, reason, state — the home
card's 已超时 opens the overdue ones), the export of exactly the filtered rows with the columns shown, audited, and
a number of queries that does not grow with the rows.

The first test is the one withdrawn from the batch-list file on 5 December: it asked for
``/workbench/coldchain/incidents/`` — the list is at ``traces/`` — so its body was the 404 page and the assertion
on the total and the order failed."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.coldchain import services
from jianguan.coldchain.models import Task
from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows

from .factories import batch, supervisor

pytestmark = pytest.mark.django_db

URL = "/workbench/coldchain/traces/"
DETECTED = dt.date(2026, 11, 3)


def trace(user, b, reason="positive"):
    return services.trace_start(actor=user, batch=b, reason=reason, origin=b.importer, detected_on=DETECTED)


def codes(body: str, wanted) -> list[str]:
    """The tracing codes of ``wanted`` in the order the page shows them."""
    return sorted((c for c in wanted if c in body), key=body.index)


def test_the_trace_list_counts_filters_and_exports(org, login, django_assert_max_num_queries):
    user = supervisor()
    beef = batch(actor=user)
    shrimp = batch(actor=user, product="冷冻虾仁")
    for b in (beef, shrimp):
        trace(user, b)
    client = login(user)
    client.get(URL)
    with django_assert_max_num_queries(14):
        body = client.get(URL, {"sort": "product"}).content.decode()
    assert 'data-testid="list-total">2<' in body and body.index("冷冻去骨牛肉") < body.index("冷冻虾仁")
    got = rows(client.get(URL, {"export": "xlsx", "q": "虾仁", "state": "open"}))
    assert got[0][:2] == ("追溯码", "品名") and [r[0] for r in got[1:]] == [shrimp.tracing_code]
    assert AuditEntry.objects.filter(action="list.exported", object_id="coldchain.incidents").exists()


def test_the_earliest_clock_comes_first_overdue_on_top_and_closed_last(org, login):
    user = supervisor()
    late, running, done = (batch(actor=user) for _ in range(3))
    late_i, running_i, done_i = (trace(user, b) for b in (late, running, done))
    Task.objects.filter(holder__incident=late_i).update(due_at=timezone.now() - dt.timedelta(hours=3))
    for task in Task.objects.filter(holder__incident=done_i):
        services.task_complete(actor=user, task=task, result="已处置")
    all_codes = [b.tracing_code for b in (late, running, done)]
    client = login(user)
    body = client.get(URL).content.decode()
    assert codes(body, all_codes) == all_codes
    assert "最近时限在前（已超时的最先），已闭环的在后" in body and "（已超时）" in body
    # reversed, the closed trace (no clock left) still comes last
    body = client.get(URL, {"sort": "-next_due"}).content.decode()
    assert codes(body, all_codes) == [running.tracing_code, late.tracing_code, done.tracing_code]
    # the state column: the open ones first, and the same order on every request (ties broken, then the id)
    first = codes(client.get(URL, {"sort": "state"}).content.decode(), all_codes)
    assert first[-1] == done.tracing_code
    assert codes(client.get(URL, {"sort": "state"}).content.decode(), all_codes) == first
    # filters: the home card's 已超时 link, the closed ones, the reason
    home = client.get("/workbench/").content.decode()
    assert "/workbench/coldchain/traces/?state=overdue" in home
    assert codes(client.get(URL, {"state": "overdue"}).content.decode(), all_codes) == [late.tracing_code]
    assert codes(client.get(URL, {"state": "closed"}).content.decode(), all_codes) == [done.tracing_code]
    assert 'data-testid="list-total">0<' in client.get(URL, {"reason": "recall"}).content.decode()
    # a sort the list does not offer is ignored and said
    assert 'data-testid="list-problem"' in client.get(URL, {"sort": "note"}).content.decode()


def test_the_export_holds_the_filtered_rows_with_the_columns_shown(org, login):
    user = supervisor()
    beef, shrimp = batch(actor=user), batch(actor=user, product="冷冻虾仁")
    trace(user, beef)
    trace(user, shrimp, reason="recall")
    client = login(user)
    body = client.get(URL, {"reason": "recall"}).content.decode()
    assert 'data-testid="list-total">1<' in body
    got = rows(client.get(URL, {"export": "xlsx", "reason": "recall"}))
    assert got[0] == ("追溯码", "品名", "原因", "发现环节", "启动时间", "最近时限", "未完成任务", "已超时", "状态")
    assert [r[0] for r in got[1:]] == [shrimp.tracing_code]
    assert got[1][2] == "召回（不符合食品安全标准）" and got[1][8] == "处置中" and got[1][6] > 0
    entry = AuditEntry.objects.filter(action="list.exported", object_id="coldchain.incidents").latest("pk")
    assert entry.changes["filters"][1] == {"reason": "recall"}


def test_the_queries_do_not_grow_with_the_rows(org, login, django_assert_max_num_queries):
    user = supervisor()
    trace(user, batch(actor=user))
    client = login(user)
    client.get(URL)
    with django_assert_max_num_queries(14) as few:
        client.get(URL)
    for _ in range(6):
        trace(user, batch(actor=user))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(URL).content.decode()
    assert 'data-testid="list-total">7<' in body
