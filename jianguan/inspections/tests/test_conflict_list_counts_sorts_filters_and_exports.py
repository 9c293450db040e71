"""My conflict declarations (我的回避声明, #15: every list on core.lists): the total, latest declared first, sorting
on the entity, the dates, the filter of valid or expired declarations and a search, the export of exactly the
filtered rows with the code and the state, audited; only the declarant's own; queries that do not grow with the
declarations."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows
from jianguan.inspections import services
from jianguan.inspections.models import InspectorConflict

pytestmark = pytest.mark.django_db
URL = "/workbench/inspections/conflicts/"


def names(body: str, wanted) -> list[str]:
    return sorted((n for n in wanted if f">{n}<" in body), key=lambda n: body.index(f">{n}<"))


def _declare(xh):
    today = timezone.localdate()
    a, ents = xh["a"], xh["entities"]
    made = []
    for i, (reason, until) in enumerate([("近亲属在该企业任职", None), ("曾在该企业工作", today - dt.timedelta(days=1)),
                                         ("持有该企业股份", today + dt.timedelta(days=30))]):
        c = services.conflict_declare(actor=a, entity=ents[i], reason=reason, valid_until=until)
        InspectorConflict.objects.filter(pk=c.pk).update(declared_on=today - dt.timedelta(days=10 - i))
        made.append(ents[i].name)
    services.conflict_declare(actor=xh["b"], entity=ents[5], reason="别人的声明")
    return made  # declared oldest first


def test_the_conflict_list_counts_sorts_filters_and_exports(xh, login):
    made = _declare(xh)
    client = login(xh["a"])
    body = client.get(URL).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近声明的在前" in body and "别人的声明" not in body
    assert names(body, made) == made[::-1]
    assert names(client.get(URL, {"sort": "declared_on"}).content.decode(), made) == made
    # 有效期至 ascending: dated ones first, 长期 last
    assert names(client.get(URL, {"sort": "valid_until"}).content.decode(), made) == [made[1], made[2], made[0]]
    assert 'data-testid="list-problem"' in client.get(URL, {"sort": "reason"}).content.decode()
    assert names(client.get(URL, {"state": "expired"}).content.decode(), made) == [made[1]]
    assert names(client.get(URL, {"state": "valid"}).content.decode(), made) == [made[2], made[0]]
    assert names(client.get(URL, {"q": "股份"}).content.decode(), made) == [made[2]]
    got = rows(client.get(URL, {"export": "xlsx", "state": "valid"}))
    assert got[0] == ("市场主体", "统一社会信用代码", "事由", "声明日期", "有效期至", "状态")
    assert [r[0] for r in got[1:]] == [made[2], made[0]]
    assert got[2][1] == xh["entities"][0].uscc and got[2][4] == "长期" and got[2][5] == "有效"
    assert AuditEntry.objects.filter(action="list.exported", object_id="inspections.conflicts").exists()


def test_the_queries_do_not_grow_with_the_declarations(xh, login, django_assert_max_num_queries):
    services.conflict_declare(actor=xh["a"], entity=xh["entities"][0], reason="近亲属在该企业任职")
    client = login(xh["a"])
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for e in xh["entities"][1:8]:
        services.conflict_declare(actor=xh["a"], entity=e, reason="曾在该企业工作")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">8<' in client.get(URL).content.decode()
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        assert len(rows(client.get(URL, {"export": "xlsx"}))) == 9
