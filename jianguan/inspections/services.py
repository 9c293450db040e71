"""Writes of double-random inspections. Each is atomic, audited, and refuses what the rules forbid.

The order of a draw (specs/draw-v1.md) is enforced here:

1. ``plan_publish``: the plan notice goes public; the plan can no longer be edited.
2. ``batch_freeze``: the pool is read, the manifest built and frozen, its commitment published with the beacon.
3. ``batch_draw``: the beacon's value, once it exists, is entered exactly once; the draw runs; tasks are created.
4. ``batch_publish``: the result notice (bundle, verifier) goes public.

A drawn batch is never changed; ``batch_redraw`` supersedes it with a new batch and records why.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.core import audit, sequences, workdays
from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit, StaffProfile
from jianguan.core.rules import rule
from jianguan.registry.models import Entity

from . import draw, queries
from .models import (
    AssignmentMode,
    Attachment,
    DrawBatch,
    InspectionItem,
    InspectionPlan,
    InspectionTask,
    InspectorConflict,
    ItemResult,
    ListingProposal,
    ResultCategory,
    TaskMember,
    TaskStatus,
)
from .rules import RISK_CLASSES

PLAN_FIELDS = (
    "title",
    "description",
    "joint_departments",
    "assignment",
    "filter_kinds",
    "filter_industries",
    "filter_licence_kinds",
    "filter_statuses",
    "exclusion_months",
    "min_age_months",
    "ratios",
    "quota_overrides",
    "team_size",
    "max_tasks",
)
ITEM_FIELDS = (
    "code",
    "name",
    "legal_basis",
    "department",
    "object_type",
    "method",
    "checklist",
    "frequency",
    "is_active",
    "sort",
)


def results_due(plan: InspectionPlan, drawn_on: dt.date) -> tuple[dt.date, bool]:
    """(the tasks' due date, provisional): the plan's 检查完成期限 when it sets one, else ``inspections.result_days``
    working days from the draw — provisional (no holiday assumed) while that year's holidays are not entered."""
    if plan.complete_by is not None:
        return plan.complete_by, False
    return workdays.add_workdays_provisional(drawn_on, int(rule("inspections.result_days", on=drawn_on)))


def _deadline(start: dt.date, rule_key: str) -> dt.date | None:
    """``start`` + the rule's working days; None when the calendar does not reach that far yet (filled in later by
    the daily sweep, never guessed)."""
    try:
        return workdays.add_workdays(start, int(rule(rule_key, on=start)))
    except workdays.CalendarUnknown:
        return None


# --- The item list ------------------------------------------------------------------------------------------------


def _check_item(data: dict) -> None:
    problems = []
    if not (data.get("legal_basis") or "").strip():
        problems.append({"field": "legal_basis", "message": "没有法律法规依据的事项不得列入抽查事项清单"})
    if not data.get("checklist"):
        problems.append({"field": "checklist", "message": "请至少填写一条检查内容"})
    if problems:
        raise ValidationFailed("抽查事项有误：" + "；".join(p["message"] for p in problems), details=problems)


@transaction.atomic
def item_save(*, actor, item: InspectionItem | None = None, **data) -> InspectionItem:
    """Create an item of the inspection-item list, or change one."""
    _check_item(data)
    if InspectionItem.objects.filter(code=data["code"]).exclude(pk=getattr(item, "pk", None)).exists():
        raise ValidationFailed(f"事项编码「{data['code']}」已存在", details=[{"field": "code", "message": "编码重复"}])
    before = audit.snapshot(item, ITEM_FIELDS) if item else {}
    item = item or InspectionItem()
    for name, value in data.items():
        setattr(item, name, value)
    item.save()
    audit.record(
        actor=actor,
        action="inspections.item.saved",
        obj=item,
        changes=audit.diff(before, audit.snapshot(item, ITEM_FIELDS)),
    )
    return item


# --- Conflicts of interest ----------------------------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *, actor, entity: Entity, reason: str, valid_until: dt.date | None = None, inspector=None
) -> InspectorConflict:
    """An inspector declares a conflict of interest with an entity (回避). Declaring it again updates the reason."""
    inspector = inspector or actor
    if not (reason or "").strip():
        raise ValidationFailed("请填写回避事由", details=[{"field": "reason", "message": "回避事由不能为空"}])
    conflict, created = InspectorConflict.objects.update_or_create(
        inspector=inspector,
        entity=entity,
        defaults={"reason": reason.strip(), "valid_until": valid_until, "declared_on": timezone.localdate()},
    )
    profile = StaffProfile.objects.filter(user=inspector).select_related("unit").first()
    audit.record(
        actor=actor,
        action="inspections.conflict.declared",
        obj=conflict,
        unit=profile.unit if profile else None,
        changes={"entity": [None, entity.uscc], "reason": [None, conflict.reason], "valid_until": [None, valid_until]},
    )
    return conflict


# --- Plans --------------------------------------------------------------------------------------------------------


