"""Public pages of penalty publication (行政处罚信息公示), mounted at /penalties/.

Read-only, from the masked ``Publication`` snapshot only, and only what is shown today (published, not past its
last day, not ended by a credit repair).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from . import publication

PAGE = 20


def filtered(params):
    """The shown publications matching the public search ``params`` (q, authority, year)."""
    qs = publication.shown()

    def param(name: str) -> str:  # PostgreSQL refuses NUL in a string literal: drop it rather than fail
        return str(params.get(name) or "").replace("\x00", "").strip()[:100]

    q = param("q")
    if q:
        qs = qs.filter(Q(party_name__icontains=q) | Q(uscc=q.upper()) | Q(decision_no__icontains=q))
    authority = param("authority")
    if authority:
        qs = qs.filter(authority_name=authority)
    year = param("year")
    if year.isdigit() and len(year) == 4:
        qs = qs.filter(decided_on__year=int(year))
    return qs


def index(request):
    qs = filtered(request.GET).order_by("-published_on", "-id")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    authorities = (publication.shown().order_by("authority_name").values_list("authority_name", flat=True)
                   .distinct())
    years = sorted({d.year for d in publication.shown().dates("decided_on", "year")}, reverse=True)
    return render(request, "enforcement/public/index.html", {
        "page": page, "q": request.GET.get("q", ""), "authority": request.GET.get("authority", ""),
        "year": request.GET.get("year", ""), "authorities": list(authorities), "years": years})


def detail(request, pk: int):
    pub = get_object_or_404(publication.shown(), pk=pk)
    return render(request, "enforcement/public/detail.html", {"pub": pub, "content_lines": pub.content.splitlines(),
                                                              "facts_lines": pub.facts.splitlines()})
