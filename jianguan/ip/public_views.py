"""Public pages of IP protection (mounted at /ip/): campaign results (figures only, no party) and the GIs with
their authorised users (enterprise name, code and date: public registration data, no personal data)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from jianguan.core.registers import live

from . import selectors
from .models import GIProduct, GIUser


def campaigns(request):
    this_year = timezone.localdate().year
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= this_year else this_year
    rows = selectors.campaign_statistics(None, year=year)
    return render(request, "ip/public/campaigns.html", {"rows": rows, "year": year,
                                                        "years": list(range(this_year, this_year - 5, -1))})


def gi_users(request):
    users = live(GIUser.objects.all()).select_related("entity").only(
        "product_id", "approved_on", "announcement_no", "entity__name", "entity__uscc").order_by(
        "entity__name", "id")
    products = live(GIProduct.objects.all()).prefetch_related(Prefetch("users", queryset=users)).order_by("name")
    return render(request, "ip/public/gi.html", {"products": products})
