"""Food figures for plan targets and the dashboard (the work plan's metric registry)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse

from jianguan.core import aggregates
from jianguan.core.scope import Scope, restrict
from jianguan.registry.models import Entity, EntityStatus
from jianguan.workplan import metrics

from . import services
from .models import GradingInspection


@metrics.metric("food.catering_graded", "餐饮服务量化分级覆盖率", unit="%",
                link=lambda ctx: reverse("food:gradings"),
                description="存续的餐饮服务提供者（行业 62）中，当年至少接受一次量化分级检查的比例")
def catering_graded(ctx: metrics.Context) -> metrics.Reading:
    rows = aggregates.read("food.caterers_graded", ctx.scope, ctx.year).rows
    return metrics.ratio(sum(r["done"] for r in rows), sum(r["caterers"] for r in rows))


def _caterers(scope: Scope):
    return restrict(Entity.objects.filter(industry_id=services.CATERING_INDUSTRY, status=EntityStatus.ACTIVE), scope)


def _per_unit(caterers, done) -> list[dict]:
    """Per unit: the caterers, and how many of them are in ``done`` (a query of entity ids)."""
    table: dict[int, dict] = {}
    for unit, n in caterers.values_list("unit").annotate(n=Count("pk")).order_by():
        table[unit] = {"unit": unit, "caterers": n, "done": 0}
    for unit, n in caterers.filter(pk__in=done).values_list("unit").annotate(n=Count("pk")).order_by():
        table[unit]["done"] = n
    return list(table.values())


@aggregates.register("food.caterers_graded", variants=lambda today: [(today.year,)])
def _graded_per_unit(scope: Scope, year: int) -> list[dict]:
    """Per unit: active caterers (industry 62), and those graded at least once in ``year`` (``core.aggregates``:
    the sweep's count at a province's size, where counting them took seconds for each scope of the dashboard)."""
    graded = GradingInspection.objects.filter(inspected_on__gte=dt.date(year, 1, 1),
                                              inspected_on__lte=dt.date(year, 12, 31)).values("entity_id")
    return _per_unit(_caterers(scope), graded)


# --- 食品安全示范城市（县）创建 indicators, read from the data ---------------------------------------------------------
# Each is a metric (plan targets and the dashboard can name it); the creation page sets them beside the targets of
# rule food.creation_targets for the city and every county.

CREATION = "食品安全示范创建"


@metrics.metric("food.bright_kitchen_rate", "餐饮服务明厨亮灶覆盖率", unit="%", tags=(CREATION,),
                link=lambda ctx: reverse("food:designations"),
                description="存续的餐饮服务提供者（行业 62）中，明厨亮灶认定在有效期内的比例（截至统计日）")
def bright_kitchen_rate(ctx: metrics.Context) -> metrics.Reading:
    rows = aggregates.read("food.caterers_bright", ctx.scope, ctx.end.isoformat()).rows
    return metrics.ratio(sum(r["done"] for r in rows), sum(r["caterers"] for r in rows))


@aggregates.register("food.caterers_bright", variants=lambda today: [(today.isoformat(),)])
def _bright_per_unit(scope: Scope, on: str) -> list[dict]:
    """Per unit: active caterers, and those whose 明厨亮灶 designation is in force on ``on`` (ISO date)."""
    from .models import Designation, DesignationKind, DesignationStatus

    day = dt.date.fromisoformat(on)
    bright = Designation.objects.filter(kind=DesignationKind.BRIGHT_KITCHEN, status=DesignationStatus.APPROVED,
                                        reviewed_on__lte=day, valid_until__gte=day).values("entity_id")
    return _per_unit(_caterers(scope), bright)


def _food_samples(ctx: metrics.Context):
    from jianguan.sampling.models import Sample

    return metrics.within(Sample.objects.filter(plan__sector="food", plan__year=ctx.year, resample_of__isnull=True),
                          ctx.scope, "unit")


TESTED = ("qualified", "unqualified", "closed")


@metrics.metric("food.sampling_done_rate", "食品监督抽检任务完成率", unit="%", tags=(CREATION,),
                link=lambda ctx: reverse("sampling:plans"),
                description="当年食品安全监督抽检计划分配到各县区的抽样数中，已出检验结论的比例")
def sampling_done_rate(ctx: metrics.Context) -> metrics.Reading:
    from django.db.models import Sum

    from jianguan.sampling.models import Quota

    quota = metrics.within(Quota.objects.filter(plan__sector="food", plan__year=ctx.year), ctx.scope,
                           "district").aggregate(n=Sum("quota"))["n"] or 0
    return metrics.ratio(_food_samples(ctx).filter(status__in=TESTED).count(), quota)


@metrics.metric("food.sampling_qualified_rate", "食品监督抽检合格率", unit="%", tags=(CREATION,),
                link=lambda ctx: reverse("sampling:plans"),
                description="当年已出检验结论的食品安全监督抽检样品中，合格（含复检合格）的比例")
def sampling_qualified_rate(ctx: metrics.Context) -> metrics.Reading:
    from django.db.models import Count, Q

    row = _food_samples(ctx).aggregate(tested=Count("id", filter=Q(status__in=TESTED)),
                                       ok=Count("id", filter=Q(status="qualified")))
    return metrics.ratio(row["ok"], row["tested"])


@metrics.metric("food.disposals_on_time", "不合格食品核查处置按期完成率", unit="%", tags=(CREATION,),
                link=lambda ctx: reverse("food:disposals") + "?state=overdue",
                description="期限在当年且已到期、或已于当年办结的不合格食品核查处置中，在期限内办结的比例")
def disposals_on_time(ctx: metrics.Context) -> metrics.Reading:
    from django.db.models import Count, F, Q

    from .models import Disposal

    qs = metrics.within(Disposal.objects.filter(Q(due_on__gte=ctx.start, due_on__lte=ctx.end)
                                                | Q(closed_on__gte=ctx.start, closed_on__lte=ctx.end)),
                        ctx.scope, "unit")
    row = qs.aggregate(n=Count("id"), ok=Count("id", filter=Q(closed_on__isnull=False, closed_on__lte=F("due_on"))))
    return metrics.ratio(row["ok"], row["n"])


@metrics.metric("food.demo_shops", "餐饮服务食品安全示范店（有效）", unit="户", tags=(CREATION,),
                link=lambda ctx: reverse("food:designations"),
                description="示范店认定在有效期内的餐饮服务提供者户数（截至统计日）")
def demo_shops(ctx: metrics.Context) -> metrics.Reading:
    from .models import Designation, DesignationKind, DesignationStatus

    qs = metrics.within(Designation.objects.filter(kind=DesignationKind.DEMO_SHOP, status=DesignationStatus.APPROVED,
                                                   reviewed_on__lte=ctx.end, valid_until__gte=ctx.end),
                        ctx.scope, "unit")
    return metrics.count(qs.count())


#: the creation indicators in the order of the page
CREATION_KEYS = ("food.catering_graded", "food.bright_kitchen_rate", "food.sampling_done_rate",
                 "food.sampling_qualified_rate", "food.disposals_on_time", "food.demo_shops")