def default_ratios(on: dt.date) -> dict[str, str]:
    return {name: str(rule(f"inspections.ratio.{name}", on=on)) for name in RISK_CLASSES}


def _check_plan(data: dict) -> None:
    problems = []
    for name, value in (data.get("ratios") or {}).items():
        try:
            ratio = decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            problems.append({"field": "ratios", "message": f"{name} 类抽查比例「{value}」不是数字"})
            continue
        if not 0 <= ratio <= 1:
            problems.append({"field": "ratios", "message": f"{name} 类抽查比例须在 0 到 100% 之间"})
    for name, value in (data.get("quota_overrides") or {}).items():
        if name not in RISK_CLASSES or not isinstance(value, int) or value < 0:
            problems.append({"field": "quota_overrides", "message": f"{name} 类指定抽取数须为不小于 0 的整数"})
    if data.get("team_size") is not None and data["team_size"] < 2:
        problems.append({"field": "team_size", "message": "检查组不少于 2 名持证执法人员"})
    if data.get("max_tasks") is not None and data["max_tasks"] < 1:
        problems.append({"field": "max_tasks", "message": "每人每批次最多任务数至少为 1"})
    if data.get("assignment") and data["assignment"] not in AssignmentMode.values:
        problems.append({"field": "assignment", "message": "分配方式无效"})
    if problems:
        raise ValidationFailed("抽查计划有误：" + "；".join(p["message"] for p in problems), details=problems)


def _check_plan_relations(plan: InspectionPlan, items, filter_units) -> None:
    problems = []
    if items is not None:
        for item in items:
            if not item.is_active or not item.legal_basis.strip():
                problems.append({"field": "items", "message": f"事项「{item.name}」未启用或没有检查依据"})
    if filter_units is not None:
        for unit in filter_units:
            if not unit.path.startswith(plan.unit.path):
                problems.append({"field": "filter_units", "message": f"「{unit.name}」不属于{plan.unit.name}"})
    if problems:
        raise ValidationFailed("抽查计划有误：" + "；".join(p["message"] for p in problems), details=problems)


