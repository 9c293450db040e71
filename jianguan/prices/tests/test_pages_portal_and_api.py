"""The workbench, portal and API of price monitoring: an outlet reports its day on the portal (all or nothing) and a
spike shows on the alert page with its series and lead; the public board shows prices without personal data; the
home card counts; another district sees nothing; list pages keep their query count; the API lists alerts."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.services import api_token_create
from jianguan.core.tests.factories import staff
from jianguan.credit.tests.factories import enterprise_account
from jianguan.prices import services
from jianguan.prices.models import PriceAlert, PriceReport

from .factories import goods, outlet, supervisor

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def spiked(org):
    actor = supervisor()
    o = outlet(actor=actor)
    g = goods("LS05")
    for back, price in ((3, "5.00"), (2, "5.10"), (1, "7.00")):
        services.report_submit(actor=actor, outlet=o, goods=g, price=Decimal(price), price_unit=g.price_unit,
                               reported_on=TODAY - dt.timedelta(days=back))
    return actor, o, PriceAlert.objects.get()


def test_outlet_reports_its_day_on_the_portal_all_or_nothing(org, client):
    actor = supervisor()
    o = outlet(actor=actor)
    client.force_login(enterprise_account(o.entity))
    rice, masks = goods("LS01"), goods("FY01")
    page = client.get("/prices/report/")
    assert page.status_code == 200 and "大米（元/500克）" in page.content.decode()
    day = TODAY.isoformat()
    client.post("/prices/report/", {"reported_on": day, f"g{rice.pk}": "2.95", f"g{masks.pk}": "0.80"})
    assert PriceReport.objects.filter(outlet=o, source="portal").count() == 2
    again = client.post("/prices/report/", {"reported_on": day, f"g{goods('LS02').pk}": "2.10",
                                            f"g{rice.pk}": "3.00"})
    assert "已报送" in again.content.decode() and PriceReport.objects.count() == 2  # the flour was not kept either


def test_a_firm_that_is_not_an_outlet_cannot_report(org, client):
    from jianguan.registry.tests.factories import EntityFactory

    client.force_login(enterprise_account(EntityFactory(), username="ent_other"))
    assert client.get("/prices/report/").status_code == 403


def test_alert_page_shows_series_and_lead_and_home_card_counts(spiked, login):
    actor, o, alert = spiked
    client = login(actor)
    page = client.get(f"/workbench/prices/alerts/{alert.pk}/").content.decode()
    assert "5.00" in page and "7.00" in page and f"线索 #{alert.lead_id}" in page and "40.0%" in page
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="prices-card"' in home and "仍在异常的价格预警 1 条" in home
    other = staff("jg_wd", "410403", ["price_supervisor"], name="卫东区价格")
    assert login(other).get(f"/workbench/prices/alerts/{alert.pk}/").status_code == 404


def test_public_board_shows_prices_not_people(spiked, client):
    _actor, o, _alert = spiked
    page = client.get("/prices/").content.decode()
    assert "鸡蛋" in page and "7.00" in page and "37.3%" in page  # 7.00 vs 5.10
    assert o.entity.legal_rep not in page and o.entity.phone not in page and o.entity.name not in page


def test_lists_keep_their_query_count(spiked, login, django_assert_max_num_queries):
    actor, o, _alert = spiked
    client = login(actor)
    with django_assert_max_num_queries(16):
        assert client.get("/workbench/prices/alerts/").status_code == 200
    with django_assert_max_num_queries(16):
        page = client.get("/workbench/prices/reports/")
    assert len(page.context["rows"]) == 3


def test_api_lists_alerts_and_refuses_a_report_in_the_wrong_unit(spiked, client):
    actor, o, alert = spiked
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=actor, name='t')[1]}"}
    [out] = client.get("/api/v1/prices/alerts", {"open_only": True}, **auth).json()
    assert out["lead"] == alert.lead_id and out["series"][-1][1] == "7.00"
    refused = client.post("/api/v1/prices/reports", {"outlet": o.entity.uscc, "goods": "LS01", "price": "5.90",
                                                     "price_unit": "元/公斤", "reported_on": TODAY.isoformat()},
                          content_type="application/json", **auth)
    assert refused.status_code == 422 and refused.json()["error"]["details"][0]["field"] == "price_unit"


def test_the_alert_list_counts_filters_sorts_and_exports(spiked, login):
    from jianguan.core.models import AuditEntry
    from jianguan.core.tests.xlsx import rows

    actor, o, alert = spiked
    client = login(actor)
    body = client.get("/workbench/prices/alerts/", {"sort": "-peak_price"}).content.decode()
    assert 'data-testid="list-total">1<' in body and 'aria-sort="descending"' in body
    assert 'data-testid="list-total">0<' in client.get("/workbench/prices/alerts/", {"q": "不存在的商品"}).content.decode()
    got = rows(client.get("/workbench/prices/alerts/", {"export": "xlsx", "state": "open"}))
    assert got[0] == ("监测点", "商品", "异常期间", "基准价", "最高价", "涨幅（%）", "执法线索")
    assert got[1][0] == o.entity.name and got[1][5] == 40.0 and got[1][6].startswith(f"线索 #{alert.lead_id}")
    assert AuditEntry.objects.filter(action="list.exported", object_id="prices.alerts").exists()
