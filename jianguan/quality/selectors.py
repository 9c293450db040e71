"""Reads of quality improvement, scoped through ``core.scope``; park coverage; figures for the work plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from jianguan.core.registers import live
from jianguan.core.scope import EVERYTHING, Scope, get_in_scope_or_404, scope_filter

from .models import (
    Certificate,
    CertificationBody,
    Park,
    QualityAward,
    QualityOfficer,
    TestingInstitution,
    TestReport,
    Visit,
    VisitStatus,
)


def parks_for(user) -> QuerySet[Park]:
    return Park.objects.select_related("division", "unit").order_by("name")


def visits_for(user) -> QuerySet[Visit]:
    return scope_filter(Visit.objects.select_related("park", "entity", "unit"), user).order_by("-planned_on", "-id")


def visit_for(user, pk: int) -> Visit:
    return get_in_scope_or_404(Visit.objects.select_related("park", "entity", "unit"), user, pk=pk)


def awards_for(user) -> QuerySet[QualityAward]:
    return scope_filter(QualityAward.objects.select_related("entity", "unit"), user)


def officers_for(user) -> QuerySet[QualityOfficer]:
    return scope_filter(QualityOfficer.objects.select_related("entity", "unit"), user)


def bodies_for(user) -> QuerySet[CertificationBody]:
    return scope_filter(CertificationBody.objects.select_related("entity", "unit", "licence"), user)


def certificates_for(user) -> QuerySet[Certificate]:
    return scope_filter(Certificate.objects.select_related("body", "body__entity", "holder", "unit"), user)


def institutions_for(user) -> QuerySet[TestingInstitution]:
    return scope_filter(TestingInstitution.objects.select_related("entity", "unit"), user)


def reports_for(user) -> QuerySet[TestReport]:
    return scope_filter(TestReport.objects.select_related("institution", "institution__entity", "unit"), user)


def coverage(user, *, year: int) -> list[dict]:
    """Per park: visits planned and done in ``year``, distinct enterprises visited, coverage of the park's
    enterprises, problems found and solved, follow-ups overdue. One grouped query."""
    today = dt.date.today()
    visits = Visit.objects.filter(planned_on__year=year)
    visits = scope_filter(visits, user)
    grouped = {g["park_id"]: g for g in visits.values("park_id").annotate(
        planned=Count("id"), done=Count("id", filter=~Q(status=VisitStatus.PLANNED)),
        enterprises=Count("entity_id", distinct=True, filter=~Q(status=VisitStatus.PLANNED)),
        problems=Sum("problem_count"), solved=Sum("solved"),
        overdue=Count("id", filter=Q(status=VisitStatus.VISITED, follow_up_due__lt=today)))}
    rows = []
    for park in Park.objects.select_related("division").order_by("name"):
        g = grouped.get(park.pk, {})
        reached = g.get("enterprises", 0)
        rows.append({"park": park, "planned": g.get("planned", 0), "done": g.get("done", 0), "enterprises": reached,
                     "coverage": (Decimal(reached * 100) / park.enterprises).quantize(Decimal("0.1"))
                     if park.enterprises else Decimal(0),
                     "problems": g.get("problems") or 0, "solved": g.get("solved") or 0,
                     "overdue": g.get("overdue", 0)})
    return rows


# --- figures for the work plan's live targets (``metrics.py`` registers them; each: ``year``, ``scope``) -------------------------


def _in(qs, scope: Scope):
    if scope.everything:
        return qs
    return qs.filter(unit_id__in=scope.unit_ids) if scope.unit_ids else qs.none()


def enterprises_visited(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Distinct enterprises visited (进园区入百企) in ``year``."""
    qs = live(Visit.objects).filter(visited_on__year=year)
    return _in(qs, scope).values("entity_id").distinct().count()


def visit_problems_solved(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Problems solved at follow-up of visits made in ``year``."""
    return _in(live(Visit.objects).filter(visited_on__year=year), scope).aggregate(s=Sum("solved"))["s"] or 0


def awards_won(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Quality awards and brand recognitions of ``year``."""
    return _in(live(QualityAward.objects).filter(year=year), scope).count()


def quality_officers(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Enterprises with a first quality officer appointed by the end of ``year``."""
    return _in(live(QualityOfficer.objects).filter(appointed_on__year__lte=year), scope).count()


def accreditations_expiring(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Testing institutions whose accreditation expires in ``year``."""
    return _in(live(TestingInstitution.objects).filter(valid_until__year=year), scope).count()
