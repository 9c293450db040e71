"""What enforcement contributes to credit: penalties on the credit record, the ``penalties_3y`` risk indicator,
the recomputation of the party's risk class and the serious-list proposal after a heavy penalty."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db.models import Prefetch

from jianguan.core.errors import DomainError
from jianguan.core.rules import rule

log = logging.getLogger(__name__)


def penalties_3y(ctx):
    """One row per entity penalised in the 3 years before ``ctx.on``: up to 3 × the weight."""
    extra, extra_params = ctx.entity_filter("p.entity_id")
    return (
        "SELECT p.entity_id, CASE WHEN COUNT(*) > 3 THEN 3 ELSE COUNT(*) END * %s, "
        "'近三年行政处罚 ' || CAST(COUNT(*) AS VARCHAR(10)) || ' 次' "
        "FROM enforcement_penalty p WHERE p.entity_id IS NOT NULL AND p.decided_on > %s AND p.decided_on <= %s"
        f"{extra} GROUP BY p.entity_id",
        [ctx.points, ctx.years_ago(3), ctx.on, *extra_params],
    )


def timeline(entity, viewer) -> Iterable:
    """Each penalty on the credit record; public while its publication runs."""
    from jianguan.credit.timeline import Event
    from jianguan.credit.timeline import rows as timeline_rows

    for p in timeline_rows(entity, "penalties", "credit_penalties"):
        amount = f"，罚款 ¥{p.fine_amount:,.2f}" if p.fine_amount else ""
        yield Event(p.decided_on, "行政处罚", f"行政处罚：{p.decision_no}", f"{p.kind_labels()}{amount}",
                    p.is_published, "enforcement", "danger" if p.is_heavy else "warning",
                    ref=(PENALTY_REPLY_TYPE, str(p.pk)))


#: the object type under which an entity replies (回应) to one of its published penalties on the portal
PENALTY_REPLY_TYPE = "enforcement.penalty"


def penalty_reply_target(object_id: str):
    """The portal's reply target for a penalty: only a penalty inside its publication period, of its own party."""
    from jianguan.portal.services import ReplyTarget

    from .models import Penalty

    if not object_id.isdigit():
        return None
    penalty = Penalty.objects.filter(pk=int(object_id), entity__isnull=False).first()
    if penalty is None or not penalty.is_published:
        return None
    return ReplyTarget(penalty.entity_id, f"行政处罚：{penalty.decision_no}")


# what the provider reads, so that a batch of records (the portal's bulk rebuild) loads it in one query
timeline.prefetch = [Prefetch("penalties", to_attr="credit_penalties")]


def serious_ground(penalty, case) -> str | None:
    """The serious-list ground when the criteria hold (SAMR Order 44 art. 2): a case type of the listed fields and
    a heavy penalty in that order's sense — a fine set at the top of the discretion range (从重), or revocation,
    suspension, closure or a restriction."""
    ground = rule("enforcement.serious_list_grounds", on=penalty.decided_on).get(case.case_type)
    if not ground:
        return None
    from .services import ORDER_44_HEAVY_KINDS

    heavy_kind = bool(set(penalty.kinds) & ORDER_44_HEAVY_KINDS)
    minimum = rule("enforcement.serious_fine_min", on=penalty.decided_on) or 0
    heavier_fine = case.circumstance == "heavier" and penalty.fine_amount > 0 and penalty.fine_amount >= minimum
    return ground if (heavy_kind or heavier_fine) else None


def after_penalty(*, actor, penalty, case) -> None:
    """Within the decision's transaction: recompute the entity's risk class on commit; propose serious listing."""
    try:
        from jianguan.credit import risk
        from jianguan.credit import services as credit_services
    except ImportError:
        return
    if rule("enforcement.credit_on_decision", on=penalty.decided_on):
        risk.schedule([penalty.entity_id], on=penalty.decided_on)
    ground = serious_ground(penalty, case)
    if ground:
        try:
            credit_services.serious_propose(
                actor=actor, entity=penalty.entity, ground=ground, penalty_ref=penalty.decision_no,
                facts=f"{case.case_type_label()}：{penalty.facts[:300]}（{penalty.kind_labels()}）",
                today=penalty.decided_on)
        except DomainError as exc:  # already proposed or listed on this ground: nothing to add
            log.info("serious list proposal skipped for %s: %s", penalty.decision_no, exc.message)


def register() -> None:
    try:
        from jianguan.credit.risk import register_indicator
        from jianguan.credit.timeline import register as register_timeline
    except ImportError:
        return
    register_indicator("penalties_3y", "近三年行政处罚", penalties_3y,
                       description="近三年受到行政处罚的次数（最多计 3 次）")
    register_timeline(timeline)
    try:
        from jianguan.portal.services import register_target
    except ImportError:
        return
    register_target(PENALTY_REPLY_TYPE, penalty_reply_target)
