"""Writes of price monitoring: keyword-only, explicit ``actor``, atomic, audited. Every report of an (outlet, goods)
series is serialised on the outlet row, so two reports arriving together cannot both open an alert for one spike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jianguan.core import audit, registers
from jianguan.core.errors import ValidationFailed
from jianguan.core.rules import rule
from jianguan.core.scope import scope_for
from jianguan.registry.models import Entity

from . import spikes
from .models import Goods, Outlet, OutletKind, PriceAlert, PriceReport, ReportSource

SYSTEM = "价格监测预警"


def _is_staff(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and hasattr(actor, "profile")


def _check_scope(actor, unit_id: int, field: str, name: str) -> None:
    if _is_staff(actor) and not scope_for(actor).allows_unit(unit_id):
        raise ValidationFailed(f"{name} 不在本单位监管范围内", field=field)


@transaction.atomic
def outlet_register(*, actor, entity: Entity, kind: str) -> Outlet:
    """Make ``entity`` a monitored outlet (价格监测点)."""
    if kind not in OutletKind.values:
        raise ValidationFailed("监测点类型无效", field="kind")
    _check_scope(actor, entity.unit_id, "entity", entity.name)
    if Outlet.objects.filter(entity=entity).exists():
        raise ValidationFailed(f"{entity.name} 已是价格监测点，不能重复登记", field="entity")
    outlet = Outlet.objects.create(entity=entity, kind=kind, unit_id=entity.unit_id)
    audit.record(actor=actor, action="prices.outlet.registered", obj=outlet, unit=outlet.unit_id,
                 changes={"kind": [None, kind]})
    return outlet


def outlet_by_code(text: str) -> Outlet:
    code = text.strip().upper()
    outlet = Outlet.objects.select_related("entity").filter(entity__uscc=code).first()
    if outlet is None:
        raise ValueError(f"统一社会信用代码 {code} 不是价格监测点")
    return outlet


def goods_by_text(text: str) -> Goods:
    """A listed goods by its code or its name."""
    value = text.strip()
    goods = Goods.objects.filter(code=value.upper()).first() or Goods.objects.filter(name=value).first()
    if goods is None:
        raise ValueError(f"「{value}」不是监测商品（填商品代码或名称）")
    if not goods.is_active:
        raise ValueError(f"{goods.name} 已停止监测")
    return goods


def _check_report(goods: Goods, price: Decimal, price_unit: str, reported_on: dt.date) -> None:
    if price is None or price <= 0:
        raise ValidationFailed("价格应大于 0", field="price")
    if price_unit.strip() != goods.price_unit:
        raise ValidationFailed(f"{goods.name} 的计价单位应为「{goods.price_unit}」，报送的是「{price_unit.strip()}」，"
                               "请按规定单位换算后报送", field="price_unit")
    if reported_on > timezone.localdate():
        raise ValidationFailed("价格日期不能晚于今天", field="reported_on")


@transaction.atomic
def report_submit(*, actor, outlet: Outlet, goods: Goods, price: Decimal, price_unit: str, reported_on: dt.date,
                  source: str = ReportSource.STAFF) -> PriceReport:
    """Record a price report and check the series for a spike (``check_series``). Refused: a price in another unit
    than the goods' pricing unit, a second report of the same goods by the same outlet for the same day."""
    outlet = Outlet.objects.select_for_update().select_related("entity").get(pk=outlet.pk)
    _check_scope(actor, outlet.unit_id, "outlet", outlet.entity.name)
    registers.refuse_reference_to_withdrawn(outlet, what=f"价格监测点“{outlet.entity.name}”", field="outlet")
    _check_report(goods, price, price_unit, reported_on)
    if PriceReport.objects.filter(outlet=outlet, goods=goods, reported_on=reported_on).exists():
        raise ValidationFailed(f"{outlet.entity.name} {reported_on} 的{goods.name}价格已报送；如有错误请更正原记录",
                               field="reported_on")
    report = PriceReport.objects.create(outlet=outlet, goods=goods, price=price, price_unit=goods.price_unit,
                                        reported_on=reported_on, source=source, unit_id=outlet.unit_id,
                                        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor=actor, action="prices.report.submitted", obj=report, unit=outlet.unit_id,
                 changes={"goods": [None, goods.code], "price": [None, str(price)],
                          "reported_on": [None, reported_on.isoformat()], "source": [None, source]})
    check_series(outlet=outlet, goods=goods, on=reported_on, actor=actor)
    return report


