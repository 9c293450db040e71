"""The demo step registers supermarkets and pharmacies as outlets with 60 days of reports; the two injected rises are
found, each one alert handed over as one lead (the mask rise, a week long, has ended); a second run adds nothing."""

import datetime as dt
import io

import pytest

from jianguan.enforcement.models import Lead
from jianguan.prices.demo import demo_prices
from jianguan.prices.models import Outlet, PriceAlert, PriceReport
from jianguan.registry.models import Industry
from jianguan.registry.tests.factories import EntityFactory

from .factories import supervisor

pytestmark = pytest.mark.django_db


def test_the_demo_builds_outlets_reports_and_exactly_the_injected_alerts(org):
    from jianguan.drugs.tests.factories import pharmacy

    supervisor("jg_supervisor")
    for _ in range(4):
        EntityFactory(industry=Industry.objects.get(code="52"))
    for _ in range(2):
        pharmacy()
    today = dt.date(2026, 12, 4)
    demo_prices(today=today, stdout=io.StringIO())
    assert Outlet.objects.count() == 6
    reports = PriceReport.objects.count()
    assert reports == 60 * (4 * 9 + 2 * 8)
    alerts = list(PriceAlert.objects.select_related("goods").order_by("goods__code"))
    assert [a.goods.code for a in alerts] == ["FY01", "LS05"]
    assert alerts[0].ended_on is not None and alerts[1].ended_on is None
    assert Lead.objects.filter(source_type="prices.alert").count() == 2
    demo_prices(today=today, stdout=io.StringIO())
    assert PriceReport.objects.count() == reports and PriceAlert.objects.count() == 2
