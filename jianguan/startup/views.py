"""The registrar's side of 企业开办: the review queue, the application page and its decisions, time-to-decision."""

from __future__ import annotations

import datetime as dt
import statistics

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import lists
from jianguan.core.errors import DomainError, TransitionNotAllowed
from jianguan.core.rules import rule

from . import forms, public_views, selectors, services
from .models import Application, CompanionItem

review_required = permission_required("startup.review_application", raise_exception=True)
view_required = permission_required("startup.view_application", raise_exception=True)


@login_required
@review_required
def queue(request):
    qs = selectors.review_queue(request.user)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(name__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.QUEUE_LIST, qs, filters={"q": q})
    listing = lists.show(request, selectors.QUEUE_LIST, qs)
    return render(
        request,
        "startup/queue.html",
        {"page": listing.page, "listing": listing, "q": q, "now": timezone.now(),
         "target": rule("startup.decision_target_hours"),
         "export_allowed": request.user.has_perm(selectors.QUEUE_LIST.export_permission)},
    )


@login_required
@view_required
def application_list(request):
    qs = selectors.applications_for_staff(request.user).select_related("registration_authority", "entity")
    state = request.GET.get("state", "")
    if state in Application.State.values:
        qs = qs.filter(state=state)
    kind = request.GET.get("kind", "")
    if kind in Application.Kind.values:
        qs = qs.filter(kind=kind)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(name__contains=q) | Q(entity__name__contains=q))
    if lists.wants_export(request):
        return lists.export(request, selectors.APPLICATION_LIST, qs, filters={"state": state, "kind": kind, "q": q})
    listing = lists.show(request, selectors.APPLICATION_LIST, qs)
    return render(
        request,
        "startup/list.html",
        {
            "page": listing.page,
            "listing": listing,
            "export_allowed": request.user.has_perm(selectors.APPLICATION_LIST.export_permission),
            "q": q,
            "state": state,
            "kind": kind,
            "states": [c for c in Application.State.choices if c[0] != "draft"],
            "kinds": Application.Kind.choices,
        },
    )


def _applicant_personal(user, app) -> dict:
    """The legal representative's ID number and phone (a natural person's) as ``user`` may see them: in clear for
    staff with ``registry.view_entity_personal`` (the registrars who review the application) — a logged read —
    masked for the others (a leader, a district head without it), as on the entity and case pages (#14)."""
    from jianguan.registry.masking import shown_personal

    shown, masked = shown_personal(user, app, {"legal_rep_id_no": app.legal_rep_id_no,
                                               "legal_rep_phone": app.legal_rep_phone},
                                   unit=app.registration_authority_id)
    return {**shown, "masked": masked}


def _objections(user, app) -> list[dict]:
    """The objections to a simplified deregistration with each objector's contact (often a phone) as ``user`` may see
    it: in clear as a logged read, else masked (``masking.shown_personal``)."""
    from jianguan.registry.masking import shown_personal

    rows = []
    for objection in app.objections.all():
        shown, _masked = shown_personal(user, objection, {"contact": objection.contact},
                                        unit=app.registration_authority_id)
        rows.append({"o": objection, "contact": shown["contact"]})
    return rows


def _detail_context(request, app, form=None):
    return {
        "app": app,
        "staff_personal": _applicant_personal(request.user, app),
        "decisions": app.decisions.select_related("actor"),
        "shareholders": app.shareholders.all(),
        "items": app.companion_items.select_related("updated_by"),
        "objections": _objections(request.user, app),
        "form": form or forms.DecisionForm(),
        "can_review": request.user.has_perm("startup.review_application"),
        "statuses": CompanionItem.Status.choices,
        "notice_over": app.notice_ends_on is not None and timezone.localdate() > app.notice_ends_on,
        "steps": selectors.application_steps(app),
    }


@login_required
@view_required
def detail(request, pk: int):
    app = selectors.application_for_staff(request.user, pk)
    return render(request, "startup/detail.html", _detail_context(request, app))


ACTIONS = {
    "approve": (services.application_approve, "已核准。"),
    "reject": (services.application_reject, "已决定不予核准。"),
    "return": (services.application_return, "已退回申请人补正。"),
}


@login_required
@review_required
@require_POST
def decide(request, pk: int, action: str):
    app = selectors.application_for_staff(request.user, pk)
    if action not in ACTIONS:
        return redirect("startup:detail", pk=app.pk)
    fn, done = ACTIONS[action]
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    try:
        fn(actor=request.user, application=app, message=form.cleaned_data.get("message", ""))
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
        app.refresh_from_db()
        return render(request, "startup/detail.html", _detail_context(request, app, form), status=409)
    except DomainError as exc:
        form.add_error("message", exc.message)
        return render(request, "startup/detail.html", _detail_context(request, app, form), status=422)
    messages.success(request, done)
    return redirect("startup:detail", pk=app.pk)


@login_required
@review_required
@require_POST
def companion_update(request, pk: int, code: str):
    app = selectors.application_for_staff(request.user, pk)
    item = get_object_or_404(CompanionItem, application=app, code=code)
    form = forms.CompanionForm(request.POST)
    if form.is_valid():
        services.companion_item_set(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, f"已更新「{item.label}」。")
    return redirect("startup:detail", pk=app.pk)


@login_required
@view_required
def licence_pdf(request, pk: int):
    app = selectors.application_for_staff(request.user, pk)
    return public_views.licence_response(request, app)


@login_required
@view_required
def stats(request):
    """Time to decision against the target: median, share within target, per kind; auto-approval share."""
    try:
        days = max(1, min(int(request.GET.get("days", 90)), 3660))
    except ValueError:
        days = 90
    since = timezone.now() - dt.timedelta(days=days)
    target = float(rule("startup.decision_target_hours"))
    decided = (
        selectors.applications_for_staff(request.user)
        .filter(decided_at__gte=since, decision_work_hours__isnull=False)
        .exclude(kind=Application.Kind.SIMPLE_DEREGISTER)
    )
    rows = []
    for kind, label in Application.Kind.choices:
        if kind == Application.Kind.SIMPLE_DEREGISTER:
            continue
        hours = [float(h) for h in decided.filter(kind=kind).values_list("decision_work_hours", flat=True)]
        rows.append(_summary(label, hours, target))
    all_hours = [float(h) for h in decided.values_list("decision_work_hours", flat=True)]
    counts = decided.aggregate(total=Count("id"), auto=Count("id", filter=Q(auto_approved=True)))
    pending = selectors.applications_for_staff(request.user).filter(state=Application.State.IN_REVIEW)
    overdue = pending.filter(due_at__lt=timezone.now()).count()
    return render(
        request,
        "startup/stats.html",
        {
            "rows": rows,
            "overall": _summary("合计", all_hours, target),
            "target": target,
            "days": days,
            "auto_pct": round(100 * counts["auto"] / counts["total"], 1) if counts["total"] else None,
            "pending": pending.count(),
            "overdue": overdue,
        },
    )


def _summary(label: str, hours: list[float], target: float) -> dict:
    if not hours:
        return {"label": label, "count": 0, "median": None, "within_pct": None}
    within = sum(1 for h in hours if h <= target)
    return {
        "label": label,
        "count": len(hours),
        "median": round(statistics.median(hours), 2),
        "within_pct": round(100 * within / len(hours), 1),
    }
