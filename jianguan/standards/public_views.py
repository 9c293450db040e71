"""Public page of standardization (/standards/): local standards the city published and its enterprise-standard
"leaders" — public information, no personal data."""

from __future__ import annotations

from django.shortcuts import render

from jianguan.core.registers import live

from .models import Leader, LocalStandard, Stage


def index(request):
    published = live(LocalStandard.objects.all()).filter(stage=Stage.PUBLISHED).order_by("-published_on", "id")[:200]
    leaders = live(Leader.objects.all()).select_related("entity").only(
        "product", "standard_number", "year", "evaluator", "entity__name", "entity__uscc").order_by("-year", "id")[:200]
    return render(request, "standards/public.html", {"published": published, "leaders": leaders})
