"""Reads of quality improvement, scoped through ``core.scope``; park coverage; figures for the work plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from jianguan.core.models import OrgUnit
from jianguan.core.scope import get_in_scope_or_404, scope_filter

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
    return scope_filter(CertificationBody.objects.select_related("entity", "unit"), user)


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


# --- figures for the work plan's live targets (each: keyword ``year``, optional ``unit``) -------------------------


def _in(qs, unit: OrgUnit | None):
    return qs.filter(unit__path__startswith=unit.path) if unit is not None else qs


def enterprises_visited(*, year: int, unit: OrgUnit | None = None) -> int:
    """Distinct enterprises visited (进园区入百企) in ``year``."""
    qs = Visit.objects.filter(visited_on__year=year)
    return _in(qs, unit).values("entity_id").distinct().count()


def visit_problems_solved(*, year: int, unit: OrgUnit | None = None) -> int:
    """Problems solved at follow-up of visits made in ``year``."""
    return _in(Visit.objects.filter(visited_on__year=year), unit).aggregate(s=Sum("solved"))["s"] or 0


def awards_won(*, year: int, unit: OrgUnit | None = None) -> int:
    """Quality awards and brand recognitions of ``year``."""
    return _in(QualityAward.objects.filter(year=year), unit).count()


def quality_officers(*, year: int, unit: OrgUnit | None = None) -> int:
    """Enterprises with a first quality officer appointed by the end of ``year``."""
    return _in(QualityOfficer.objects.filter(appointed_on__year__lte=year), unit).count()


def accreditations_expiring(*, year: int, unit: OrgUnit | None = None) -> int:
    """Testing institutions whose accreditation expires in ``year``."""
    return _in(TestingInstitution.objects.filter(valid_until__year=year), unit).count()


METRICS = {
    "quality.enterprises_visited": ("进园区入百企走访企业数（家）", enterprises_visited),
    "quality.problems_solved": ("走访帮扶解决问题数（个）", visit_problems_solved),
    "quality.awards": ("质量奖、品牌认定（项）", awards_won),
    "quality.officers": ("设立首席质量官的企业（家，累计）", quality_officers),
    "quality.accreditations_expiring": ("年内资质认定到期的检验检测机构（家）", accreditations_expiring),
}
