"""Writes of cold-chain tracing: keyword-only, explicit ``actor``, atomic, audited. Movements of a batch are
serialised on the batch row (``select_for_update``) so two outgoing movements cannot both spend the same stock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.utils import timezone

from jianguan.core import audit, registers
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.rules import rule
from jianguan.core.scope import scope_for
from jianguan.registry.models import Entity

from . import trace
from .models import Batch, BatchStatus, Direction, Incident, Movement, Reason, Task, TraceHolder
from .rules import TASKS

ZERO = Decimal("0")


def _own_entity_id(actor) -> int | None:
    """The entity of an enterprise account (portal self-service), else None."""
    try:
        profile = actor.public_profile
    except Exception:  # staff, a system actor given as a string, or an account without a profile
        return None
    return profile.entity_id if profile.kind == "enterprise" else None


def _in_scope(actor, entity: Entity, field: str) -> None:
    """Staff act on entities of their units; an enterprise account only on its own entity."""
    own = _own_entity_id(actor)
    if own is not None:
        if own != entity.pk:
            raise ValidationFailed(f"只能登记本企业（{entity.name} 以外的单位不可代为登记）的出入库", field=field)
        return
    if not scope_for(actor).allows_unit(entity.unit_id):
        raise ValidationFailed(f"{entity.name} 不在本单位监管范围内", field=field)


def held(batch_id: int, holder_id: int) -> Decimal:
    """What ``holder`` holds of the batch now: its movements in minus its movements out."""
    signed = Case(When(direction=Direction.OUT, then=-F("quantity")), default=F("quantity"),
                  output_field=DecimalField(max_digits=16, decimal_places=3))
    total = Movement.objects.filter(batch_id=batch_id, holder_id=holder_id).aggregate(s=Sum(signed))["s"]
    return total or ZERO


def holdings(batch_id: int) -> dict[int, tuple[Decimal, bool]]:
    """{holder id: (held now, ever entered)} for every holder of the batch, in one query."""
    signed = Case(When(direction=Direction.OUT, then=-F("quantity")), default=F("quantity"),
                  output_field=DecimalField(max_digits=16, decimal_places=3))
    entered = Sum(Case(When(direction=Direction.IN, then=Value(1)), default=Value(0)))
    rows = (Movement.objects.filter(batch_id=batch_id).values("holder_id")
            .annotate(s=Sum(signed), n=entered).values_list("holder_id", "s", "n"))
    return {h: (s or ZERO, bool(n)) for h, s, n in rows}


@transaction.atomic
def batch_register(*, actor, tracing_code: str, product: str, origin_country: str, quantity: Decimal, measure: str,
                   importer: Entity, customs_declaration: str, quarantine_certificate: str, nucleic_acid_report: str,
                   disinfection_certificate: str, entered_on: dt.date) -> Batch:
    """Register an imported batch with its four documents; its first movement is the importer's entry."""
    code = tracing_code.strip().upper()
    if Batch.objects.filter(tracing_code=code).exists():
        raise ValidationFailed(f"追溯码 {code} 已登记", field="tracing_code")
    if quantity <= 0:
        raise ValidationFailed("数量应大于 0", field="quantity")
    docs = {"customs_declaration": customs_declaration, "quarantine_certificate": quarantine_certificate,
            "nucleic_acid_report": nucleic_acid_report, "disinfection_certificate": disinfection_certificate}
    for name in rule("coldchain.required_documents", on=entered_on):
        if not str(docs.get(name, "")).strip():
            label = Batch._meta.get_field(name).verbose_name
            raise ValidationFailed(f"缺少{label}，进口冷链食品不得入库", field=name)
    _in_scope(actor, importer, "importer")
    batch = Batch.objects.create(tracing_code=code, product=product.strip(), origin_country=origin_country.strip(),
                                 quantity=quantity, measure=measure.strip() or "kg", importer=importer,
                                 entered_on=entered_on, unit_id=importer.unit_id,
                                 **{k: v.strip() for k, v in docs.items()})
    Movement.objects.create(batch=batch, holder=importer, direction=Direction.IN, quantity=quantity,
                            moved_on=entered_on, note="入境首站入库", unit_id=importer.unit_id)
    audit.record(actor=actor, action="coldchain.batch.registered", obj=batch, unit=batch.unit_id,
                 changes={"tracing_code": [None, code], "quantity": [None, str(quantity)]})
    return batch


