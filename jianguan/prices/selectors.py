"""Scoped reads of price monitoring, and the public price board (published prices only: no personal data)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Max, Min, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.registers import live
from jianguan.core.rules import rule
from jianguan.core.scope import scope_filter

from .models import Goods, Outlet, PriceAlert, PriceReport


def outlets_for(user):
    return scope_filter(Outlet.objects.select_related("entity"), user)


def reports_for(user):
    return scope_filter(PriceReport.objects.select_related("outlet__entity", "goods"), user)


def alerts_for(user):
    return scope_filter(PriceAlert.objects.select_related("outlet__entity", "goods", "lead"), user)


def alert_for(user, pk: int) -> PriceAlert:
    return get_object_or_404(alerts_for(user), pk=pk)


def home_counts(user, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    alerts = alerts_for(user).aggregate(open=Count("id", filter=Q(ended_on__isnull=True)),
                                        year=Count("id", filter=Q(started_on__year=today.year)))
    reported = live(reports_for(user)).filter(reported_on=today).values("outlet").distinct().count()
    return {**alerts, "outlets": live(outlets_for(user)).count(), "reported_today": reported}


def board(today: dt.date | None = None) -> dict:
    """The public price board: per listed goods, the average, lowest and highest price reported city-wide on the
    latest day with reports within ``prices.board_days``, and the change from the previous such day."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=int(rule("prices.board_days", on=today)))
    qs = live(PriceReport.objects.filter(reported_on__gt=since, reported_on__lte=today))
    latest = qs.aggregate(d=Max("reported_on"))["d"]
    if latest is None:
        return {"day": None, "rows": []}
    previous = qs.filter(reported_on__lt=latest).aggregate(d=Max("reported_on"))["d"]
    stats = {g: (a, lo, hi, n) for g, a, lo, hi, n in qs.filter(reported_on=latest).values("goods").annotate(
        a=Avg("price"), lo=Min("price"), hi=Max("price"), n=Count("id")).values_list("goods", "a", "lo", "hi", "n")}
    before = dict(qs.filter(reported_on=previous).values("goods").annotate(a=Avg("price"))
                  .values_list("goods", "a")) if previous else {}
    rows = []
    for goods in Goods.objects.filter(pk__in=stats):
        avg, lo, hi, n = stats[goods.pk]
        prev = before.get(goods.pk)
        change = (avg - prev) * 100 / prev if prev else None
        rows.append({"goods": goods, "avg": avg, "low": lo, "high": hi, "outlets": n, "change": change})
    return {"day": latest, "previous": previous, "rows": rows}


#: 价格异常预警: the newest first; ongoing ones by ?state=open.
ALERT_LIST = lists.Spec(
    key="prices.alerts", title="价格异常预警", default_sort="-started_on", default_note="最近开始的在前",
    export_permission="prices.view_outlet",
    columns=(
        lists.Column("outlet", "监测点", "outlet.entity.name", sort="outlet__entity__name", width=30),
        lists.Column("goods", "商品", "goods.name", sort="goods__name", width=16),
        lists.Column("started_on", "异常期间", lambda a: f"{a.started_on:%Y-%m-%d} 至 "
                     + (f"{a.last_on:%Y-%m-%d}" if a.ended_on else "仍在异常"), sort="started_on", width=26),
        lists.Column("base_price", "基准价", sort="base_price", width=10),
        lists.Column("peak_price", "最高价", sort="peak_price", width=10),
        lists.Column("rise", "涨幅（%）", lambda a: round(float(a.rise_percent), 1), width=10),
        lists.Column("lead", "执法线索", lambda a: f"线索 #{a.lead_id} {a.lead.get_status_display()}" if a.lead_id
                     else "", sort="lead_id", width=20),
    ))
