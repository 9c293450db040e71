"""Demo: price monitoring in Pingdingshan — supermarkets and pharmacies as monitored outlets reporting the listed
goods daily for the last 60 days (prices around a goods' usual level), two of them driving a price up (eggs at a
supermarket, surgical masks at a pharmacy): the detector finds those spikes and the service raises one alert and one
enforcement lead each. Set-based reports; idempotent (a second run finds the outlets)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q

from jianguan.core.demo import bulk_add, step
from jianguan.registry.models import Entity, EntityKind, EntityStatus, Licence, LicenceStatus

from . import services, spikes
from .models import Goods, Outlet, OutletKind, PriceReport, ReportSource

DAYS = 60
USUAL = {"LS01": "2.95", "LS02": "2.30", "LS03": "82.00", "LS04": "14.50", "LS05": "5.20", "LS06": "1.20",
         "LS07": "1.80", "FY01": "0.80", "FY02": "2.50", "FY03": "35.00", "FY04": "6.50", "FY05": "9.80",
         "YP01": "12.80", "YP02": "14.50", "YP03": "4.50"}
SHOP = ("LS01", "LS02", "LS03", "LS04", "LS05", "LS06", "LS07", "FY01", "FY04")
PHARMACY = ("FY01", "FY02", "FY03", "FY04", "FY05", "YP01", "YP02", "YP03")


@step(64, "防疫用品和价格监测")
def demo_prices(*, today: dt.date, stdout) -> dict:
    if Outlet.objects.exists():
        return {"outlets": Outlet.objects.count()}
    user = get_user_model().objects.filter(username="jg_supervisor").first() or "demo"
    rnd = random.Random(1820)
    pharmacies = list(Licence.objects.filter(kind_id="drug_retail", status=LicenceStatus.VALID,
                                             entity__status=EntityStatus.ACTIVE)
                      .order_by("entity_id").values_list("entity_id", "entity__unit_id").distinct()[:30])
    taken = {e for e, _u in pharmacies}
    retail = Q(industry_id="52") | Q(industry__parent_id="52")  # GB/T 4754 division 52 零售业
    shops = [(e, u) for e, u in Entity.objects.filter(retail, status=EntityStatus.ACTIVE)
             .exclude(kind=EntityKind.INDIVIDUAL).order_by("id").values_list("id", "unit_id")[:80] if e not in taken][:50]
    outlets = bulk_add([Outlet(entity_id=e, kind=OutletKind.SUPERMARKET, unit_id=u) for e, u in shops]
                       + [Outlet(entity_id=e, kind=OutletKind.PHARMACY, unit_id=u) for e, u in pharmacies],
                       action="prices.demo.outlets_loaded", actor=user)
    outlets = list(Outlet.objects.select_related("entity").order_by("id"))
    goods = {g.code: g for g in Goods.objects.all()}
    start = today - dt.timedelta(days=DAYS)
    spiked = {}
    if outlets:
        spiked[(outlets[0].pk, "LS05")] = DAYS - 6  # eggs up at a supermarket from six days ago
        pharmacy = next((o for o in outlets if o.kind == OutletKind.PHARMACY), None)
        if pharmacy is not None:
            spiked[(pharmacy.pk, "FY01")] = DAYS - 20  # masks up for a week, then back
    rows = []
    for o in outlets:
        for code in (PHARMACY if o.kind == OutletKind.PHARMACY else SHOP):
            g, usual = goods[code], Decimal(USUAL[code])
            level = usual * Decimal(rnd.uniform(0.92, 1.08))
            rise_from = spiked.get((o.pk, code))
            for n in range(DAYS):
                day = start + dt.timedelta(days=n)
                price = level * Decimal(rnd.uniform(0.97, 1.03))
                if rise_from is not None and rise_from <= n < rise_from + 7:
                    price = level * Decimal("1.45")
                rows.append(PriceReport(outlet=o, goods=g, price=price.quantize(Decimal("0.01")),
                                        price_unit=g.price_unit, reported_on=day, source=ReportSource.STAFF,
                                        unit_id=o.unit_id))
    bulk_add(rows, action="prices.demo.reports_loaded", actor=user, batch_size=2000)
    alerts = 0
    by_series: dict[tuple[int, int], list] = {}
    for r in rows:
        by_series.setdefault((r.outlet_id, r.goods_id), []).append((r.reported_on, r.price))
    outlet_by_pk = {o.pk: o for o in outlets}
    goods_by_pk = {g.pk: g for g in goods.values()}
    for (oid, gid), series in by_series.items():
        g = goods_by_pk[gid]
        days, ratio = services.limits(g, today)
        for spike in spikes.spikes(series, days, ratio):
            for day in (spike.start, spike.end, spike.end + dt.timedelta(days=1)):
                if day <= series[-1][0]:
                    services.check_series(outlet=outlet_by_pk[oid], goods=g, on=day, actor=user)
            alerts += 1
    stdout.write(f"  价格监测点 {len(outlets)} 个，价格报送 {len(rows)} 条，价格异常预警 {alerts} 条（已移送执法线索）")
    return {"outlets": len(outlets), "reports": len(rows), "alerts": alerts}
