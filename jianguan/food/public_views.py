"""The public side of food supervision: catering grades (list, a caterer's page with the business's replies beside
its grades, the embeddable SVG badge) and the valid 三小 registrations. No personal data: the operator's name of a
三小 registration is never shown, nor a caterer's legal representative."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jianguan.portal.models import Reply

from . import selectors
from .credit_hooks import OBJECT_TYPE
from .models import FACES, SmallKind


@require_GET
def index(request):
    q = (request.GET.get("q") or "").strip()
    qs = selectors.latest_gradings()
    if q:
        qs = qs.filter(entity__name__contains=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [{"g": g, "annual": selectors.annual_of(g)} for g in page.object_list]
    return render(request, "food/public/index.html", {"page": page, "rows": rows, "q": q})


@require_GET
def caterer(request, code: str):
    entity = selectors.public_caterer(code)
    if entity is None:
        raise Http404
    gradings = list(entity.food_gradings.order_by("-inspected_on", "-id")[:20])
    replies = {r.object_id: r for r in Reply.objects.filter(
        object_type=OBJECT_TYPE, object_id__in=[str(g.pk) for g in gradings], status=Reply.Status.PUBLISHED)}
    rows = [{"g": g, "reply": replies.get(str(g.pk))} for g in gradings]
    annual = getattr(entity, "food_annual_grade", None) if hasattr(entity, "food_annual_grade") else None
    page_url = request.build_absolute_uri(reverse("food_public:caterer", args=[entity.uscc]))
    badge_url = request.build_absolute_uri(reverse("food_public:badge", args=[entity.uscc]))
    return render(request, "food/public/caterer.html", {
        "entity": entity, "rows": rows, "latest": gradings[0] if gradings else None, "annual": annual,
        "page_url": page_url, "badge_url": badge_url})


@require_GET
@cache_control(public=True, max_age=3600)
def badge(request, code: str):
    """An SVG badge a caterer may put on its own site or menu: its latest dynamic grade as a face, its annual grade,
    its USCC, and a link back to its page here."""
    entity = selectors.public_caterer(code)
    if entity is None:
        raise Http404
    latest = entity.food_gradings.order_by("-inspected_on", "-id").first()
    annual = getattr(entity, "food_annual_grade", None) if hasattr(entity, "food_annual_grade") else None
    link = request.build_absolute_uri(reverse("food_public:caterer", args=[entity.uscc]))
    svg = render_to_string("food/public/badge.svg", {
        "entity": entity, "g": latest, "face": FACES[latest.grade], "annual": annual, "link": link})
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def smalls(request):
    q = (request.GET.get("q") or "").strip()
    kind = request.GET.get("kind") or ""
    qs = selectors.public_smalls().order_by("county__code", "number")
    if q:
        qs = qs.filter(name__contains=q)
    if kind in SmallKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "food/public/smalls.html", {"page": page, "q": q, "kind": kind,
                                                       "kinds": SmallKind.choices})


@require_GET
def designations(request):
    """Caterers designated 明厨亮灶 or 示范店, valid now."""
    rows = list(selectors.public_designations())
    return render(request, "food/public/designations.html", {"rows": rows})


def disposals(request):
    """食品召回公告 and the outcome of 核查处置: announced recalls and closed disposals, newest first, 50 a page.
    Nothing about who complained."""
    from django.core.paginator import Paginator

    page = Paginator(selectors.public_disposals(), 50).get_page(request.GET.get("page"))
    return render(request, "food/public/disposals.html", {"page": page})
