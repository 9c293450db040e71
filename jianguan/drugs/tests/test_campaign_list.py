"""The drug campaigns on core.lists (#15): the total, the latest year first and a sort by a column, filters (kind,
year), the export of exactly the filtered rows with the columns shown (read from the streamed file), and a bounded
number of queries however many campaigns (each row's checklist read with one prefetch, not one query a row)."""

import pytest

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.tests.xlsx import rows
from jianguan.drugs import services

from .factories import supervisor

pytestmark = pytest.mark.django_db
URL = "/workbench/drugs/campaigns/"


def _table(body: str) -> str:
    return body[body.index('data-testid="campaigns"'):]


def test_campaigns_are_counted_sorted_filtered_and_exported(org, login, django_assert_max_num_queries):
    actor = supervisor()
    city = OrgUnit.objects.get(code="410400")
    for kind, year in (("tcm", 2025), ("narcotic", 2026), ("online", 2026)):
        services.campaign_create(actor=actor, kind=kind, year=year, unit=city)
    client = login(actor)
    client.get(URL)
    with django_assert_max_num_queries(16):
        body = client.get(URL).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近年度的在前" in body
    body = _table(body)  # the kinds are also the filter's options
    assert body.index("麻醉药品") < body.index("中药饮片") and body.index("药品网络销售") < body.index("中药饮片")
    body = _table(client.get(URL, {"sort": "year"}).content.decode())
    assert body.index("中药饮片") < body.index("麻醉药品")
    assert 'data-testid="list-total">2<' in client.get(URL, {"year": "2026"}).content.decode()
    got = rows(client.get(URL, {"export": "xlsx", "kind": "tcm"}))
    assert got[0] == ("年度", "专项", "组织单位", "抽查计划", "计划状态", "抽取批次", "检查要点")
    assert len(got) == 2 and got[1][0] == 2025 and got[1][1] == "中药饮片专项检查" and got[1][6] == "5 项（YP-ZX-02）"
    assert AuditEntry.objects.filter(action="list.exported", object_id="drugs.campaigns").exists()
    services.campaign_create(actor=actor, kind="precursor", year=2026, unit=city)
    with django_assert_max_num_queries(16):
        assert 'data-testid="list-total">4<' in client.get(URL).content.decode()
