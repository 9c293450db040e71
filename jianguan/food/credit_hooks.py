"""Where catering grading reaches credit and the public: each grading inspection and the annual grade are events of
the caterer's credit record (``credit.timeline``), public — the portal's stored record shows them — and each
inspection is a published record the business may reply to (``portal.services.register_target``): the reply is
shown beside the grade."""

from __future__ import annotations

from django.db.models import Prefetch

OBJECT_TYPE = "food.gradinginspection"


def timeline_events(entity, viewer):
    from jianguan.credit.timeline import Event
    from jianguan.credit.timeline import rows as timeline_rows

    from .models import FACES

    for g in timeline_rows(entity, "food_gradings", "credit_food_gradings"):
        yield Event(g.inspected_on, "餐饮服务食品安全量化分级",
                    f"动态等级：{g.get_grade_display()}（{FACES[g.grade]}）", f"检查得分 {g.score}", True, "food",
                    "success" if g.grade == "excellent" else ("info" if g.grade == "good" else "warning"),
                    ref=(OBJECT_TYPE, str(g.pk)))
    annual = getattr(entity, "food_annual_grade", None) if _has_annual(entity) else None
    if annual is not None:
        yield Event(annual.as_of, "餐饮服务食品安全量化分级", f"年度等级：{annual.get_level_display()}",
                    f"近 12 个月 {annual.inspections} 次检查，平均 {annual.average} 分", True, "food",
                    "success" if annual.level == "A" else ("info" if annual.level == "B" else "warning"))


def _has_annual(entity) -> bool:
    from .models import AnnualGrade

    try:
        entity.food_annual_grade  # noqa: B018  (a prefetched or cached one-to-one)
    except AnnualGrade.DoesNotExist:
        return False
    return True


def _target(object_id: str):
    from jianguan.portal.services import ReplyTarget

    from .models import GradingInspection

    if not object_id.isdigit():
        return None
    g = GradingInspection.objects.filter(pk=int(object_id)).first()
    if g is None:
        return None
    return ReplyTarget(g.entity_id, f"餐饮量化分级 {g.inspected_on:%Y-%m-%d} 动态等级：{g.get_grade_display()}")


def register() -> None:
    from jianguan.credit import timeline
    from jianguan.portal import records
    from jianguan.portal.services import register_target

    from .models import GradingInspection

    timeline_events.prefetch = [Prefetch("food_gradings", GradingInspection.objects.order_by("-inspected_on", "-id"),
                                         to_attr="credit_food_gradings"),
                                "food_annual_grade"]
    timeline.register(timeline_events)
    register_target(OBJECT_TYPE, _target)
    # written or audited rows rebuild the caterer's stored public record (wired when the portal app is ready)
    records.ENTITY_SOURCES.setdefault(OBJECT_TYPE, lambda obj: [obj.entity_id])
    records.ENTITY_SOURCES.setdefault("food.annualgrade", lambda obj: [obj.entity_id])
