"""Leaders see the trends: categories, industries, businesses, money recovered, clock compliance per unit."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.complaints import selectors, services
from jianguan.core.tests.factories import staff

from .factories import business, complaint

pytestmark = pytest.mark.django_db


def test_figures_by_category_business_and_unit(org, xh_handler):
    shop = business()
    on_time, _ = complaint(entity=shop, category="prepaid")
    late, _ = complaint(entity=shop, category="prepaid", description="另一件")
    complaint(entity=business("41040301"), category="food")
    services.complaint_accept(actor=xh_handler, complaint=on_time, on=dt.date(2026, 3, 3))
    services.complaint_agree(actor=xh_handler, complaint=on_time, agreement="退款", money_recovered=Decimal("80"),
                             on=dt.date(2026, 3, 20))
    services.complaint_accept(actor=xh_handler, complaint=late, on=dt.date(2026, 3, 20))
    leader = staff("leader_t", "410400", ["bureau_leader"])
    data = selectors.analytics(leader, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31),
                               today=dt.date(2026, 3, 30))
    assert data["categories"][0] == {"code": "prepaid", "label": "预付式消费", "n": 2}
    assert data["businesses"][0]["entity_name"] == shop.name and data["businesses"][0]["n"] == 2
    assert data["totals"]["money"] == Decimal("80")
    # every month of the period has its bar, the empty ones at zero
    assert [r["month"] for r in data["money_by_month"]] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert {r["month"]: r["money"] for r in data["money_by_month"] if r["money"]} == {"2026-03": 80.0}
    station = next(r for r in data["clocks"] if r["unit"] == shop.unit.name)
    assert (station["decided"], station["on_time"], station["rate"]) == (2, 1, 50.0)
    other = next(r for r in data["clocks"] if r["unit"] != shop.unit.name)
    assert other["waiting_late"] == 1
    assert data["industries"] == [{"label": "批发和零售业", "n": 3, "rank": 1, "share": 100.0}]


def test_the_page_renders_charts_without_inline_script(org, login):
    complaint(entity=business())
    complaint(entity=None, entity_name="路边摊", description="未登记")
    leader = staff("leader_t", "410400", ["bureau_leader"])
    body = login(leader).get("/workbench/complaints/analytics/?from=2026-01-01&to=2026-12-31").content.decode()
    assert 'id="complaints-chart-data"' in body and "complaints/analytics.js" in body
    assert "<script>" not in body.replace('<script id="complaints-chart-data" type="application/json">', "")
    # industries as a ranked table (rank, name, count, share), not a pie
    table = body.split('data-testid="industries"', 1)[1].split("</table>", 1)[0]
    assert table.index("批发和零售业") < table.index("未登记经营者") and "50.0%" in table
    assert "chart-industries" not in body and '"industries"' not in body.split('id="complaints-chart-data"')[1]
