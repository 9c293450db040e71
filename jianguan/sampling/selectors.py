"""Scoped reads of the sampling flow. Plans are the bureau's programme (every holder of ``sampling.view_plan``
sees them); samples are scoped by the producer's supervising unit.

``sampling_unqualified_handled(scope, year)`` is the figure the work plan (#19) reads.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from jianguan.core import lists
from jianguan.core.scope import Scope, get_in_scope_or_404, scope_filter

from .models import Plan, Sample

DONE = (Sample.Status.QUALIFIED, Sample.Status.UNQUALIFIED, Sample.Status.CLOSED)
UNQUALIFIED = (Sample.Status.UNQUALIFIED, Sample.Status.CLOSED)


def plans(user) -> QuerySet[Plan]:
    return Plan.objects.select_related("category", "standard", "unit").defer("manifest", "bundle").annotate(
        n=Count("samples", filter=Q(samples__resample_of__isnull=True)),
        done=Count("samples", filter=Q(samples__status__in=DONE, samples__resample_of__isnull=True)),
        bad=Count("samples", filter=Q(samples__status__in=UNQUALIFIED)))


def sector_label(code: str) -> str:
    from .sectors import SECTORS

    sector = SECTORS.get(code)
    return sector.label if sector else code


def _label_sectors(rows: list) -> None:
    for row in rows:
        row.sector_label = sector_label(row.sector)


#: 抽查计划: the latest year first, then by plan number.
PLAN_LIST = lists.Spec(
    key="sampling.plans", title="监督抽查计划", default_sort="-year", default_note="最近年度的在前，同年按计划编号",
    export_permission="sampling.view_plan", prepare=_label_sectors,
    columns=(
        lists.Column("code", "计划编号", sort="code", width=16),
        lists.Column("title", "名称", sort=("title", F("code").asc()), width=30),
        lists.Column("year", "年度", sort=("year", F("code").asc()), width=8),
        # on screen the filter and the plan number say the sector; the export has its own column
        lists.Column("sector", "领域", "sector_label", header=False, width=16),
        lists.Column("category", "产品类别", "category.name", sort=("category__name", F("code").asc()), width=20),
        lists.Column("standard", "标准", "standard.code", sort=("standard__code", F("code").asc()), width=18),
        lists.Column("status", "状态", "get_status_display", sort=("status", F("code").asc()), width=14),
        lists.Column("n", "样品", sort=("n", F("code").asc()), width=8),
        lists.Column("done", "已出结论", sort=("done", F("code").asc()), width=10),
        lists.Column("bad", "不合格", sort=("bad", F("code").asc()), width=8),
    ))


def samples(user) -> QuerySet[Sample]:
    return scope_filter(Sample.objects.select_related("entity", "plan", "unit").defer("plan__manifest",
                                                                                         "plan__bundle"), user)


def sample_for(user, pk: int) -> Sample:
    return get_in_scope_or_404(Sample.objects.select_related("entity", "plan", "plan__standard", "plan__category",
                                                             "unit", "sampler").defer("plan__manifest", "plan__bundle"),
                               user, pk=pk)


def unqualified_rate_by_category(user, year: int) -> list[dict]:
    """For the home card: tested samples and the unqualified share per product category this year."""
    rows = (samples(user).filter(plan__year=year, status__in=DONE, resample_of__isnull=True)
            .values("plan__category__name").annotate(n=Count("id"), bad=Count("id", filter=Q(status__in=UNQUALIFIED)))
            .order_by("plan__category__name"))
    return [{"category": r["plan__category__name"], "n": r["n"], "bad": r["bad"],
             "rate": round(100 * r["bad"] / r["n"], 1) if r["n"] else None} for r in rows]


def followup_due(user, *, today) -> QuerySet[Sample]:
    """Unqualified samples whose follow-up is open, nearest clock first."""
    return samples(user).filter(status=Sample.Status.UNQUALIFIED).order_by("rectification_deadline", "id")


def public_samples() -> QuerySet[Sample]:
    """Results of published plans (the original samples and the re-samples)."""
    return (Sample.objects.filter(plan__status=Plan.Status.PUBLISHED, status__in=DONE)
            .select_related("entity", "plan", "plan__category", "plan__standard").defer("plan__manifest", "plan__bundle"))


def _in_scope(qs: QuerySet, scope: Scope | None) -> QuerySet:
    if scope is None or scope.everything:
        return qs
    return qs.filter(unit_id__in=scope.unit_ids)


def sampling_unqualified_handled(scope: Scope | None, year: int) -> dict:
    """Of the unqualified samples of ``year``'s plans in ``scope``, how many are handled: result served, and
    rectified or qualified at re-test or handed to enforcement (or closed). {"unqualified", "handled", "rate"}."""
    qs = _in_scope(Sample.objects.filter(plan__year=year), scope).filter(
        Q(status__in=UNQUALIFIED) | Q(retest_conclusion="qualified"))
    row = qs.aggregate(n=Count("id"), handled=Count("id", filter=Q(status=Sample.Status.CLOSED) | Q(
        retest_conclusion="qualified") | (Q(served_on__isnull=False) & (Q(rectified_on__isnull=False) | Q(
            lead_id__isnull=False)))))
    n = row["n"]
    return {"unqualified": n, "handled": row["handled"], "rate": round(row["handled"] / n, 4) if n else None}


# --- the sample list on the workbench (core.lists) --------------------------------------------------------------------


def _unit_name(sample) -> str:
    return sample.unit.short_name or sample.unit.name


SAMPLE_LIST = lists.Spec(
    key="sampling.samples", title="监督抽查样品", default_sort="-sampled", default_note="最近抽样的在前",
    export_permission="sampling.view_plan",
    columns=(
        lists.Column("number", "样品编号", sort="number", width=22),
        lists.Column("plan", "抽查计划", "plan.code", sort="plan__code", width=18),
        lists.Column("entity", "被抽样单位", "entity.name", sort="entity__name", width=30),
        lists.Column("uscc", "统一社会信用代码", "entity.uscc", width=20, header=False),
        lists.Column("product", "产品", "product_name", sort="product_name", width=20),
        lists.Column("unit", "监管单位", _unit_name, sort="unit__path", width=14),
        lists.Column("sampled", "抽样日期", "sampled_on", sort="sampled_on", width=12),
        lists.Column("status", "状态", "get_status_display", sort="status", width=12),
    ))


def sample_search(user, *, q: str = "", status: str = "", plan: str = "", year: int | None = None) -> QuerySet[Sample]:
    """The samples ``user`` may see, filtered: a sample number, producer or product fragment, a status, a plan code,
    the plan's year."""
    qs = samples(user)
    if q:
        qs = qs.filter(Q(number=q) | Q(entity__name__contains=q) | Q(product_name__contains=q) | Q(entity__uscc=q))
    if status:
        qs = qs.filter(status=status)
    if plan:
        qs = qs.filter(plan__code=plan)
    if year:
        qs = qs.filter(plan__year=year)
    return qs


#: 不合格后处理: a work queue, the nearest rectification deadline first.
FOLLOWUP_LIST = lists.Spec(
    key="sampling.followup", title="抽检不合格后处理", default_sort="rectification_deadline",
    default_note="整改期限最近的在前", export_permission="sampling.view_plan",
    columns=(
        lists.Column("number", "样品", sort="number", width=20),
        lists.Column("entity", "被抽样单位", "entity.name", sort="entity__name", width=30),
        lists.Column("product", "产品", "product_name", sort="product_name", width=20),
        lists.Column("served_on", "送达", sort="served_on", width=12),
        lists.Column("objection_deadline", "异议期限", sort="objection_deadline", width=12),
        lists.Column("rectification_deadline", "整改期限", sort="rectification_deadline", width=12),
        lists.Column("rectified_on", "整改完成", width=12, header=False),
        lists.Column("lead", "线索", lambda s: f"线索 {s.lead_id}" if s.lead_id else "", sort="lead_id", width=10),
    ))
