"""Scoped reads of metrology: instruments by the owner's supervising unit; due and overdue lists; a campaign's
progress (instruments of its kinds verified within its period)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.rules import rule
from jianguan.core.scope import get_in_scope_or_404, scope_filter

from .models import Campaign, Instrument

FIELDS = ("id", "serial", "kind", "location", "status", "next_due", "last_verified_on", "last_conclusion",
          "owner__name", "unit__short_name", "unit__name")


def instruments(user) -> QuerySet[Instrument]:
    return scope_filter(Instrument.objects.all(), user)


def instrument_for(user, pk: int) -> Instrument:
    return get_in_scope_or_404(Instrument.objects.select_related("owner", "unit"), user, pk=pk)


def due_filter(qs: QuerySet, which: str, today: dt.date) -> QuerySet:
    qs = qs.filter(status=Instrument.Status.IN_USE, next_due__isnull=False)
    if which == "overdue":
        return qs.filter(next_due__lt=today)
    if which == "soon":
        return qs.filter(next_due__gte=today,
                         next_due__lte=today + dt.timedelta(days=int(rule("metrology.due_soon_days", on=today))))
    return qs


def due_counts(user, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=int(rule("metrology.due_soon_days", on=today)))
    return instruments(user).filter(status=Instrument.Status.IN_USE, next_due__isnull=False).aggregate(
        overdue=Count("id", filter=Q(next_due__lt=today)), soon=Count("id", filter=Q(next_due__gte=today,
                                                                                     next_due__lte=soon)))


def campaign_progress(user, campaign: Campaign) -> dict:
    qs = instruments(user).filter(kind__in=campaign.kinds, status=Instrument.Status.IN_USE)
    return qs.aggregate(total=Count("id"), verified=Count("id", filter=Q(
        last_verified_on__gte=campaign.starts_on, last_verified_on__lte=campaign.ends_on)),
        failed=Count("id", filter=Q(last_conclusion="failed")),
        overdue=Count("id", filter=Q(next_due__lt=timezone.localdate())))


def campaign_rows(user, rows: list) -> None:
    """``prepare`` of the campaign list (bound to the viewer, whose scope the figures count): each campaign's kinds
    in words and its progress — one aggregate per campaign, a page holds at most ``CAMPAIGN_LIST.page_size``."""
    from .rules import KINDS

    for c in rows:
        c.kind_labels = "、".join(KINDS.get(k, k) for k in c.kinds or ())
        c.progress = campaign_progress(user, c)
        for key, value in c.progress.items():
            setattr(c, f"p_{key}", value)


#: 计量专项检查: the latest first.
CAMPAIGN_LIST = lists.Spec(
    key="metrology.campaigns", title="计量专项检查", default_sort="-starts_on", default_note="最近开始的在前",
    export_permission="metrology.view_instrument", page_size=20,
    columns=(
        lists.Column("title", "名称", sort=("title", "starts_on"), width=30),
        lists.Column("starts_on", "开始日期", sort="starts_on", width=12),
        lists.Column("ends_on", "结束日期", sort=("ends_on", "starts_on"), width=12),
        lists.Column("kinds", "器具种类", "kind_labels", width=30),
        lists.Column("total", "在用（台）", "p_total", width=10),
        lists.Column("verified", "期间内已检定", "p_verified", width=12),
        lists.Column("failed", "上次检定不合格", "p_failed", width=14),
        lists.Column("overdue", "超期未检", "p_overdue", width=10),
    ))


# --- the instrument list on the workbench (core.lists) ----------------------------------------------------------------


def _label_rows(rows: list) -> None:
    from .rules import KINDS

    for row in rows:
        row["kind_label"] = KINDS.get(row["kind"], row["kind"])
        row["failed"] = "不合格" if row["last_conclusion"] == "failed" else ""


INSTRUMENT_LIST = lists.Spec(
    key="metrology.instruments", title="强制检定计量器具", default_sort="serial",
    export_permission="metrology.view_instrument", prepare=_label_rows,
    columns=(
        lists.Column("serial", "出厂编号", sort="serial", width=18),
        lists.Column("kind", "种类", "kind_label", sort="kind", width=14),
        lists.Column("owner", "使用单位", "owner__name", sort="owner__name", width=30),
        lists.Column("location", "地点", sort="location", width=28),
        lists.Column("unit", "监管单位", lambda r: r["unit__short_name"] or r["unit__name"], sort="unit__path",
                     width=16),
        lists.Column("last", "上次检定", "last_verified_on", sort="last_verified_on", width=12),
        lists.Column("failed", "上次结论", "failed", width=10, header=False),
        lists.Column("next_due", "下次检定", sort="next_due", width=12),
    ))
