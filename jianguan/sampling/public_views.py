"""Public: published sampling results per product category and per plan, and each plan's draw bundle."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .models import Plan, Sample
from .selectors import public_samples


def index(request):
    plans = list(Plan.objects.filter(status=Plan.Status.PUBLISHED).select_related("category", "standard")
                 .defer("manifest", "bundle").annotate(
                     n=Count("samples", filter=Q(samples__status__in=("qualified", "unqualified", "closed"))),
                     bad=Count("samples", filter=Q(samples__status__in=("unqualified", "closed"))))
                 .order_by("category__code", "-year", "code"))
    return render(request, "sampling/public/index.html", {"plans": plans})


def plan(request, code: str):
    p = Plan.objects.filter(code=code, status=Plan.Status.PUBLISHED).select_related("category", "standard").defer(
        "manifest", "bundle").first()
    if p is None:
        raise Http404
    rows = list(public_samples().filter(plan=p).order_by("status", "entity__name"))
    return render(request, "sampling/public/plan.html", {"plan": p, "rows": rows,
                                                         "unqualified": Sample.Status.UNQUALIFIED})


def bundle(request, code: str):
    text = Plan.objects.filter(code=code).exclude(bundle="").values_list("bundle", flat=True).first()
    if text is None:
        raise Http404
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bundle-{code}.json"'
    return response
