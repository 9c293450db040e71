"""Public page of certification and testing bodies (/quality/bodies/): the bodies registered in the city with their
approval or accreditation, scope and expiry, and the awards — public registration data, no personal data."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from jianguan.core.registers import live

from .models import CertificationBody, QualityAward, TestingInstitution


def bodies(request):
    today = timezone.localdate()
    institutions = live(TestingInstitution.objects.all()).select_related("entity").only(
        "cma_no", "scope", "issued_on", "valid_until", "entity__name", "entity__uscc").order_by("entity__name")
    certifiers = live(CertificationBody.objects.all()).select_related("entity").only(
        "approval_no", "fields_of_work", "valid_until", "entity__name", "entity__uscc").order_by("entity__name")
    awards = live(QualityAward.objects.all()).select_related("entity").only(
        "kind", "year", "product", "entity__name").filter(year__gte=today.year - 2).order_by("-year", "kind", "id")
    return render(request, "quality/public/bodies.html", {"institutions": institutions, "certifiers": certifiers,
                                                          "awards": awards, "today": today})
