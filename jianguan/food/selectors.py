"""Scoped reads of food safety supervision: a user sees the rows of the units in scope (a county bureau its own
registrations, the city's food department every county's)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404

from jianguan.core import lists, registers
from jianguan.core.scope import scope_filter

from .models import SmallRegistration, SmallStatus


def smalls_for(user):
    return scope_filter(SmallRegistration.objects.select_related("county", "entity"), user)


def small_for(user, pk: int) -> SmallRegistration:
    return get_object_or_404(registers.live(smalls_for(user)), pk=pk)


def small_counts(user, today: dt.date, window_days: int) -> dict:
    """Valid registrations, those expiring within ``window_days`` (renewal due) and expired ones, in one query."""
    soon = today + dt.timedelta(days=window_days)
    return registers.live(smalls_for(user)).aggregate(
        valid=Count("id", filter=Q(status=SmallStatus.VALID)),
        expiring=Count("id", filter=Q(status=SmallStatus.VALID, valid_until__lte=soon)),
        expired=Count("id", filter=Q(status=SmallStatus.EXPIRED)))


def public_smalls():
    """Registrations shown on the portal: valid ones, without the operator's name."""
    return registers.live(SmallRegistration.objects.filter(status=SmallStatus.VALID)).select_related("county")


# --- catering grading ---------------------------------------------------------------------------------------------


def gradings_for(user):
    from .models import GradingInspection

    return scope_filter(GradingInspection.objects.select_related("entity", "inspector"), user)


def grading_for(user, pk: int):
    return get_object_or_404(gradings_for(user), pk=pk)


def latest_gradings():
    """Each caterer's latest grading inspection (one correlated subquery on the (entity, day) index), with the
    caterer and its annual grade joined — what the public sees."""
    from django.db.models import OuterRef, Subquery

    from .models import GradingInspection

    latest = (GradingInspection.objects.filter(entity=OuterRef("entity"))
              .order_by("-inspected_on", "-id").values("id")[:1])
    return (GradingInspection.objects.filter(pk=Subquery(latest))
            .select_related("entity", "entity__food_annual_grade").order_by("entity__name", "id"))


def annual_of(g):
    from .models import AnnualGrade

    try:
        return g.entity.food_annual_grade
    except AnnualGrade.DoesNotExist:
        return None


def grade_counts(user) -> dict:
    """Caterers by annual grade in the user's scope (one query)."""
    from .models import AnnualGrade

    return scope_filter(AnnualGrade.objects.all(), user).aggregate(
        a=Count("id", filter=Q(level="A")), b=Count("id", filter=Q(level="B")), c=Count("id", filter=Q(level="C")))


def public_caterer(code: str):
    """A caterer with at least one grading, by its USCC; None otherwise (the public sees graded caterers only)."""
    from jianguan.registry.models import Entity

    return (Entity.objects.filter(uscc=(code or "").strip().upper(), food_gradings__isnull=False)
            .select_related("food_annual_grade").distinct().first())


# --- designations -------------------------------------------------------------------------------------------------


def designations_for(user):
    from .models import Designation

    return scope_filter(Designation.objects.select_related("entity"), user)


def designation_for(user, pk: int):
    return get_object_or_404(designations_for(user), pk=pk)


def designation_counts(user) -> dict:
    """Designations waiting for review and approved ones, in the user's scope (one query)."""
    from .models import DesignationStatus

    return designations_for(user).aggregate(
        applied=Count("id", filter=Q(status=DesignationStatus.APPLIED)),
        approved=Count("id", filter=Q(status=DesignationStatus.APPROVED)))


def public_designations():
    from .models import Designation, DesignationStatus

    return (Designation.objects.filter(status=DesignationStatus.APPROVED).select_related("entity")
            .order_by("kind", "entity__name"))


# --- 核查处置 and recalls -------------------------------------------------------------------------------------------


def disposals_for(user):
    from .models import Disposal

    return scope_filter(Disposal.objects.select_related("entity", "unit"), user)


def disposal_for(user, pk: int):
    return get_object_or_404(disposals_for(user).select_related("sample", "complaint"), pk=pk)


