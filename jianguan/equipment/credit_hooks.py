"""Where special equipment reaches credit and the public record.

- Risk classification (``credit.risk``): two indicators over the devices an entity uses —
  ``equipment_hazards``: hazards past their rectification deadline and not rectified, or major hazards found in
  the last ``equipment.credit_major_hazard_months`` (特种设备安全法 第六十一条: 安全监察指令, 责令消除事故隐患);
  ``equipment_accidents``: accidents in the last ``equipment.credit_accident_years`` (第九十一条: the user answers
  for the accident; a larger one or worse counts double). Their points are in rule ``credit.risk.weights``.
- Credit record (``credit.timeline``): each hazard and accident of the entity's devices, for staff; an accident
  whose penalty is published (``Accident.penalty``) is public too, for as long as the penalty's publication runs
  (行政处罚信息公示: the penalty is public, so is the accident it was for) — hazards and accidents without a penalty
  stay inside the bureau.
- The entity's risk class is recomputed when a hazard or accident of its devices is recorded or changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q

from jianguan.core.rules import rule

HAZARDS = "equipment_hazards"
ACCIDENTS = "equipment_accidents"


def hazards_indicator(ctx):
    """One row per entity with a hazard past its deadline still open, or a major hazard found recently."""
    months = int(rule("equipment.credit_major_hazard_months", on=ctx.on))
    extra, params = ctx.entity_filter("d.entity_id")
    return (
        "SELECT d.entity_id, %s, '特种设备事故隐患逾期未整改或重大隐患 ' || CAST(COUNT(*) AS VARCHAR(10)) || ' 项' "
        "FROM equipment_hazard h JOIN equipment_device d ON d.id = h.device_id "
        "WHERE h.found_on <= %s AND ((h.status = 'open' AND h.deadline < %s) "
        "OR (h.level = 'major' AND h.found_on > %s))"
        f"{extra} GROUP BY d.entity_id",
        [ctx.points, ctx.on, ctx.on, ctx.months_ago(months), *params],
    )


def accidents_indicator(ctx):
    """One row per entity with accidents in the window: the weight, doubled for a larger accident or worse."""
    years = int(rule("equipment.credit_accident_years", on=ctx.on))
    extra, params = ctx.entity_filter("d.entity_id")
    return (
        "SELECT d.entity_id, MAX(CASE WHEN a.level = 'general' THEN 1 ELSE 2 END) * %s, "
        "'近' || CAST(%s AS VARCHAR(4)) || '年特种设备事故 ' || CAST(COUNT(*) AS VARCHAR(10)) || ' 起' "
        "FROM equipment_accident a JOIN equipment_device d ON d.id = a.device_id "
        "WHERE a.occurred_on > %s AND a.occurred_on <= %s"
        f"{extra} GROUP BY d.entity_id",
        [ctx.points, years, ctx.years_ago(years), ctx.on, *params],
    )


def _devices(entity):
    found = getattr(entity, "credit_devices", None)
    if found is not None:
        return found
    from .models import Device

    return list(_device_queryset(Device.objects.filter(entity=entity)))


def _device_queryset(qs):
    from .models import Accident, Hazard

    return (qs.filter(Q(accidents__isnull=False) | Q(hazards__isnull=False)).distinct()
            .only("id", "entity_id", "code", "category")
            .prefetch_related(Prefetch("accidents", Accident.objects.select_related("penalty").order_by("id")),
                              Prefetch("hazards", Hazard.objects.order_by("id"))))


def timeline(entity, viewer) -> Iterable:
    from jianguan.credit.timeline import Event

    for device in _devices(entity):
        for h in device.hazards.all():
            state = h.get_status_display()
            if h.status == "open":
                state += f"，整改期限 {h.deadline}"
            yield Event(h.found_on, "特种设备事故隐患", f"{h.get_level_display()}：{device.category_label} {device.code}",
                        f"{h.description}（{state}）", False, "equipment",
                        "danger" if h.level == "major" else "warning")
        for a in device.accidents.all():
            penalty = a.penalty
            public = bool(penalty is not None and penalty.is_published)
            detail = f"死亡 {a.deaths} 人，受伤 {a.injuries} 人"
            if penalty is not None:
                detail += f"；行政处罚决定书 {penalty.decision_no}"
            yield Event(a.occurred_on, "特种设备事故", f"{a.get_level_display()}：{device.category_label} {device.code}",
                        detail, public, "equipment", "danger")


timeline.prefetch = []  # filled by register(): the models are ready then


def recompute_risk(entity_ids, *, on) -> None:
    """After a hazard or accident changed: the entity's risk class once the transaction commits."""
    try:
        from jianguan.credit import risk
    except ImportError:
        return
    risk.schedule([i for i in entity_ids if i], on=on)


def register() -> None:
    from .models import Device

    timeline.prefetch.append(Prefetch("devices", queryset=_device_queryset(Device.objects.all()),
                                      to_attr="credit_devices"))
    try:
        from jianguan.credit.risk import register_indicator
        from jianguan.credit.timeline import register as register_timeline
    except ImportError:
        return
    register_indicator(HAZARDS, "特种设备事故隐患", hazards_indicator,
                       description="所用特种设备有逾期未整改的事故隐患，或近期发现重大事故隐患")
    register_indicator(ACCIDENTS, "特种设备事故", accidents_indicator,
                       description="近年所用特种设备发生事故（较大及以上事故加倍计分）")
    register_timeline(timeline)
