"""Scoped reads of drug supervision: a user sees the objects, focus entries, campaigns and reports of units in scope."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.registers import live
from jianguan.core.scope import scope_filter

from .models import AdverseEvent, Campaign, EventStatus, FocusProduct, SupervisedObject


def objects_for(user):
    return scope_filter(SupervisedObject.objects.select_related("entity", "licence"), user)


def focus_for(user):
    return scope_filter(FocusProduct.objects.select_related("holder"), user)


def events_for(user):
    return scope_filter(AdverseEvent.objects.select_related("reporter", "unit"), user)


def event_for(user, pk: int) -> AdverseEvent:
    return get_object_or_404(events_for(user), pk=pk)


def _checklist_text(c) -> str:
    items = list(c.plan.items.all())
    return f"{len(items[0].checklist)} 项（{items[0].code}）" if items else ""


#: 药品专项检查: the latest year first.
CAMPAIGN_LIST = lists.Spec(
    key="drugs.campaigns", title="药品专项检查", default_sort="-year", default_note="最近年度的在前",
    export_permission="drugs.view_supervisedobject", page_size=30,
    columns=(
        lists.Column("year", "年度", sort=("year", "kind", "unit__path"), width=8),
        lists.Column("kind", "专项", "get_kind_display", sort="kind", width=20),
        lists.Column("unit", "组织单位", "unit.name", sort="unit__path", width=24),
        lists.Column("plan", "抽查计划", "plan.code", sort="plan__code", width=20),
        lists.Column("plan_status", "计划状态", "plan.get_status_display", sort="plan__status", width=10),
        lists.Column("batches", "抽取批次", sort="batches", width=10),
        lists.Column("checklist", "检查要点", _checklist_text, width=16),
    ))


def campaigns_for(user):
    return scope_filter(Campaign.objects.select_related("plan", "unit"), user).annotate(
        batches=Count("plan__batches", distinct=True))


def home_counts(user, today=None) -> dict:
    today = today or timezone.localdate()
    events = live(events_for(user)).filter(status=EventStatus.ROUTED).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(review_due__lt=today)))
    focus = live(focus_for(user)).filter(Q(until__isnull=True) | Q(until__gte=today), listed_on__lte=today)
    return {"objects": live(objects_for(user)).count(), "focus_holders": focus.values("holder").distinct().count(),
            **events}


# --- the public side (portal /drugs/) -----------------------------------------------------------------------------

#: the supervised objects licensed by the bureau's registry that the public sees: retail pharmacies and device shops
#: (hospitals and clinics hold the health commission's practice licence, not ours: not listed)
PUBLIC_KINDS = ("pharmacy", "chain_store", "device_shop")


def public_outlets(today, *, q: str = "", kind: str = "", county: str = "", inspected: bool = False):
    """Pharmacies and device shops open to the public: in the register (not withdrawn), the entity in business, its
    licence valid and not past its date. Each row carries the id of the entity's latest published inspection
    (``last_task``, one correlated subquery on the task's entity index) for ``latest_results``. Only the entity's
    name, code and district, the licence and the inspection: no legal representative, phone or address."""
    from django.db.models import OuterRef, Subquery

    from jianguan.inspections.models import InspectionTask, TaskStatus
    from jianguan.registry.models import EntityStatus, LicenceStatus

    latest = (InspectionTask.objects.filter(entity=OuterRef("entity"), status=TaskStatus.PUBLISHED)
              .order_by("-inspected_on", "-id").values("id")[:1])
    qs = (live(SupervisedObject.objects.filter(
        kind__in=PUBLIC_KINDS, licence__status=LicenceStatus.VALID, entity__status=EntityStatus.ACTIVE))
        .filter(Q(licence__valid_until__isnull=True) | Q(licence__valid_until__gte=today))
        .select_related("entity__division", "licence__kind")
        .only("kind", "entity__uscc", "entity__name", "entity__division__name", "licence__number",
              "licence__issuer", "licence__valid_until", "licence__kind__name")
        .annotate(last_task=Subquery(latest)))
    if q:
        qs = qs.filter(entity__name__contains=q)
    if kind in PUBLIC_KINDS:
        qs = qs.filter(kind=kind)
    if county:
        qs = qs.filter(entity__division_id=county)
    if inspected:  # only those with a published inspection
        qs = qs.filter(last_task__isnull=False)
    return qs.order_by("entity__name", "id")


def latest_results(task_ids) -> dict:
    """The published inspections ``task_ids`` (one query, their item results in a second): id → the task with
    ``problems`` (the labels of the problem categories found, empty when none was)."""
    from django.db.models import Prefetch

    from jianguan.inspections.models import PROBLEM_CATEGORIES, InspectionTask, ItemResult

    ids = [i for i in task_ids if i]
    if not ids:
        return {}
    tasks = (InspectionTask.objects.filter(pk__in=ids).select_related("batch__plan")
             .only("inspected_on", "published_at", "batch__plan__code", "batch__plan__title")
             .prefetch_related(Prefetch("results", queryset=ItemResult.objects.only("task_id", "category").order_by("id"))))
    out = {}
    for t in tasks:
        labels = {r.category: r.get_category_display() for r in t.results.all()}
        t.problems = [label for code, label in labels.items() if code in PROBLEM_CATEGORIES]
        t.outcome = "；".join(t.problems) or next(iter(labels.values()), "")
        out[t.pk] = t
    return out


def public_campaigns():
    """Drug campaigns whose plan is public, with the published results counted: entities inspected and those with a
    problem found (one query)."""
    from jianguan.inspections.models import PROBLEM_CATEGORIES, InspectionPlan, TaskStatus

    published = Q(plan__batches__tasks__status=TaskStatus.PUBLISHED)
    return (Campaign.objects.filter(plan__status__in=(InspectionPlan.Status.PUBLISHED, InspectionPlan.Status.CLOSED))
            .select_related("plan", "unit")
            .only("kind", "year", "plan__code", "plan__title", "plan__status", "unit__name", "unit__short_name")
            .annotate(inspected=Count("plan__batches__tasks", filter=published, distinct=True),
                      with_problems=Count("plan__batches__tasks", distinct=True, filter=published & Q(
                          plan__batches__tasks__results__category__in=PROBLEM_CATEGORIES)))
            .order_by("-year", "kind", "unit__code"))
