"""A price spike becomes one enforcement lead with the series as its evidence: the first too-high report opens the
alert and hands it over (价格法 第十四条第（三）项), the next too-high reports extend the same alert, a report back
within the limit ends it, a second rise later is a second alert and a second lead. A report in the wrong unit, a
second report of the same day, a future date: refused, nothing written."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.enforcement.models import Lead
from jianguan.prices import services
from jianguan.prices.models import PriceAlert, PriceReport

from .factories import goods, outlet, supervisor

pytestmark = pytest.mark.django_db
D0 = dt.date(2026, 3, 2)


def _report(actor, o, price, day, code="LS04", unit=None):
    g = goods(code)
    return services.report_submit(actor=actor, outlet=o, goods=g, price=Decimal(price), price_unit=unit or g.price_unit,
                                  reported_on=D0 + dt.timedelta(days=day))


def test_spike_opens_one_alert_and_one_lead_with_the_series(org):
    actor = supervisor()
    o = outlet(actor=actor)
    for day, price in enumerate(["13.00", "13.20", "12.90", "13.10"]):
        _report(actor, o, price, day)
    assert not PriceAlert.objects.exists()
    _report(actor, o, "16.90", 4)  # 12.90 × 1.30 = 16.77 < 16.90
    _report(actor, o, "17.50", 5)
    alert = PriceAlert.objects.get()
    assert (alert.started_on, alert.last_on, alert.base_price, alert.peak_price) == (
        D0 + dt.timedelta(4), D0 + dt.timedelta(5), Decimal("12.90"), Decimal("17.50"))
    assert alert.series[0] == [D0.isoformat(), "13.00"] and alert.series[-1] == [(D0 + dt.timedelta(5)).isoformat(),
                                                                                 "17.50"]
    lead = Lead.objects.get()
    assert alert.lead == lead and lead.source_type == "prices.alert" and lead.source_id == str(alert.pk)
    assert lead.entity == o.entity and "第十四条第（三）项" in lead.description and "16.90" in lead.description
    _report(actor, o, "13.00", 6)
    alert.refresh_from_db()
    assert alert.ended_on == D0 + dt.timedelta(6)
    _report(actor, o, "18.00", 7)
    assert PriceAlert.objects.count() == 2 and Lead.objects.count() == 2


def test_category_limits_differ(org):
    actor = supervisor()
    o = outlet(actor=actor, kind="pharmacy")
    _report(actor, o, "1.00", 0, code="FY01")
    _report(actor, o, "1.25", 1, code="FY01")  # masks: 20 % allowed, 25 % is too much
    assert PriceAlert.objects.get().goods.code == "FY01"


def test_bad_reports_are_refused(org):
    actor = supervisor()
    o = outlet(actor=actor)
    with pytest.raises(ValidationFailed, match="计价单位应为「元/500克」，报送的是「元/公斤」") as exc:
        _report(actor, o, "26.00", 0, unit="元/公斤")
    assert exc.value.field == "price_unit"
    _report(actor, o, "13.00", 0)
    with pytest.raises(ValidationFailed, match="已报送") as exc:
        _report(actor, o, "13.50", 0)
    assert exc.value.field == "reported_on"
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.report_submit(actor=actor, outlet=o, goods=goods(), price=Decimal("1"), price_unit="元/500克",
                               reported_on=dt.date.today() + dt.timedelta(days=1))
    assert PriceReport.objects.count() == 1


def test_import_is_all_or_nothing_and_names_row_and_column(org):
    import io

    from openpyxl import Workbook

    from jianguan.core import registers
    from jianguan.prices.registers import REPORTS

    actor = supervisor()
    o = outlet(actor=actor)
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in REPORTS.columns])
    ws.append([o.entity.uscc, "LS01", "2.95", "元/500克", "2026-03-02"])
    ws.append([o.entity.uscc, "大米", "5.90", "元/公斤", "2026-03-03"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ValidationFailed) as exc:
        registers.import_rows(REPORTS, actor=actor, data=buf.getvalue())
    [problem] = exc.value.details
    assert (problem["row"], problem["column"]) == (3, "计价单位") and "元/公斤" in problem["message"]
    assert not PriceReport.objects.exists()  # the good first row was not kept either


def test_correcting_a_price_rechecks_the_series(org):
    from jianguan.core import registers
    from jianguan.prices.registers import REPORTS

    actor = supervisor()
    o = outlet(actor=actor)
    _report(actor, o, "13.00", 0)
    wrong = _report(actor, o, "13.50", 1)
    registers.correct_row(REPORTS, actor=actor, row=wrong, raw={"price": "19.00"}, reason="录入漏了小数点后的价格")
    assert PriceAlert.objects.get().peak_price == Decimal("19.00")
