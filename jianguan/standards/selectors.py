"""Reads of standardization work, scoped through ``core.scope``; figures for the work plan."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from jianguan.core.registers import live
from jianguan.core.scope import EVERYTHING, Scope, scope_filter

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


# --- figures for the work plan's live targets (``metrics.py`` registers them; each: ``year``, ``scope``) -------------------------


def _in(qs, scope: Scope):
    if scope.everything:
        return qs
    return qs.filter(unit_id__in=scope.unit_ids) if scope.unit_ids else qs.none()


def standards_led(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Standards (any kind) whose drafting an enterprise of the city led or took part in, declared in ``year``."""
    qs = live(EnterpriseStandard.objects).filter(declared_on__year=year, role__in=[Role.LED, Role.PARTICIPATED])
    return _in(qs, scope).count()


def leaders_designated(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Enterprise-standard "leader" designations of ``year``."""
    return _in(live(Leader.objects).filter(year=year), scope).count()


def pilots_accepted(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Pilot and demonstration projects accepted (验收) in ``year``."""
    return _in(live(PilotProject.objects).filter(accepted_on__year=year), scope).count()


def local_standards_published(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Local standards the city published in ``year``."""
    return _in(live(LocalStandard.objects).filter(stage=Stage.PUBLISHED, published_on__year=year), scope).count()