def disposal_counts(user, today: dt.date) -> dict:
    """Open disposals, those past their deadline, and recalls running (one query)."""
    from .models import DisposalStatus

    return disposals_for(user).aggregate(
        open=Count("id", filter=Q(status=DisposalStatus.OPEN)),
        overdue=Count("id", filter=Q(status=DisposalStatus.OPEN, due_on__lt=today)),
        recalls=Count("id", filter=Q(status=DisposalStatus.OPEN, recall_announced_on__isnull=False,
                                     recall_completed_on__isnull=True)))


def _open_first():
    from .models import DisposalStatus

    # kept ascending whichever way a column sorts: the work still open stays above what is done
    return Case(When(status=DisposalStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()).asc()


#: 核查处置和召回, a work queue: the open ones first, the nearest deadline first (an overdue one before any other),
#: then what is done.
DISPOSAL_LIST = lists.Spec(
    key="food.disposals", title="不合格食品核查处置和召回", default_sort="due",
    default_note="核查处置中的在前，期限最近的在前（已超期的最先）；已办结的在后", export_permission="food.view_disposal",
    columns=(
        lists.Column("number", "编号", sort="number", width=20),
        lists.Column("entity", "生产经营者", "entity.name", sort=("entity__name", F("opened_on").desc()), width=30),
        lists.Column("product", "食品", sort=("product", F("opened_on").desc()), width=20),
        lists.Column("batch_no", "批号/生产日期", header=False, width=16),
        lists.Column("problem", "不合格项目或问题", header=False, width=30),
        lists.Column("source", "来源", "get_source_display", sort=("source", F("opened_on").desc()), width=14),
        lists.Column("recall", "召回", "get_recall_level_display", sort=("recall_level", F("opened_on").desc()),
                     width=10),
        lists.Column("opened_on", "启动日期", sort="opened_on", width=12),
        lists.Column("due", "期限", "due_on", sort=(_open_first(), "due_on", F("closed_on").desc()), width=12),
        lists.Column("calendar_pending", "期限暂定", header=False, width=8),
        lists.Column("closed_on", "办结日期", header=False, width=12),
        lists.Column("state", "状态", "get_status_display", sort=(_open_first(), F("opened_on").desc()), width=10),
    ))


def public_disposals():
    """What the public sees: closed 核查处置 (the outcome) and every announced recall, never the complainant."""
    from .models import Disposal, DisposalStatus

    return (Disposal.objects.filter(Q(status=DisposalStatus.CLOSED) | Q(recall_announced_on__isnull=False))
            .select_related("entity", "unit").order_by("-opened_on", "-id"))

GRADING_LIST = lists.Spec(
    key="food.gradings", title="餐饮量化分级检查", default_sort="-inspected_on", default_note="最近检查的在前",
    export_permission="food.view_gradinginspection",
    columns=(
        lists.Column("inspected_on", "检查日期", sort="inspected_on", width=12),
        lists.Column("entity", "餐饮单位", "entity.name", sort="entity__name", width=32),
        lists.Column("uscc", "统一社会信用代码", "entity.uscc", width=20, header=False),
        lists.Column("grade", "动态等级", "get_grade_display", sort="grade", width=10),
        lists.Column("score", "得分", sort="score", width=8),
        lists.Column("inspector", "检查人员", lambda g: g.inspector.first_name or g.inspector.username,
                     sort="inspector__first_name", width=12),
    ))

#: Applications awaiting review come first (a work queue), then by date.
DESIGNATION_LIST = lists.Spec(
    key="food.designations", title="明厨亮灶和示范店", default_sort="-applied_on", default_note="最近申报的在前",
    export_permission="food.view_designation",
    columns=(
        lists.Column("entity", "餐饮单位", "entity.name", sort="entity__name", width=32),
        lists.Column("uscc", "统一社会信用代码", "entity.uscc", width=20, header=False),
        lists.Column("kind", "类别", "get_kind_display", sort="kind", width=16),
        lists.Column("applied_on", "申报日期", sort="applied_on", width=12),
        lists.Column("status", "状态", "get_status_display", sort="status", width=10),
        lists.Column("valid_until", "有效期至", sort="valid_until", width=12),
    ))