@transaction.atomic
def report_correct(*, actor, row: PriceReport, outlet: Outlet, goods: Goods, price: Decimal, price_unit: str,
                   reported_on: dt.date) -> PriceReport:
    """The register's correction: only the price changes (the row keeps its outlet, goods and day); the series is
    checked again from that day."""
    report = PriceReport.objects.select_for_update().get(pk=row.pk)
    _check_scope(actor, report.unit_id, "outlet", str(report.outlet))
    _check_report(report.goods, price, price_unit, report.reported_on)
    report.price = price
    report.save(update_fields=["price"])
    check_series(outlet=report.outlet, goods=report.goods, on=report.reported_on, actor=actor)
    return report


def limits(goods: Goods, on: dt.date) -> tuple[int, Decimal]:
    limit = rule("prices.rise_limits", on=on)[goods.category]
    return int(limit["days"]), Decimal(str(limit["ratio"]))


def check_series(*, outlet: Outlet, goods: Goods, on: dt.date, actor) -> PriceAlert | None:
    """Open, extend or end the alert of (outlet, goods) after the report of ``on``. One alert per spike: the reports
    of a spike after its first extend the same alert (idempotent); a report back within the limit ends it. A new
    alert is handed over as an enforcement lead with the price series as its evidence."""
    days, ratio = limits(goods, on)
    lookback = max(int(rule("prices.lookback_days", on=on)), days * 2)
    rows = list(PriceReport.objects.filter(outlet=outlet, goods=goods, reported_on__gte=on - dt.timedelta(days=lookback),
                                           reported_on__lte=on).order_by("reported_on")
                .values_list("reported_on", "price"))
    found = [s for s in spikes.spikes(rows, days, ratio) if s.start <= on <= s.end]
    open_alert = PriceAlert.objects.select_for_update().filter(outlet=outlet, goods=goods, ended_on__isnull=True).first()
    if not found:
        if open_alert is not None and on > open_alert.last_on:
            open_alert.ended_on = on
            open_alert.save(update_fields=["ended_on"])
            audit.record(actor=actor, action="prices.alert.ended", obj=open_alert, unit=open_alert.unit_id,
                         changes={"ended_on": [None, on.isoformat()]})
        return None
    spike = found[0]
    evidence = [[d.isoformat(), f"{p:.2f}"] for d, p in rows if d >= min(spike.base_on, spike.start - dt.timedelta(
        days=days))]
    if open_alert is not None and open_alert.started_on != spike.start:
        open_alert.ended_on = max(open_alert.last_on, min(on, spike.start))
        open_alert.save(update_fields=["ended_on"])
        open_alert = None
    alert = open_alert or PriceAlert.objects.filter(outlet=outlet, goods=goods, started_on=spike.start).first()
    if alert is not None:
        alert.last_on, alert.peak_price, alert.series = spike.end, spike.peak, evidence
        alert.save(update_fields=["last_on", "peak_price", "series"])
        return alert
    alert = PriceAlert.objects.create(
        outlet=outlet, goods=goods, started_on=spike.start, last_on=spike.end, base_price=spike.base,
        base_on=spike.base_on, peak_price=spike.peak, window_days=days, limit_ratio=ratio, series=evidence,
        unit_id=outlet.unit_id)
    lead_actor = actor if _is_staff(actor) else SYSTEM
    audit.record(actor=lead_actor, action="prices.alert.raised", obj=alert, unit=alert.unit_id,
                 changes={"goods": [None, goods.code], "base": [None, str(spike.base)], "peak": [None, str(spike.peak)],
                          "started_on": [None, spike.start.isoformat()]})
    alert.lead = _hand_over(alert, actor=lead_actor)
    alert.save(update_fields=["lead"])
    return alert


def _hand_over(alert: PriceAlert, *, actor):
    from jianguan.enforcement.models import LeadSource
    from jianguan.enforcement.services import lead_create

    goods, outlet = alert.goods, alert.outlet
    lines = "\n".join(f"{d}  {p} {goods.price_unit}" for d, p in alert.series)
    description = (
        f"价格异常监测：{outlet.entity.name} 的{goods.name}（{goods.spec or goods.price_unit}）"
        f"{alert.started_on} 报价 {alert.peak_price} {goods.price_unit}，比前 {alert.window_days} 天内本点最低价 "
        f"{alert.base_price}（{alert.base_on}）上涨 {alert.rise_percent:.1f}%，超过允许涨幅 "
        f"{alert.limit_ratio * 100:.0f}%（规则 prices.rise_limits），涉嫌哄抬价格"
        f"（《价格法》第十四条第（三）项、《价格违法行为行政处罚规定》第六条），请核查成本和进货凭证。\n"
        f"证据——该点该商品报价序列：\n{lines}")
    return lead_create(actor=actor, source_kind=LeadSource.MONITORING, entity=outlet.entity, unit=outlet.unit,
                       description=description, discovered_on=timezone.localdate(), source_type="prices.alert",
                       source_id=str(alert.pk))
