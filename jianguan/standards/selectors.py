"""Reads of standardization work, scoped through ``core.scope``; figures for the work plan."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from jianguan.core.models import OrgUnit
from jianguan.core.scope import scope_filter

from .models import EnterpriseStandard, Leader, LocalStandard, Milestone, PilotProject, Role, Stage


def standards_for(user) -> QuerySet[EnterpriseStandard]:
    return scope_filter(EnterpriseStandard.objects.select_related("entity", "unit"), user)


def leaders_for(user) -> QuerySet[Leader]:
    return scope_filter(Leader.objects.select_related("entity", "unit"), user)


def pilots_for(user) -> QuerySet[PilotProject]:
    # Pilot projects and local standards are the city's work: every standards officer sees them all.
    today = dt.date.today()
    return PilotProject.objects.annotate(
        milestones_total=Count("milestones"), milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
        milestones_late=Count("milestones", filter=Q(milestones__done_on__isnull=True, milestones__due_on__lt=today)),
    ).order_by("-starts_on", "id")


def pilot(pk: int) -> PilotProject:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(PilotProject.objects.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id"))), pk=pk)


def local_standards_for(user) -> QuerySet[LocalStandard]:
    return LocalStandard.objects.all()


# --- figures for the work plan's live targets (each: keyword ``year``, optional ``unit``) -------------------------


def _in(qs, unit: OrgUnit | None):
    return qs.filter(unit__path__startswith=unit.path) if unit is not None else qs


def standards_led(*, year: int, unit: OrgUnit | None = None) -> int:
    """Standards (any kind) whose drafting an enterprise of the city led or took part in, declared in ``year``."""
    qs = EnterpriseStandard.objects.filter(declared_on__year=year, role__in=[Role.LED, Role.PARTICIPATED])
    return _in(qs, unit).count()


def leaders_designated(*, year: int, unit: OrgUnit | None = None) -> int:
    """Enterprise-standard "leader" designations of ``year``."""
    return _in(Leader.objects.filter(year=year), unit).count()


def pilots_accepted(*, year: int, unit: OrgUnit | None = None) -> int:
    """Pilot and demonstration projects accepted (验收) in ``year``."""
    return _in(PilotProject.objects.filter(accepted_on__year=year), unit).count()


def local_standards_published(*, year: int, unit: OrgUnit | None = None) -> int:
    """Local standards the city published in ``year``."""
    return _in(LocalStandard.objects.filter(stage=Stage.PUBLISHED, published_on__year=year), unit).count()


METRICS = {
    "standards.led": ("企业主导或参与制定的标准（项）", standards_led),
    "standards.leaders": ("企业标准“领跑者”（项）", leaders_designated),
    "standards.pilots_accepted": ("通过验收的标准化试点示范项目（个）", pilots_accepted),
    "standards.local_published": ("发布的地方标准（项）", local_standards_published),
}
