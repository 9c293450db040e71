"""The public side of drug, device and cosmetics supervision (portal, no login): the licensed retail pharmacies and
medical-device shops with their licence's validity and their latest published inspection; the published results of
the drug campaigns (专项检查); how a member of the public reports an adverse reaction. Nothing personal: no legal
representative, ID number, phone or address — the name links to the entity's public record, which says the rest.

The focus list (重点监管品种 and who holds them) and the adverse-event reports stay in the workbench: the first says
where high-risk products are kept, the second is medical information about patients."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jianguan.core.models import Division

from . import selectors
from .models import FocusCategory, ObjectKind

PAGE = 30


def _counties() -> list[tuple[str, str]]:
    return list(Division.objects.filter(parent_id=settings.JIANGUAN_CITY_CODE).order_by("code")
                .values_list("code", "name"))


@require_GET
def outlets(request):
    """持证药品零售企业和医疗器械经营企业, 30 a page: name, kind, district, licence and its validity, the latest
    published inspection (its plan, date and outcome)."""
    today = timezone.localdate()
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    kind = request.GET.get("kind") or ""
    kind = kind if kind in selectors.PUBLIC_KINDS else ""
    counties = _counties()
    county = request.GET.get("county") or ""
    county = county if county in {c for c, _ in counties} else ""
    inspected = request.GET.get("inspected") == "1"
    page = Paginator(selectors.public_outlets(today, q=q, kind=kind, county=county, inspected=inspected),
                     PAGE).get_page(
        request.GET.get("page"))
    results = selectors.latest_results([o.last_task for o in page.object_list])
    rows = [{"o": o, "task": results.get(o.last_task)} for o in page.object_list]
    return render(request, "drugs/public/outlets.html", {
        "page": page, "rows": rows, "q": q, "kind": kind, "county": county, "counties": counties,
        "inspected": inspected,
        "kinds": [(k, ObjectKind(k).label) for k in selectors.PUBLIC_KINDS], "today": today,
        "focus_categories": [label for _, label in FocusCategory.choices]})


@require_GET
def campaigns(request):
    """The drug campaigns (专项检查) whose plan is public, newest year first, with the published results counted and
    a link to the plan's notice (its batches, the draw's bundle and each entity's result)."""
    page = Paginator(selectors.public_campaigns(), PAGE).get_page(request.GET.get("page"))
    return render(request, "drugs/public/campaigns.html", {"page": page})
