"""The metrology campaign list (计量专项检查, #15: every list on core.lists): it showed the first 20 campaigns as cards;
now the total, the latest first, sorting, filters (year, kind, name), the export of exactly the filtered rows with
each campaign's progress in the viewer's scope, audited."""

import datetime as dt

import pytest

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.core.tests.xlsx import rows
from jianguan.metrology.models import Campaign

pytestmark = pytest.mark.django_db
URL = "/workbench/metrology/campaigns/"


def campaign(title, kinds, starts, ends):
    return Campaign.objects.create(title=title, kinds=kinds, starts_on=starts, ends_on=ends,
                                   unit=OrgUnit.objects.get(code="410400JL"))


def titles(body: str, wanted) -> list[str]:
    return sorted((t for t in wanted if t in body), key=body.index)


def test_the_campaign_list_counts_sorts_filters_and_exports(org, login):
    campaign("加油站计量专项检查", ["fuel_dispenser"], dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    campaign("集贸市场电子秤专项检查", ["trade_scale"], dt.date(2025, 9, 1), dt.date(2025, 12, 31))
    campaign("出租车计价器专项检查", ["taxi_meter"], dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    everyone = ["出租车计价器专项检查", "加油站计量专项检查", "集贸市场电子秤专项检查"]
    client = login(staff("jl_t", "410400JL", ["metrology_supervisor"], name="计量监管员"))
    body = client.get(URL).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近开始的在前" in body and "超期未检" in body
    assert titles(body, everyone) == everyone
    assert titles(client.get(URL, {"sort": "starts_on"}).content.decode(), everyone) == everyone[::-1]
    assert titles(client.get(URL, {"year": "2025"}).content.decode(), everyone) == ["集贸市场电子秤专项检查"]
    assert titles(client.get(URL, {"kind": "fuel_dispenser"}).content.decode(), everyone) == ["加油站计量专项检查"]
    assert titles(client.get(URL, {"q": "计价器"}).content.decode(), everyone) == ["出租车计价器专项检查"]
    got = rows(client.get(URL, {"export": "xlsx", "year": "2026"}))
    assert got[0] == ("名称", "开始日期", "结束日期", "器具种类", "在用（台）", "期间内已检定", "上次检定不合格", "超期未检")
    assert [r[0] for r in got[1:]] == everyone[:2] and got[2][3] == "燃油加油机" and got[2][4] == 0
    assert AuditEntry.objects.filter(action="list.exported", object_id="metrology.campaigns").exists()
