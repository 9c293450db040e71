"""Reads of the start-up app. Staff see applications of the registration authorities in their scope; members of the
public see only their own. Anything else is a 404."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.http import Http404

from jianguan.core import lists
from jianguan.core.scope import get_in_scope_or_404, scope_filter

from .models import Application

UNIT_FIELD = "registration_authority"


def applications_for_staff(user) -> QuerySet[Application]:
    """Submitted applications whose registration authority lies in the user's scope (drafts are the applicant's)."""
    qs = Application.objects.exclude(state=Application.State.DRAFT)
    return scope_filter(qs, user, UNIT_FIELD)


def review_queue(user) -> QuerySet[Application]:
    """Applications waiting for a registrar, the most overdue first (no deadline — calendar unknown — last)."""
    return (
        applications_for_staff(user)
        .filter(state=Application.State.IN_REVIEW)
        .select_related("registration_authority", "entity")
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


def application_for_staff(user, pk: int) -> Application:
    qs = Application.objects.exclude(state=Application.State.DRAFT).select_related(
        "registration_authority", "entity", "division", "industry", "applicant"
    )
    return get_in_scope_or_404(qs, user, UNIT_FIELD, pk=pk)


def applications_of(user) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return Application.objects.filter(applicant=user).select_related("entity")


def application_of(user, pk: int) -> Application:
    """The applicant's own application, or 404."""
    app = applications_of(user).select_related("division", "industry", "registration_authority").filter(pk=pk).first()
    if app is None:
        raise Http404
    return app


def public_notices() -> QuerySet[Application]:
    """Simplified deregistrations in their public notice period (public information: name, code, dates)."""
    return (
        Application.objects.filter(kind=Application.Kind.SIMPLE_DEREGISTER, state=Application.State.PUBLIC_NOTICE)
        .select_related("entity", "registration_authority")
        .order_by("notice_ends_on", "id")
    )


# --- the staff list of applications (core.lists) ------------------------------------------------------------------------

APPLICATION_LIST = lists.Spec(
    key="startup.applications", title="企业开办申请", default_sort="-submitted", default_note="最近提交的在前",
    export_permission="startup.view_application", page_size=30,
    columns=(
        lists.Column("number", "申请编号", sort="number", width=20),
        lists.Column("name", "名称", "display_name", sort="name", width=32),
        lists.Column("kind", "类型", "get_kind_display", sort="kind", width=10),
        lists.Column("state", "状态", "get_state_display", sort="state", width=10),
        lists.Column("authority", "登记机关", lambda a: (a.registration_authority.short_name
                                                       or a.registration_authority.name)
                     if a.registration_authority_id else "", sort="registration_authority__path", width=18),
        lists.Column("submitted", "提交时间", "submitted_at", sort="submitted_at", width=17),
        lists.Column("hours", "用时（工作小时）", "decision_work_hours", sort="decision_work_hours", width=10),
    ))


# --- progress steps on the application page --------------------------------------------------------------------------


def application_steps(app) -> list:
    """填报 → 提交审核 → (简易注销: 公告) → 核准; returned goes back to 填报 with the note; rejected stops at 核准."""
    from jianguan.core.steps import progress

    from .models import Application

    state = Application.State
    labels = ["填报", "审核", "核准"]
    if app.kind == Application.Kind.SIMPLE_DEREGISTER:
        labels = ["填报", "审核", "公告", "核准"]
    last = len(labels) - 1
    if app.state == state.REJECTED:
        return progress(labels, last, stopped="不予核准")
    at = {state.DRAFT: 0, state.RETURNED: 0, state.IN_REVIEW: 1, state.PUBLIC_NOTICE: 2,
          state.APPROVED: len(labels)}.get(app.state, 0)
    note = {state.RETURNED: "退回修改", state.PUBLIC_NOTICE: "公告期内"}.get(app.state, "")
    return progress(labels, at, note=note)


def _reasons(app) -> str:
    texts = [reason for r in (app.rule_results or []) for reason in r.get("reasons", [])]
    if app.kind == Application.Kind.SIMPLE_DEREGISTER:
        texts.append("公告期内收到异议")
    return "；".join(texts)


#: 审核队列: a work queue, the most overdue first (no deadline — calendar unknown — last).
QUEUE_LIST = lists.Spec(
    key="startup.queue", title="企业开办审核队列", default_sort="due_at", default_note="办结时限最近的在前（已超时的在最前）",
    export_permission="startup.review_application", page_size=30,
    columns=(
        lists.Column("number", "申请编号", sort="number", width=20),
        lists.Column("name", "名称", "display_name", sort="name", width=32),
        lists.Column("kind", "类型", "get_kind_display", sort="kind", width=10),
        lists.Column("authority", "登记机关", lambda a: (a.registration_authority.short_name
                                                       or a.registration_authority.name)
                     if a.registration_authority_id else "", sort="registration_authority__path", width=18),
        lists.Column("submitted_at", "提交时间", sort="submitted_at", width=18),
        lists.Column("due_at", "办结时限", sort="due_at", width=18),
        lists.Column("reasons", "转人工原因", _reasons, width=40),
    ))
