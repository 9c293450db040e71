"""Scoped reads of the monitoring app (core.scope on each row's ``unit``)."""

from __future__ import annotations

from django.db.models import QuerySet

from jianguan.core.scope import Scope, scope_filter

from .models import CaptureStatus, OnlineFinding, OnlineShop


def shops_for(user) -> QuerySet[OnlineShop]:
    return scope_filter(OnlineShop.objects.select_related("entity", "unit"), user).order_by("platform", "shop_name",
                                                                                             "id")


def findings_for(user) -> QuerySet[OnlineFinding]:
    return scope_filter(OnlineFinding.objects.select_related("shop", "shop__entity", "lead"), user).order_by(
        "-captured_at", "-id")


def finding_for(user, pk: int) -> OnlineFinding:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(findings_for(user), pk=pk)


def _within(qs, scope: Scope):
    if scope.everything:
        return qs
    return qs.filter(unit_id__in=scope.unit_ids)


def findings_captured(*, year: int, scope: Scope) -> int:
    return _within(OnlineFinding.objects.filter(status=CaptureStatus.CAPTURED, captured_at__year=year),
                   scope).count()


def findings_to_leads(*, year: int, scope: Scope) -> int:
    return _within(OnlineFinding.objects.filter(lead__isnull=False, captured_at__year=year), scope).count()
