"""The inspection item list (抽查事项清单, #15: every list on core.lists): the total, the bureau's own order, sorting on
its columns, a state filter and a search, the export of exactly the filtered rows with the full checklist, audited."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows

from . import factories

pytestmark = pytest.mark.django_db
URL = "/workbench/inspections/items/"


def codes(body: str, wanted) -> list[str]:
    return sorted((c for c in wanted if f">{c}<" in body), key=lambda c: body.index(f">{c}<"))


def test_the_item_list_counts_sorts_filters_and_exports(org, login):
    factories.item("IT-B", sort=1, department="食品经营安全监督管理科", name="食品经营者检查")
    factories.item("IT-A", sort=2)
    factories.item("IT-C", sort=3, is_active=False, name="已停用的事项")
    everyone = ["IT-B", "IT-A", "IT-C"]
    client = login(factories.head())
    body = client.get(URL).content.decode()  # the migrations' items are there too
    assert "按清单顺序" in body and codes(body, everyone) == everyone
    assert 'data-testid="list-total">3<' in client.get(URL, {"q": "IT-"}).content.decode()
    assert codes(client.get(URL, {"sort": "code"}).content.decode(), everyone) == ["IT-A", "IT-B", "IT-C"]
    assert 'data-testid="list-problem"' in client.get(URL, {"sort": "checklist"}).content.decode()
    assert codes(client.get(URL, {"state": "inactive"}).content.decode(), everyone) == ["IT-C"]
    assert codes(client.get(URL, {"q": "食品经营"}).content.decode(), everyone) == ["IT-B"]
    got = rows(client.get(URL, {"export": "xlsx", "state": "active", "q": "IT-"}))
    assert got[0] == ("编码", "抽查事项", "责任部门", "检查对象", "方式", "检查依据", "检查内容", "抽查频次", "状态",
                      "排序")
    assert [r[0] for r in got[1:]] == ["IT-B", "IT-A"] and got[1][6] == "年报信息真实\n住所可联系"
    assert AuditEntry.objects.filter(action="list.exported", object_id="inspections.items").exists()