def batch_by_code(text: str) -> Batch:
    batch = Batch.objects.filter(tracing_code=text.strip().upper()).first()
    if batch is None:
        raise ValueError(f"追溯码 {text.strip()} 未登记")
    return batch


@transaction.atomic
def movement_record(*, actor, batch: Batch, holder: Entity, direction: str, quantity: Decimal, moved_on: dt.date,
                    counterparty: Entity | None = None, note: str = "") -> Movement:
    """Record a movement in or out of ``holder``. Refused: a movement out of a holder the batch never entered, more
    out than held, any movement of a batch under an open trace (its stock is sealed), a holder moving to itself."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    registers.refuse_reference_to_withdrawn(batch, what=f"批次 {batch.tracing_code}", field="batch")
    _in_scope(actor, holder, "holder")
    if quantity is None or quantity <= 0:
        raise ValidationFailed("数量应大于 0", field="quantity")
    if counterparty is not None and counterparty.pk == holder.pk:
        raise ValidationFailed("来源/去向单位不能是持有单位本身", field="counterparty")
    if moved_on < batch.entered_on:
        raise ValidationFailed(f"日期早于该批次入境日期 {batch.entered_on}", field="moved_on")
    if Incident.objects.filter(batch=batch, closed_at__isnull=True).exists():
        raise TransitionNotAllowed(f"批次 {batch.tracing_code} 正在追溯处置，已封存，不能出入库")
    if direction == Direction.OUT:
        movements = Movement.objects.filter(batch=batch, holder=holder)
        if not movements.filter(direction=Direction.IN).exists():
            raise ValidationFailed(f"批次 {batch.tracing_code} 从未进入 {holder.name}，不能从该单位出库", field="holder")
        have = held(batch.pk, holder.pk)
        if quantity > have:
            raise ValidationFailed(f"出库数量 {quantity:f} 超过 {holder.name} 现有数量 {have:f}{batch.measure}",
                                   field="quantity")
    elif direction != Direction.IN:
        raise ValidationFailed("方向应为 入库 或 出库", field="direction")
    move = Movement.objects.create(batch=batch, holder=holder, direction=direction, quantity=quantity,
                                   moved_on=moved_on, counterparty=counterparty, note=note.strip(),
                                   unit_id=holder.unit_id)
    audit.record(actor=actor, action=f"coldchain.movement.{direction}", obj=move, unit=holder.unit_id,
                 changes={"batch": [None, batch.tracing_code], "quantity": [None, str(quantity)],
                          "counterparty": [None, counterparty.uscc if counterparty else None]})
    return move


@transaction.atomic
def trace_start(*, actor, batch: Batch, reason: str, origin: Entity, detected_on: dt.date, note: str = "",
                now: dt.datetime | None = None) -> Incident:
    """Trace ``batch`` from ``origin`` (where the positive result or the recall began) to every holder and give each
    holder its tasks with their clocks. Idempotent: while a trace of the batch is open, the same trace is returned."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    open_one = Incident.objects.filter(batch=batch, closed_at__isnull=True).first()
    if open_one is not None:
        return open_one
    registers.refuse_if_withdrawn(batch, what=f"批次 {batch.tracing_code}", doing="启动追溯")
    if reason not in Reason.values:
        raise ValidationFailed("原因应为 检出阳性 或 召回", field="reason")
    stock = holdings(batch.pk)
    if origin.pk not in stock:
        raise ValidationFailed(f"{origin.name} 没有该批次的出入库记录，不能作为发现环节", field="origin")
    now = now or timezone.now()
    incident = Incident.objects.create(batch=batch, reason=reason, origin=origin, detected_on=detected_on,
                                       note=note.strip(), started_at=now, started_by=actor, unit_id=batch.unit_id)
    found = trace.holders(batch.pk, origin.pk, max_depth=int(rule("coldchain.max_trace_depth", on=detected_on)))
    units = dict(Entity.objects.filter(pk__in=[n for n, _p, _h in found]).values_list("pk", "unit_id"))
    rows = TraceHolder.objects.bulk_create([
        TraceHolder(incident=incident, entity_id=n, place=p, hops=h, held=stock.get(n, (ZERO, False))[0],
                    unit_id=units[n]) for n, p, h in found])
    hours = rule("coldchain.task_hours", on=detected_on)
    tasks = []
    for row in rows:
        for kind, _label in TASKS:
            if kind == "seal" and row.held <= 0:
                continue  # nothing left in store to seal
            tasks.append(Task(holder=row, kind=kind, due_at=now + dt.timedelta(hours=int(hours[kind]))))
    Task.objects.bulk_create(tasks)
    batch.status = BatchStatus.POSITIVE if reason == Reason.POSITIVE else BatchStatus.RECALLED
    batch.save(update_fields=["status"])
    audit.record(actor=actor, action="coldchain.trace.started", obj=incident, unit=incident.unit_id,
                 changes={"batch": [None, batch.tracing_code], "reason": [None, reason],
                          "holders": [None, len(rows)], "tasks": [None, len(tasks)]})
    return incident


