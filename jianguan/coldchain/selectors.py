"""Scoped reads of cold-chain tracing: a user sees batches, movements and trace holders of the units in scope."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Min, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.scope import scope_filter

from .models import Batch, Incident, Movement, Task, TraceHolder


def batches_for(user):
    return scope_filter(Batch.objects.select_related("importer"), user)


def movements_for(user):
    return scope_filter(Movement.objects.select_related("batch", "holder", "counterparty"), user)


def batch_for(user, pk: int) -> Batch:
    return get_object_or_404(batches_for(user), pk=pk)


def incidents_for(user):
    """Traces the user takes part in: of a batch in scope, or with a holder in scope."""
    qs = Incident.objects.select_related("batch", "origin")
    visible = scope_filter(TraceHolder.objects.all(), user).values("incident_id")
    open_task = Q(holders__tasks__done_at__isnull=True)
    return (qs.filter(Q(pk__in=visible) | Q(pk__in=scope_filter(Incident.objects.all(), user).values("pk")))
            .annotate(open_tasks=Count("holders__tasks", filter=open_task),
                      overdue=Count("holders__tasks", filter=open_task & Q(holders__tasks__due_at__lt=timezone.now())),
                      # the earliest clock still running: what the list of traces is a work queue of
                      next_due=Min("holders__tasks__due_at", filter=open_task)))


def incident_for(user, pk: int) -> Incident:
    return get_object_or_404(incidents_for(user), pk=pk)


def incident_holders(user, incident: Incident):
    """The holders of a trace in the user's scope, with their tasks (two queries)."""
    rank = Case(When(place="origin", then=Value(0)), When(place="up", then=Value(1)),
                When(place="down", then=Value(2)), default=Value(3), output_field=IntegerField())
    return (scope_filter(TraceHolder.objects.filter(incident=incident), user).select_related("entity")
            .prefetch_related("tasks").alias(rank=rank).order_by("rank", "hops", "id"))


def tasks_for(user):
    return scope_filter(Task.objects.select_related("holder__incident__batch", "holder__entity"), user,
                        "holder__unit")


def open_task_counts(user) -> dict:
    now = timezone.now()
    qs = tasks_for(user).filter(done_at__isnull=True)
    return qs.aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))


#: 追溯处置, a work queue: the trace whose earliest open task is due first on top (an overdue one before any other),
#: the closed ones (no clock left) after them, newest first.
INCIDENT_LIST = lists.Spec(
    key="coldchain.incidents", title="冷链食品追溯处置", default_sort="next_due",
    default_note="最近时限在前（已超时的最先），已闭环的在后", export_permission="coldchain.view_batch",
    columns=(
        lists.Column("code", "追溯码", "batch.tracing_code", sort="batch__tracing_code", width=20),
        lists.Column("product", "品名", "batch.product", sort=("batch__product", F("started_at").desc()), width=20),
        lists.Column("reason", "原因", "get_reason_display", sort=("reason", F("started_at").desc()), width=14),
        lists.Column("origin", "发现环节", "origin.name", sort=("origin__name", F("started_at").desc()), width=28),
        lists.Column("started_at", "启动时间", sort="started_at", width=18),
        lists.Column("next_due", "最近时限", sort=("next_due", F("started_at").desc()), width=18),
        lists.Column("open_tasks", "未完成任务", sort=("open_tasks", F("started_at").desc()), width=10),
        lists.Column("overdue", "已超时", sort=("overdue", F("started_at").desc()), width=8),
        lists.Column("state", "状态", lambda i: "已闭环" if i.closed_at else "处置中",
                     sort=(Case(When(closed_at__isnull=True, then=Value(0)), default=Value(1),
                                output_field=IntegerField()), F("started_at").desc()), width=8),
    ))


def tasks_of_holder(entity):
    """The tasks of ``entity`` (an enterprise account's own entity) in every trace: open traces first, then by
    deadline — the holder's portal page. Not scoped by staff units: the caller passes the account's entity."""
    from django.db.models import F

    from .models import Task

    return (Task.objects.filter(holder__entity=entity).select_related("holder__incident__batch")
            .order_by(F("holder__incident__closed_at").desc(nulls_first=True), "due_at", "id"))


def movements_of_holder(entity):
    """The movements of ``entity`` (an enterprise account's own entity): its portal pages and its own API."""
    from .models import Movement

    return Movement.objects.filter(holder=entity)
