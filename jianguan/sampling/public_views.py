"""Public: published sampling results per product category and per plan, and each plan's draw bundle."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .credit_hooks import sector_label
from .models import Plan, Sample
from .sectors import SECTORS
from .selectors import public_samples


def index(request):
    """Published plans per sector (产品质量监督抽查, 食品安全监督抽检, …) and product category; ``?sector=food``
    keeps one sector (the food pages link there)."""
    qs = Plan.objects.filter(status=Plan.Status.PUBLISHED)
    sector = request.GET.get("sector", "")
    if sector not in SECTORS:
        sector = ""
    if sector:
        qs = qs.filter(sector=sector)
    plans = list(qs.select_related("category", "standard").defer("manifest", "bundle").annotate(
        n=Count("samples", filter=Q(samples__status__in=("qualified", "unqualified", "closed"))),
        bad=Count("samples", filter=Q(samples__status__in=("unqualified", "closed"))))
        .order_by("sector", "category__code", "-year", "code"))
    order = list(SECTORS)
    plans.sort(key=lambda p: order.index(p.sector) if p.sector in SECTORS else len(order))  # stable: keeps the rest
    for p in plans:
        p.sector_label = sector_label(p.sector)
    sectors = [(code, s.label) for code, s in SECTORS.items()]
    return render(request, "sampling/public/index.html", {"plans": plans, "sector": sector, "sectors": sectors,
                                                          "title": sector_label(sector) if sector else ""})


def plan(request, code: str):
    p = Plan.objects.filter(code=code, status=Plan.Status.PUBLISHED).select_related("category", "standard").defer(
        "manifest", "bundle").first()
    if p is None:
        raise Http404
    rows = list(public_samples().filter(plan=p).order_by("status", "entity__name"))
    return render(request, "sampling/public/plan.html", {"plan": p, "rows": rows, "sector_label": sector_label(p.sector),
                                                         "unqualified": Sample.Status.UNQUALIFIED})


def bundle(request, code: str):
    text = Plan.objects.filter(code=code).exclude(bundle="").values_list("bundle", flat=True).first()
    if text is None:
        raise Http404
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bundle-{code}.json"'
    return response
