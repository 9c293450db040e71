"""Factories for inspections tests: items, inspectors, entities with risk classes, plans and batches at each step."""

from __future__ import annotations

import itertools

from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.credit.models import EntityRisk
from jianguan.inspections import services
from jianguan.inspections.models import AssignmentMode, DrawBatch, InspectionItem, InspectionMethod
from jianguan.registry.tests.factories import EntityFactory

RANDOMNESS = "2026320: 3 8 5"
BEACON = "福利彩票3D 2026年第320期开奖号码"
_codes = itertools.count(1)


def item(code: str | None = None, **fields) -> InspectionItem:
    code = code or f"T-{next(_codes):03d}"
    defaults = {
        "name": f"测试事项{code}",
        "legal_basis": "《企业信息公示暂行条例》第十四条",
        "department": "信用监督管理科",
        "object_type": "企业",
        "method": InspectionMethod.ON_SITE,
        "checklist": ["年报信息真实", "住所可联系"],
    }
    defaults.update(fields)
    return InspectionItem.objects.update_or_create(code=code, defaults=defaults)[0]


def head(username: str = "xh_head_t", unit: str = "410402"):
    """A department head (科室/单位负责人) who plans and draws."""
    return staff(username, unit, ["department_head"], name="新华区局长", staff_code=f"H-{username}"[:20])


def inspector(username: str, unit: str = "41040201", *, credential=True, name: str | None = None):
    return staff(
        username, unit, ["inspector"], credential=credential, name=name or username, staff_code=f"I-{username}"[:20]
    )


def entities(n: int, *, unit: str = "41040201", risk: str | None = None, **fields) -> list:
    unit_obj = OrgUnit.objects.get(code=unit)
    out = [EntityFactory(unit=unit_obj, **fields) for _ in range(n)]
    if risk:
        EntityRisk.objects.bulk_create([EntityRisk(entity=e, risk_class=risk, score=0) for e in out])
    return out


def plan(actor, *, items=None, unit: str = "410402", publish: bool = True, **fields):
    fields.setdefault("assignment", AssignmentMode.STATION)
    p = services.plan_create(
        actor=actor,
        unit=OrgUnit.objects.get(code=unit),
        year=timezone.localdate().year,
        title=fields.pop("title", "测试抽查计划"),
        items=items or [item()],
        **fields,
    )
    if publish:
        p = services.plan_publish(actor=actor, plan=p)
    return p


def batch(actor, p, *, step: str = "drawn", randomness: str = RANDOMNESS) -> DrawBatch:
    """A batch of ``p`` advanced to ``step``: draft, committed, drawn or published."""
    b = services.batch_create(actor=actor, plan=p, beacon=BEACON)
    if step == "draft":
        return b
    b = services.batch_freeze(actor=actor, batch=b)
    if step == "committed":
        return b
    b = services.batch_draw(actor=actor, batch=b, randomness=randomness)
    if step == "drawn":
        return b
    return services.batch_publish(actor=actor, batch=b)


def result(task, category: str = "no_problem", notes: str = "") -> list[dict]:
    return [{"item": i.pk, "category": category, "notes": notes} for i in task.batch.plan.items.all()]


def conclude(task, category: str = "no_problem", notes: str = ""):
    """Record ``category`` for every item by the first member and confirm by the others."""
    members = [m.inspector for m in task.members.order_by("rank").select_related("inspector")]
    services.result_record(
        actor=members[0], task=task, inspected_on=timezone.localdate(), results=result(task, category, notes)
    )
    for member in members[1:]:
        services.result_confirm(actor=member, task=task)
    task.refresh_from_db()
    return task