@transaction.atomic
def task_report(*, actor, task: Task, report: str, now: dt.datetime | None = None) -> Task:
    """The holder reports back on one of its tasks (enterprise account, portal): what it sealed, whom it notified,
    when it disinfected. The task stays open until staff confirm it with ``task_complete`` — the loop closes on
    the bureau's side. A later report replaces the text (both kept in the audit log); a task already confirmed, or
    another holder's task, is refused."""
    task = Task.objects.select_for_update().select_related("holder__entity").get(pk=task.pk)
    own = _own_entity_id(actor)
    if own is None or own != task.holder.entity_id:
        raise ValidationFailed("只能报告本单位的处置任务", field="task")
    if task.done_at is not None:
        raise TransitionNotAllowed(f"「{task.label}」已于 {timezone.localtime(task.done_at):%Y-%m-%d %H:%M} 由监管部门确认完成")
    report = (report or "").strip()
    if not report:
        raise ValidationFailed("请填写处置情况", field="report")
    if len(report) > 300:
        raise ValidationFailed("处置情况不超过 300 字", field="report")
    before = task.report
    task.report, task.reported_at, task.reported_by = report, now or timezone.now(), actor
    task.save(update_fields=["report", "reported_at", "reported_by"])
    audit.record(actor=actor, action="coldchain.task.reported", obj=task, unit=task.holder.unit_id,
                 changes={"report": [before or None, report], "late": [None, task.reported_at > task.due_at]})
    return task


@transaction.atomic
def task_complete(*, actor, task: Task, result: str, now: dt.datetime | None = None) -> Task:
    """Mark a holder's task done (idempotent); the trace closes when its last task is done — the closed loop."""
    task = Task.objects.select_for_update().select_related("holder__incident").get(pk=task.pk)
    if task.done_at is not None:
        return task
    if not result.strip():
        raise ValidationFailed("请填写处置结果", field="result")
    incident = Incident.objects.select_for_update().get(pk=task.holder.incident_id)
    if not scope_for(actor).allows_unit(task.holder.unit_id):
        raise ValidationFailed("该持有单位不在本单位监管范围内", field="task")
    now = now or timezone.now()
    task.done_at, task.done_by, task.result = now, actor, result.strip()
    task.save(update_fields=["done_at", "done_by", "result"])
    audit.record(actor=actor, action="coldchain.task.done", obj=task, unit=task.holder.unit_id,
                 changes={"kind": [None, task.kind], "late": [None, now > task.due_at]})
    if not Task.objects.filter(holder__incident=incident, done_at__isnull=True).exists():
        incident.closed_at = now
        incident.save(update_fields=["closed_at"])
        audit.record(actor=actor, action="coldchain.trace.closed", obj=incident, unit=incident.unit_id,
                     changes={"closed_at": [None, now.isoformat()]})
    return task