@transaction.atomic
def plan_create(
    *,
    actor,
    unit: OrgUnit,
    year: int,
    title: str,
    items: list[InspectionItem],
    filter_units: list[OrgUnit] | None = None,
    on: dt.date | None = None,
    **fields,
) -> InspectionPlan:
    """An annual plan of ``unit``, numbered "<unit code>-<year>-<nnn>"; ratios and limits default to the rules."""
    on = on or timezone.localdate()
    fields.setdefault("ratios", default_ratios(on))
    fields.setdefault("team_size", int(rule("inspections.team_size", on=on)))
    fields.setdefault("max_tasks", int(rule("inspections.max_tasks", on=on)))
    fields.setdefault("exclusion_months", int(rule("inspections.exclusion_months", on=on)))
    fields.setdefault("min_age_months", int(rule("inspections.min_age_months", on=on)))
    _check_plan(fields)
    if not items:
        raise ValidationFailed("请至少选择一个抽查事项", details=[{"field": "items", "message": "未选择抽查事项"}])
    serial = sequences.next_value(f"inspections:plan:{unit.code}:{year}")
    plan = InspectionPlan(
        code=f"{unit.code}-{year}-{serial:03d}",
        unit=unit,
        year=year,
        title=title.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    _check_plan_relations(plan, items, filter_units)
    plan.save()
    plan.items.set(items)
    plan.filter_units.set(filter_units or [])
    audit.record(
        actor=actor,
        action="inspections.plan.created",
        obj=plan,
        unit=unit,
        changes={
            "code": [None, plan.code],
            "items": [None, sorted(i.code for i in items)],
            **{k: [None, v] for k, v in audit.snapshot(plan, PLAN_FIELDS).items()},
        },
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    actor,
    plan: InspectionPlan,
    items: list[InspectionItem] | None = None,
    filter_units: list[OrgUnit] | None = None,
    **fields,
) -> InspectionPlan:
    """Change a plan that is still a draft. A published plan is the basis of public commitments: never edited."""
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if plan.status != InspectionPlan.Status.DRAFT:
        raise TransitionNotAllowed(f"计划 {plan.code} 已{plan.get_status_display()}，不能再修改；如需调整请新建计划")
    _check_plan(fields)
    if items is not None and not items:
        raise ValidationFailed("请至少选择一个抽查事项", details=[{"field": "items", "message": "未选择抽查事项"}])
    _check_plan_relations(plan, items, filter_units)
    before = audit.snapshot(plan, PLAN_FIELDS)
    before_items = sorted(plan.items.values_list("code", flat=True))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    if items is not None:
        plan.items.set(items)
    if filter_units is not None:
        plan.filter_units.set(filter_units)
    changes = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
    after_items = sorted(plan.items.values_list("code", flat=True))
    if after_items != before_items:
        changes["items"] = [before_items, after_items]
    audit.record(actor=actor, action="inspections.plan.updated", obj=plan, unit=plan.unit, changes=changes)
    return plan


@transaction.atomic
def plan_publish(*, actor, plan: InspectionPlan) -> InspectionPlan:
    """Publish the plan notice (计划公示): items, object list, ratios. From now on the plan is fixed."""
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if plan.status == InspectionPlan.Status.PUBLISHED:
        return plan  # second click
    if plan.status != InspectionPlan.Status.DRAFT:
        raise TransitionNotAllowed(f"计划 {plan.code} 已{plan.get_status_display()}，不能公示")
    if not plan.items.exists():
        raise ValidationFailed("计划没有抽查事项，不能公示")
    plan.status = InspectionPlan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    audit.record(
        actor=actor,
        action="inspections.plan.published",
        obj=plan,
        unit=plan.unit,
        changes={"status": ["draft", "published"]},
    )
    return plan


# --- Batches ------------------------------------------------------------------------------------------------------


def _check_beacon(beacon: str) -> str:
    beacon = (beacon or "").strip()
    if not beacon:
        raise ValidationFailed(
            "请写明将采用的公开随机源（如：福利彩票3D 2026年第320期开奖号码）",
            details=[{"field": "beacon", "message": "公开随机源不能为空"}],
        )
    return beacon


@transaction.atomic
def batch_create(
    *,
    actor,
    plan: InspectionPlan,
    beacon: str,
    draw_date: dt.date | None = None,
    redraw_of: DrawBatch | None = None,
    redraw_reason: str = "",
) -> DrawBatch:
    """A new batch of ``plan`` naming the public randomness it will use."""
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if plan.status == InspectionPlan.Status.CLOSED:
        raise TransitionNotAllowed(f"计划 {plan.code} 已结束，不能再组织抽取")
    beacon = _check_beacon(beacon)
    number = (plan.batches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    batch = DrawBatch.objects.create(
        plan=plan,
        number=number,
        beacon=beacon,
        draw_date=draw_date,
        redraw_of=redraw_of,
        redraw_reason=redraw_reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="inspections.batch.created",
        obj=batch,
        unit=plan.unit,
        changes={
            "beacon": [None, beacon],
            "draw_date": [None, draw_date],
            **({"redraw_of": [None, redraw_of.pk], "reason": [None, redraw_reason]} if redraw_of else {}),
        },
    )
    return batch


@transaction.atomic
def batch_update(*, actor, batch: DrawBatch, beacon: str, draw_date: dt.date | None = None) -> DrawBatch:
    """Change the beacon or date of a batch whose manifest is not frozen yet."""
    batch = DrawBatch.objects.select_for_update().select_related("plan__unit").get(pk=batch.pk)
    if batch.status != DrawBatch.Status.DRAFT:
        raise TransitionNotAllowed("抽取清单已冻结并公示承诺值，不能再修改；如需调整请重新抽取（新批次）")
    before = audit.snapshot(batch, ("beacon", "draw_date"))
    batch.beacon = _check_beacon(beacon)
    batch.draw_date = draw_date
    batch.save(update_fields=["beacon", "draw_date"])
    audit.record(
        actor=actor,
        action="inspections.batch.updated",
        obj=batch,
        unit=batch.plan.unit,
        changes=audit.diff(before, audit.snapshot(batch, ("beacon", "draw_date"))),
    )
    return batch


def build_manifest(plan: InspectionPlan, batch_number: int, beacon: str, on: dt.date) -> tuple[dict, queries.Pool]:
    """The manifest of §1 for a batch of ``plan`` drawn on ``on``, and the pool it came from."""
    pool = queries.build_pool(plan, on)
    problems = []
    strata = []
    for name in RISK_CLASSES:
        size = pool.sizes[name]
        quota = plan.quota(name, size)
        if quota > size:
            problems.append(
                {"field": "quota_overrides", "message": f"{name} 类指定抽取数 {quota} 超过该类对象数 {size}"}
            )
        strata.append({"name": name, "quota": quota, "candidates": pool.strata[name]})
    if problems:
        raise ValidationFailed(
            "抽取数超过检查对象名录库中的对象数：" + "；".join(p["message"] for p in problems), details=problems
        )
    manifest = {
        "algorithm": draw.ALGORITHM,
        "plan": plan.code,
        "batch": str(batch_number),
        "beacon": beacon,
        "team_size": plan.team_size,
        "max_tasks": plan.max_tasks,
        "strata": strata,
        "inspectors": pool.inspectors,
        "conflicts": pool.conflicts,
    }
    return manifest, pool


@transaction.atomic
def batch_freeze(*, actor, batch: DrawBatch, on: dt.date | None = None) -> DrawBatch:
    """Freeze the manifest and publish its commitment with the beacon (冻结清单、公示承诺值).

    The pool, strata, quotas, inspectors (only those holding a valid credential on ``on``) and conflicts are read
    now and never again: the draw is computed from exactly these bytes.
    """
    on = on or timezone.localdate()
    batch = DrawBatch.objects.select_for_update().select_related("plan__unit").get(pk=batch.pk)
    if batch.status != DrawBatch.Status.DRAFT:
        raise TransitionNotAllowed(f"{batch} 的抽取清单已冻结（承诺值 {batch.commitment[:16]}…），不能再次冻结或修改")
    plan = batch.plan
    if plan.status != InspectionPlan.Status.PUBLISHED:
        raise TransitionNotAllowed("计划尚未公示：须先公示抽查计划，再冻结抽取清单")
    manifest, pool = build_manifest(plan, batch.number, batch.beacon, on)
    problems = draw.validate_manifest(manifest)
    if problems:
        raise ValidationFailed(
            "抽取清单不符合规范：" + "；".join(problems[:5]), details=[{"message": p} for p in problems]
        )
    canonical = draw.canonical_manifest(manifest)
    batch.manifest = canonical.decode()
    batch.commitment = hashlib.sha256(canonical).hexdigest()
    batch.strata = queries.strata_summary(plan, pool.sizes)
    batch.inspector_report = {
        "included": len(pool.inspectors),
        "excluded": [
            {
                "staff_code": r.profile.staff_code,
                "name": r.profile.user.get_full_name(),
                "unit": r.profile.unit.name,
                "reason": r.reason,
            }
            for r in pool.inspector_rows
            if not r.valid
        ],
        "short_units": pool.short_units,
        "skipped_candidates": pool.skipped,
        "raised_candidates": pool.raised,
        "as_of": on.isoformat(),
    }
    batch.conflict_count = len(pool.conflicts)
    batch.status = DrawBatch.Status.COMMITTED
    batch.frozen_at = timezone.now()
    batch.frozen_by = actor if getattr(actor, "is_authenticated", False) else None
    batch.save()
    audit.record(
        actor=actor,
        action="inspections.batch.committed",
        obj=batch,
        unit=plan.unit,
        changes={
            "status": ["draft", "committed"],
            "commitment": [None, batch.commitment],
            "beacon": [None, batch.beacon],
            "strata": [None, [{k: s[k] for k in ("name", "size", "quota")} for s in batch.strata]],
            "inspectors": [None, len(pool.inspectors)],
            "conflicts": [None, len(pool.conflicts)],
            "excluded_inspectors": [None, [e["staff_code"] for e in batch.inspector_report["excluded"]]],
        },
    )
    return batch


@transaction.atomic
def batch_draw(*, actor, batch: DrawBatch, randomness: str, on: dt.date | None = None) -> DrawBatch:
    """Enter the beacon's value and run the draw (录入随机数并抽取). Refused a second time: the first value stands."""
    on = on or timezone.localdate()
    batch = DrawBatch.objects.select_for_update().select_related("plan__unit").get(pk=batch.pk)
    if batch.randomness:
        raise TransitionNotAllowed(
            f"{batch} 已于 {timezone.localtime(batch.drawn_at):%Y-%m-%d %H:%M} 录入随机数"
            f"「{batch.randomness}」并完成抽取，不能再次录入"
        )
    if batch.status != DrawBatch.Status.COMMITTED:
        raise TransitionNotAllowed("须先冻结抽取清单并公示承诺值，再录入随机数")
    randomness = (randomness or "").strip()  # copied from a web page: surrounding blanks are never part of it
    if not randomness:
        raise ValidationFailed("请录入随机源公布的值", details=[{"field": "randomness", "message": "随机数不能为空"}])
    manifest = json.loads(batch.manifest)
    bundle = draw.compute(manifest, randomness)
    if bundle["commitment"] != batch.commitment:
        raise DomainError("抽取清单与已公示的承诺值不一致（数据可能被改动），已停止抽取", code="commitment_mismatch")
    text = draw.dump_bundle(bundle)
    batch.randomness = randomness
    batch.bundle = text
    batch.bundle_sha256 = hashlib.sha256(text.encode()).hexdigest()
    batch.unassigned = bundle["unassigned"]
    batch.unassigned_entities = unassigned_snapshot(bundle["unassigned"])
    batch.status = DrawBatch.Status.DRAWN
    batch.drawn_at = timezone.now()
    batch.drawn_by = actor if getattr(actor, "is_authenticated", False) else None
    batch.results_due_on, batch.results_due_provisional = results_due(batch.plan, on)
    batch.save()
    tasks = _create_tasks(batch, bundle["selected"])
    audit.record(
        actor=actor,
        action="inspections.batch.drawn",
        obj=batch,
        unit=batch.plan.unit,
        changes={
            "status": ["committed", "drawn"],
            "randomness": [None, randomness],
            "seed": [None, bundle["seed"]],
            "bundle_sha256": [None, batch.bundle_sha256],
            "selected": [None, len(bundle["selected"])],
            "tasks": [None, tasks],
            "unassigned": [None, bundle["unassigned"]],
        },
    )
    return batch


def unassigned_snapshot(codes: list[str]) -> list[dict]:
    """Name and supervising unit of each unassigned code, in the bundle's order, as they were at the draw."""
    found: dict[str, dict] = {}
    for start in range(0, len(codes), 500):
        for uscc, name, unit in Entity.objects.filter(uscc__in=codes[start : start + 500]).values_list(
            "uscc", "name", "unit__name"
        ):
            found[uscc] = {"uscc": uscc, "name": name, "unit": unit or ""}
    return [found.get(code, {"uscc": code, "name": "", "unit": ""}) for code in codes]


def _create_tasks(batch: DrawBatch, selected: list[dict]) -> int:
    """One task per selected candidate with a team; unassigned candidates stay listed on the batch only."""
    with_team = [s for s in selected if s["inspectors"]]
    codes = [s["id"] for s in with_team]
    entities: dict[str, tuple[int, int]] = {}
    for start in range(0, len(codes), 500):
        entities.update(
            (code, (pk, unit_id))
            for code, pk, unit_id in Entity.objects.filter(uscc__in=codes[start : start + 500]).values_list(
                "uscc", "pk", "unit_id"
            )
        )
    staff_codes = {code for s in with_team for code in s["inspectors"]}
    users = dict(StaffProfile.objects.filter(staff_code__in=staff_codes).values_list("staff_code", "user_id"))
    tasks = InspectionTask.objects.bulk_create(
        [
            InspectionTask(
                batch=batch,
                entity_id=entities[s["id"]][0],
                unit_id=entities[s["id"]][1],
                stratum=s["stratum"],
                ticket=s["ticket"],
                position=position,
                due_on=batch.results_due_on,
                due_provisional=batch.results_due_provisional,
            )
            for position, s in enumerate(with_team, 1)
        ]
    )
    if not all(task.pk for task in tasks):  # backends that do not return ids from bulk_create
        tasks = list(batch.tasks.order_by("position"))
    TaskMember.objects.bulk_create(
        [
            TaskMember(task=task, inspector_id=users[code], staff_code=code, rank=rank)
            for task, s in zip(tasks, with_team)
            for rank, code in enumerate(s["inspectors"], 1)
        ]
    )
    return len(tasks)


@transaction.atomic
def batch_publish(*, actor, batch: DrawBatch) -> DrawBatch:
    """Publish the result notice: the drawn entities, their teams, the bundle and how to verify it."""
    batch = DrawBatch.objects.select_for_update().select_related("plan__unit").get(pk=batch.pk)
    if batch.status == DrawBatch.Status.PUBLISHED:
        return batch
    if batch.status != DrawBatch.Status.DRAWN:
        raise TransitionNotAllowed(f"{batch} 为「{batch.get_status_display()}」，只有已抽取的批次才能公示抽取结果")
    batch.status = DrawBatch.Status.PUBLISHED
    batch.published_at = timezone.now()
    batch.save(update_fields=["status", "published_at"])
    audit.record(
        actor=actor,
        action="inspections.batch.published",
        obj=batch,
        unit=batch.plan.unit,
        changes={"status": ["drawn", "published"], "bundle_sha256": [None, batch.bundle_sha256]},
    )
    return batch


@transaction.atomic
def batch_redraw(*, actor, batch: DrawBatch, reason: str, beacon: str, draw_date: dt.date | None = None) -> DrawBatch:
    """Supersede a drawn batch with a new one (重新抽取). The old draw stays as it was, public and verifiable; its
    tasks are voided. Refused once a result has been recorded: inspected entities cannot be un-inspected."""
    batch = DrawBatch.objects.select_for_update().select_related("plan__unit").get(pk=batch.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("重新抽取须说明原因", details=[{"field": "reason", "message": "原因不能为空"}])
    if batch.status not in (DrawBatch.Status.DRAWN, DrawBatch.Status.PUBLISHED):
        raise TransitionNotAllowed(f"{batch} 为「{batch.get_status_display()}」，只有已抽取的批次才能重新抽取")
    if batch.tasks.exclude(status=TaskStatus.ASSIGNED).exists():
        raise TransitionNotAllowed("本批次已有检查结果录入，不能重新抽取")
    batch.status = DrawBatch.Status.SUPERSEDED
    batch.save(update_fields=["status"])
    voided = batch.tasks.update(status=TaskStatus.VOID)
    audit.record(
        actor=actor,
        action="inspections.batch.superseded",
        obj=batch,
        unit=batch.plan.unit,
        changes={"status": ["drawn", "superseded"], "reason": [None, reason], "voided_tasks": [None, voided]},
    )
    new = batch_create(
        actor=actor, plan=batch.plan, beacon=beacon, draw_date=draw_date, redraw_of=batch, redraw_reason=reason
    )
    audit.record(
        actor=actor,
        action="inspections.batch.redrawn",
        obj=new,
        unit=batch.plan.unit,
        changes={"redraw_of": [None, batch.pk], "reason": [None, reason]},
    )
    return new


# --- Results ------------------------------------------------------------------------------------------------------


def _member(task: InspectionTask, actor) -> TaskMember:
    member = task.members.filter(inspector=actor).first()
    if member is None:
        raise PermissionDenied("只有本任务检查组的成员才能录入或确认检查结果")
    return member


def _check_credential(actor, on: dt.date) -> None:
    profile = StaffProfile.objects.filter(user=actor).first()
    if profile is None or not profile.has_valid_credential(on):
        expiry = profile.credential_expiry if profile else None
        raise DomainError(
            f"您的行政执法证{'已于 ' + expiry.isoformat() + ' 过期' if expiry else '无效'}，"
            "不能从事检查、录入检查结果（执法证有效方可执法）",
            code="credential_invalid",
        )


def _lock_task(task: InspectionTask) -> InspectionTask:
    return (
        InspectionTask.objects.select_for_update()
        .select_related("batch__plan__unit", "entity")
        .defer("batch__manifest", "batch__bundle")
        .get(pk=task.pk)
    )


@transaction.atomic
def result_record(
    *,
    actor,
    task: InspectionTask,
    inspected_on: dt.date,
    results: list[dict],
    notes: str = "",
    on: dt.date | None = None,
) -> InspectionTask:
    """Record the result of every item of a task (录入检查结果); ``results`` = [{item, category, notes, checklist}].

    Recording counts as the recorder's confirmation; the other members must confirm before the result stands.
    Re-recording before everyone confirmed is allowed and asks every member to confirm again.
    """
    on = on or timezone.localdate()
    task = _lock_task(task)
    _member(task, actor)
    _check_credential(actor, on)
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.RECORDED):
        raise TransitionNotAllowed(f"任务为「{task.get_status_display()}」，检查结果不能再修改")
    items = {item.pk: item for item in task.batch.plan.items.all()}
    problems = []
    by_item: dict[int, dict] = {}
    for row in results:
        item_id = getattr(row.get("item"), "pk", row.get("item"))
        if item_id not in items:
            problems.append({"field": "item", "message": f"事项 {item_id} 不属于本计划"})
        elif row.get("category") not in ResultCategory.values:
            problems.append({"field": f"category_{item_id}", "message": f"「{items[item_id].name}」的检查结果无效"})
        else:
            by_item[item_id] = row
    problems += [
        {"field": f"category_{pk}", "message": f"请选择「{item.name}」的检查结果"}
        for pk, item in items.items()
        if pk not in by_item and not problems
    ]
    if inspected_on is None or inspected_on > on:
        problems.append({"field": "inspected_on", "message": "检查日期不能为空，也不能晚于今天"})
    elif task.batch.drawn_at and inspected_on < timezone.localtime(task.batch.drawn_at).date():
        problems.append({"field": "inspected_on", "message": "检查日期不能早于抽取日期"})
    if problems:
        raise ValidationFailed("检查结果有误：" + "；".join(p["message"] for p in problems), details=problems)
    before = {r.item_id: r.category for r in task.results.all()}
    for item_id, row in by_item.items():
        ItemResult.objects.update_or_create(
            task=task,
            item_id=item_id,
            defaults={
                "category": row["category"],
                "notes": (row.get("notes") or "").strip(),
                "checklist": row.get("checklist") or [],
            },
        )
    task.inspected_on = inspected_on
    task.notes = (notes or "").strip()
    task.recorded_by = actor
    task.recorded_at = timezone.now()
    previous = task.status
    task.status = TaskStatus.RECORDED
    task.save(update_fields=["inspected_on", "notes", "recorded_by", "recorded_at", "status"])
    now = timezone.now()
    task.members.exclude(inspector=actor).update(confirmed_at=None)
    task.members.filter(inspector=actor).update(confirmed_at=now)
    audit.record(
        actor=actor,
        action="inspections.result.recorded",
        obj=task,
        unit=task.unit,
        changes={
            "status": [previous, TaskStatus.RECORDED],
            "inspected_on": [None, inspected_on],
            "results": [
                {str(k): v for k, v in before.items()} or None,
                {str(k): r["category"] for k, r in by_item.items()},
            ],
        },
    )
    if not task.members.filter(confirmed_at__isnull=True).exists():  # a one-member team (never with team_size ≥ 2)
        _conclude(task, actor, on)
    return task


@transaction.atomic
def result_confirm(*, actor, task: InspectionTask, on: dt.date | None = None) -> InspectionTask:
    """A team member confirms the recorded result (确认). When every member has, the result stands and its
    consequences follow. Confirming twice is harmless."""
    on = on or timezone.localdate()
    task = _lock_task(task)
    member = _member(task, actor)
    if task.status in (TaskStatus.CONFIRMED, TaskStatus.PUBLISHED) and member.confirmed_at:
        return task
    if task.status != TaskStatus.RECORDED:
        raise TransitionNotAllowed(f"任务为「{task.get_status_display()}」，没有待确认的检查结果")
    _check_credential(actor, on)
    if member.confirmed_at is None:
        member.confirmed_at = timezone.now()
        member.save(update_fields=["confirmed_at"])
        audit.record(
            actor=actor,
            action="inspections.result.confirmed",
            obj=task,
            unit=task.unit,
            changes={"member": [None, member.staff_code]},
        )
    if not task.members.filter(confirmed_at__isnull=True).exists():
        _conclude(task, actor, on)
    return task


def _conclude(task: InspectionTask, actor, on: dt.date) -> None:
    """Every member confirmed: the result stands. Its consequences — a listing proposal for "unreachable", an
    enforcement lead for "problems to follow up" — are created in the same transaction."""
    from jianguan.enforcement.models import LeadSource
    from jianguan.enforcement.services import lead_create

    task.status = TaskStatus.CONFIRMED
    task.confirmed_at = timezone.now()
    task.overdue = False
    task.publish_due_on = _deadline(on, "inspections.publish_days")
    task.save(update_fields=["status", "confirmed_at", "overdue", "publish_due_on"])
    results = list(task.results.select_related("item"))
    audit.record(
        actor=actor,
        action="inspections.result.concluded",
        obj=task,
        unit=task.unit,
        changes={"status": ["recorded", "confirmed"], "publish_due_on": [None, task.publish_due_on]},
    )
    found_on = task.inspected_on or on
    if any(r.category == ResultCategory.UNREACHABLE for r in results):
        proposal, created = ListingProposal.objects.get_or_create(
            task=task, defaults={"entity": task.entity, "unit": task.unit, "found_on": found_on}
        )
        if created:
            audit.record(
                actor=actor,
                action="inspections.proposal.created",
                obj=proposal,
                unit=task.unit,
                changes={"entity": [None, task.entity.uscc], "ground": [None, proposal.ground]},
            )
    follow_up = [r for r in results if r.category == ResultCategory.FOLLOW_UP]
    if follow_up:
        description = "双随机抽查（{}）发现问题待后续处理：{}".format(
            task.batch, "；".join(f"{r.item.name}：{r.notes or '（未填写说明）'}" for r in follow_up)
        )
        lead_create(
            actor=actor,
            source_kind=LeadSource.INSPECTION,
            entity=task.entity,
            unit=task.batch.plan.unit,
            description=description,
            discovered_on=found_on,
            source_type="inspections.task",
            source_id=str(task.pk),
        )
    from . import integrations

    integrations.schedule_risk([task.entity_id])  # reclassified after commit, when credit offers it


def task_for_entity(*, batch: DrawBatch, uscc: str) -> InspectionTask:
    """The task of ``batch`` for the entity with code ``uscc``; refused when that entity was not drawn, or was
    drawn without a team."""
    code = (uscc or "").strip().upper()
    task = batch.tasks.exclude(status=TaskStatus.VOID).filter(entity__uscc=code).first()
    if task is not None:
        return task
    if code in (batch.unassigned or []):
        raise DomainError(
            f"主体 {code} 在{batch}中被抽中，但因检查人员不足未分配检查组，不能录入结果", code="not_assigned"
        )
    raise DomainError(f"主体 {code} 未在{batch}中被抽中，不能录入检查结果", code="not_drawn")


ALLOWED_UPLOADS = {
    "jpg": ("JPEG", (b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    "png": ("PNG", (b"\x89PNG\r\n\x1a\n",), (".png",)),
    "pdf": ("PDF", (b"%PDF-",), (".pdf",)),
}


def sniff(head: bytes) -> str | None:
    """The kind of a file from its first bytes (magic numbers), or None."""
    for kind, (_label, magics, _extensions) in ALLOWED_UPLOADS.items():
        if any(head.startswith(magic) for magic in magics):
            return kind
    return None


@transaction.atomic
def attachment_add(*, actor, task: InspectionTask, upload, on: dt.date | None = None) -> Attachment:
    """Attach a photo (JPEG/PNG) or a PDF to a task. The type is read from the content; a file whose name
    claims another type (a disguised file) and a file above ``inspections.upload_max_bytes`` are refused."""
    on = on or timezone.localdate()
    task = _lock_task(task)
    _member(task, actor)
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.RECORDED):
        raise TransitionNotAllowed(f"任务为「{task.get_status_display()}」，不能再上传附件")
    limit = int(rule("inspections.upload_max_bytes", on=on))
    name = (getattr(upload, "name", "") or "附件").rsplit("/", 1)[-1][:200]
    if upload.size > limit:
        raise ValidationFailed(
            f"文件「{name}」大小 {upload.size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB",
            details=[{"field": "file", "message": "文件过大"}],
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationFailed(
            f"文件「{name}」不是 JPEG、PNG 照片或 PDF 文件（按文件内容识别）",
            details=[{"field": "file", "message": "文件类型不允许"}],
        )
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_UPLOADS[kind][2]:
        raise ValidationFailed(
            f"文件「{name}」的扩展名与内容（{ALLOWED_UPLOADS[kind][0]}）不符，疑为伪装文件，已拒绝",
            details=[{"field": "file", "message": "扩展名与文件内容不符"}],
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        task=task, original_name=name, kind=kind, size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor
    )
    attachment.file.save(f"upload.{kind}", upload, save=False)
    path = attachment.file.name
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(path)
        raise
    audit.record(
        actor=actor,
        action="inspections.attachment.added",
        obj=task,
        unit=task.unit,
        changes={
            "file": [None, name],
            "kind": [None, kind],
            "size": [None, upload.size],
            "sha256": [None, attachment.sha256],
        },
    )
    return attachment


# --- Publication --------------------------------------------------------------------------------------------------


@transaction.atomic
def results_publish(*, actor, tasks) -> int:
    """Publish confirmed results (“谁检查、谁录入、谁公开”): on the portal and in the entities' public record."""
    locked = list(
        InspectionTask.objects.select_for_update()
        .filter(pk__in=[t.pk for t in tasks], status=TaskStatus.CONFIRMED)
        .select_related("batch__plan__unit")
    )
    now = timezone.now()
    for task in locked:
        task.status = TaskStatus.PUBLISHED
        task.published_at = now
    InspectionTask.objects.bulk_update(locked, ["status", "published_at"])
    for task in locked:
        audit.record(
            actor=actor,
            action="inspections.result.published",
            obj=task,
            unit=task.unit,
            changes={"status": ["confirmed", "published"]},
        )
    return len(locked)


# --- Listing proposals ---------------------------------------------------------------------------------------------


def _lock_proposal(proposal: ListingProposal) -> ListingProposal:
    return ListingProposal.objects.select_for_update().select_related("entity", "unit").get(pk=proposal.pk)


@transaction.atomic
def proposal_accept(*, actor, proposal: ListingProposal, note: str = "") -> ListingProposal:
    """The credit department accepts the proposal: the entity is listed (by credit's own service, when present)."""
    from . import integrations

    proposal = _lock_proposal(proposal)
    if proposal.status == ListingProposal.Status.ACCEPTED:
        return proposal
    if proposal.status != ListingProposal.Status.PROPOSED:
        raise TransitionNotAllowed(f"该建议已{proposal.get_status_display()}")
    proposal.credit_reference = integrations.list_unreachable(actor=actor, proposal=proposal) or ""
    proposal.status = ListingProposal.Status.ACCEPTED
    proposal.decision_note = (note or "").strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    audit.record(
        actor=actor,
        action="inspections.proposal.accepted",
        obj=proposal,
        unit=proposal.unit,
        changes={"status": ["proposed", "accepted"], "credit_reference": [None, proposal.credit_reference]},
    )
    return proposal


@transaction.atomic
def proposal_reject(*, actor, proposal: ListingProposal, note: str) -> ListingProposal:
    proposal = _lock_proposal(proposal)
    if proposal.status == ListingProposal.Status.REJECTED:
        return proposal
    if proposal.status != ListingProposal.Status.PROPOSED:
        raise TransitionNotAllowed(f"该建议已{proposal.get_status_display()}")
    if not (note or "").strip():
        raise ValidationFailed("不予采纳须说明理由", details=[{"field": "note", "message": "理由不能为空"}])
    proposal.status = ListingProposal.Status.REJECTED
    proposal.decision_note = note.strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    audit.record(
        actor=actor,
        action="inspections.proposal.rejected",
        obj=proposal,
        unit=proposal.unit,
        changes={"status": ["proposed", "rejected"], "note": [None, proposal.decision_note]},
    )
    return proposal


# --- The daily sweep ----------------------------------------------------------------------------------------------


def sweep(*, today: dt.date) -> dict[str, int]:
    """Publish confirmed results, flag overdue tasks, fill in deadlines the calendar could not give before.

    Idempotent: a second run the same day changes nothing.
    """
    published = results_publish(actor="sweep", tasks=list(InspectionTask.objects.filter(status=TaskStatus.CONFIRMED)))
    overdue = list(
        InspectionTask.objects.filter(
            status__in=(TaskStatus.ASSIGNED, TaskStatus.RECORDED), due_on__lt=today, overdue=False
        ).select_related("unit")
    )
    for task in overdue:
        task.overdue = True
        audit.record(
            actor="sweep",
            action="inspections.task.overdue",
            obj=task,
            unit=task.unit,
            changes={"overdue": [False, True], "due_on": [None, task.due_on]},
        )
    InspectionTask.objects.bulk_update(overdue, ["overdue"])
    filled = 0
    for batch in (
        DrawBatch.objects.filter(drawn_at__isnull=False)
        .filter(Q(results_due_on__isnull=True) | Q(results_due_provisional=True))
        .select_related("plan")
        .defer("manifest", "bundle")
    ):
        due, provisional = results_due(batch.plan, timezone.localtime(batch.drawn_at).date())
        if (due, provisional) != (batch.results_due_on, batch.results_due_provisional):
            old = batch.results_due_on
            batch.results_due_on, batch.results_due_provisional = due, provisional
            batch.save(update_fields=["results_due_on", "results_due_provisional"])
            tasks = batch.tasks.filter(Q(due_on__isnull=True) | Q(due_on=old, due_provisional=True))
            filled += tasks.update(due_on=due, due_provisional=provisional)
    return {"published": published, "overdue": len(overdue), "deadlines_filled": filled}
