"""The list of 核查处置和召回 (#15, every list on core.lists): the total, the open ones first with the nearest
deadline on top (an overdue one before any other) and the closed ones after, sorting on its columns, the filters
(state incl. a running recall, source, search), the export of exactly the filtered rows with the columns shown plus
the provisional mark and the closing date, audited, and a number of queries that does not grow with the rows."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.complaints.tests.factories import complaint
from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.tests.xlsx import rows
from jianguan.food.models import Disposal
from jianguan.registry.tests.factories import EntityFactory

from .factories import county_clerk

pytestmark = pytest.mark.django_db
URL = "/workbench/food/disposals/"


def disposal(number, *, due, product="纯牛奶", status="open", name="平顶山市新华区某食品店", **kw):
    unit = OrgUnit.objects.get(code="410402")
    entity = EntityFactory(name=name, unit=unit)
    return Disposal.objects.create(number=number, source="complaint", complaint=complaint(entity=entity)[0],
                                   entity=entity, unit=unit, product=product, problem="菌落总数超标",
                                   opened_on=due - dt.timedelta(days=90), due_on=due, status=status, **kw)


def numbers(body: str, wanted) -> list[str]:
    return sorted((n for n in wanted if n in body), key=body.index)


def test_the_list_is_a_work_queue_that_counts_sorts_and_filters(org, login):
    today = timezone.localdate()
    over = disposal("HC-OVER", due=today - dt.timedelta(days=2))
    soon = disposal("HC-SOON", due=today + dt.timedelta(days=5), product="速冻水饺")
    far = disposal("HC-FAR", due=today + dt.timedelta(days=40),
                     recall_level="2", recall_announced_on=today - dt.timedelta(days=1))
    done = disposal("HC-DONE", due=today - dt.timedelta(days=30), status="closed",
                    closed_on=today - dt.timedelta(days=31))
    all_numbers = [d.number for d in (over, soon, far, done)]
    client = login(county_clerk())
    body = client.get(URL).content.decode()
    assert 'data-testid="list-total">4<' in body and "核查处置中的在前，期限最近的在前" in body
    assert numbers(body, all_numbers) == all_numbers
    # reversed, the open ones stay on top, the latest deadline first
    body = client.get(URL, {"sort": "-due"}).content.decode()
    assert numbers(body, all_numbers) == ["HC-FAR", "HC-SOON", "HC-OVER", "HC-DONE"]
    body = client.get(URL, {"sort": "product"}).content.decode()
    assert body.index("HC-SOON") > body.index("HC-OVER")  # 纯牛奶 before 速冻水饺, whatever the collation
    assert 'data-testid="list-problem"' in client.get(URL, {"sort": "problem"}).content.decode()
    assert numbers(client.get(URL, {"state": "overdue"}).content.decode(), all_numbers) == ["HC-OVER"]
    assert numbers(client.get(URL, {"state": "recall"}).content.decode(), all_numbers) == ["HC-FAR"]
    assert numbers(client.get(URL, {"state": "closed"}).content.decode(), all_numbers) == ["HC-DONE"]
    assert numbers(client.get(URL, {"q": "水饺"}).content.decode(), all_numbers) == ["HC-SOON"]
    assert 'data-testid="list-total">0<' in client.get(URL, {"source": "sample"}).content.decode()


def test_the_export_holds_the_filtered_rows_with_the_columns_shown(org, login):
    today = timezone.localdate()
    disposal("HC-A", due=today + dt.timedelta(days=3), calendar_pending=True)
    disposal("HC-B", due=today + dt.timedelta(days=9), product="速冻水饺")
    client = login(county_clerk())
    got = rows(client.get(URL, {"export": "xlsx", "q": "牛奶"}))
    assert got[0] == ("编号", "生产经营者", "食品", "批号/生产日期", "不合格项目或问题", "来源", "召回", "启动日期",
                      "期限", "期限暂定", "办结日期", "状态")
    assert [r[0] for r in got[1:]] == ["HC-A"]
    assert got[1][4] == "菌落总数超标" and got[1][5] == "投诉举报" and got[1][9] == "是" and got[1][11] == "核查处置中"
    entry = AuditEntry.objects.filter(action="list.exported", object_id="food.disposals").latest("pk")
    assert entry.changes["filters"][1] == {"q": "牛奶"}


def test_the_queries_do_not_grow_with_the_rows(org, login, django_assert_max_num_queries):
    today = timezone.localdate()
    disposal("HC-1", due=today)
    client = login(county_clerk())
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for n in range(2, 9):
        disposal(f"HC-{n}", due=today + dt.timedelta(days=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">8<' in client.get(URL).content.decode()
