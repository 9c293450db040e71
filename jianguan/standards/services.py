"""Writes of standardization work: keyword-only, explicit ``actor``, atomic, audited. A local standard moves one
stage at a time (``select_for_update``: a double click moves it once)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jianguan.core import audit, registers
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.rules import rule
from jianguan.core.scope import scope_for
from jianguan.registry.models import Entity

from . import numbers
from .models import STAGE_ORDER, EnterpriseStandard, Leader, LocalStandard, Milestone, PilotProject, Stage


def _unit_of(actor):
    profile = getattr(actor, "profile", None)
    if profile is None:
        raise ValidationFailed("当前用户未分配单位，不能登记台账")
    return profile.unit


def _in_scope(actor, entity: Entity) -> None:
    if not scope_for(actor).allows_unit(entity.unit_id):
        raise ValidationFailed(f"{entity.name} 不在本单位监管范围内", field="entity")


def checked_number(kind: str, number: str, *, on: dt.date, field: str = "number") -> str:
    problem = numbers.problem(kind, number, this_year=on.year,
                              local_prefixes=tuple(rule("standards.local_prefixes", on=on)))
    if problem:
        raise ValidationFailed(f"{number}：{problem}", field=field)
    return numbers.normalise(number)


@transaction.atomic
def standard_create(*, actor, entity: Entity, kind: str, number: str, title: str, role: str,
                    declared_on: dt.date) -> EnterpriseStandard:
    """An enterprise's standard; the number must follow the numbering rule of its kind."""
    _in_scope(actor, entity)
    number = checked_number(kind, number, on=declared_on)
    if EnterpriseStandard.objects.filter(entity=entity, number=number, role=role).exists():
        raise ValidationFailed(f"{entity.name} 的 {number} 已登记", field="number")
    row = EnterpriseStandard.objects.create(entity=entity, kind=kind, number=number, title=title, role=role,
                                            declared_on=declared_on, unit_id=entity.unit_id)
    audit.record(actor=actor, action="standards.standard.created", obj=row, unit=entity.unit_id,
                 changes={"number": [None, number], "role": [None, role]})
    return row


@transaction.atomic
def leader_create(*, actor, entity: Entity, product: str, standard_number: str, year: int,
                  evaluator: str) -> Leader:
    """A "leader" designation: its standard is an enterprise or group standard; once per product and year."""
    _in_scope(actor, entity)
    on = dt.date(year, 12, 31)
    kind = "group" if standard_number.strip().upper().startswith("T/") else "enterprise"
    number = checked_number(kind, standard_number, on=on, field="standard_number")
    if Leader.objects.filter(entity=entity, product=product.strip(), year=year).exists():
        raise ValidationFailed(f"{entity.name} 的“{product}”{year} 年已是领跑者，不能重复登记", field="product")
    row = Leader.objects.create(entity=entity, product=product.strip(), standard_number=number, year=year,
                                evaluator=evaluator, unit_id=entity.unit_id)
    audit.record(actor=actor, action="standards.leader.created", obj=row, unit=entity.unit_id,
                 changes={"product": [None, row.product], "year": [None, year]})
    return row


@transaction.atomic
def pilot_create(*, actor, name: str, level: str, field: str, undertaker: str, starts_on: dt.date,
                 ends_on: dt.date) -> PilotProject:
    if PilotProject.objects.filter(name=name).exists():
        raise ValidationFailed(f"项目“{name}”已登记", field="name")
    if ends_on <= starts_on:
        raise ValidationFailed("计划验收日期应晚于开始日期", field="ends_on")
    row = PilotProject.objects.create(name=name, level=level, field=field, undertaker=undertaker,
                                      starts_on=starts_on, ends_on=ends_on, unit=_unit_of(actor))
    audit.record(actor=actor, action="standards.pilot.created", obj=row, unit=row.unit,
                 changes={"name": [None, name]})
    return row


def pilot_named(project: PilotProject) -> str:
    return f"试点示范项目“{project.name}”"


def local_named(std: LocalStandard) -> str:
    return f"地方标准“{std.title}”"


@transaction.atomic
def milestone_add(*, actor, project: PilotProject, name: str, due_on: dt.date) -> Milestone:
    """Add a milestone to ``project``; refused on a project withdrawn from the register."""
    project = PilotProject.objects.select_for_update().get(pk=project.pk)
    registers.refuse_if_withdrawn(project, what=pilot_named(project), doing="增加节点")
    if not (project.starts_on <= due_on <= project.ends_on):
        raise ValidationFailed(f"节点日期应在项目期限内（{project.starts_on} 至 {project.ends_on}）", field="due_on")
    row = Milestone.objects.create(project=project, name=name.strip(), due_on=due_on)
    audit.record(actor=actor, action="standards.milestone.added", obj=project, unit=project.unit_id,
                 changes={"milestone": [None, row.name], "due_on": [None, due_on]})
    return row


@transaction.atomic
def milestone_done(*, actor, milestone: Milestone, done_on: dt.date, note: str = "") -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    registers.refuse_if_withdrawn(milestone.project, what=pilot_named(milestone.project),
                                  doing=f"完成节点“{milestone.name}”")
    if milestone.done_on:
        raise TransitionNotAllowed(f"节点“{milestone.name}”已于 {milestone.done_on} 完成")
    if done_on < milestone.project.starts_on:
        raise ValidationFailed("完成日期不能早于项目开始日期", field="done_on")
    milestone.done_on, milestone.note = done_on, note.strip()
    milestone.save(update_fields=["done_on", "note"])
    audit.record(actor=actor, action="standards.milestone.done", obj=milestone.project,
                 unit=milestone.project.unit_id, changes={"milestone": [milestone.name, milestone.name],
                                                          "done_on": [None, done_on]})
    return milestone


@transaction.atomic
def local_standard_create(*, actor, title: str, drafter: str, proposed_on: dt.date) -> LocalStandard:
    if LocalStandard.objects.filter(title=title).exists():
        raise ValidationFailed(f"地方标准“{title}”已立项", field="title")
    row = LocalStandard.objects.create(title=title, drafter=drafter, proposed_on=proposed_on, unit=_unit_of(actor),
                                       updated_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor=actor, action="standards.local.proposed", obj=row, unit=row.unit,
                 changes={"title": [None, title]})
    return row


@transaction.atomic
def local_standard_advance(*, actor, standard: LocalStandard, to: str, on: dt.date, comments_until=None,
                           comments_received: int | None = None, number: str = "") -> LocalStandard:
    """Move a local standard to the next stage (only the next one). Comments: open at least rule
    ``standards.comment_days`` days; review needs the comment period over; publication needs its DB number."""
    std = LocalStandard.objects.select_for_update().get(pk=standard.pk)
    registers.refuse_if_withdrawn(std, what=local_named(std), doing="进入下一阶段")
    current = STAGE_ORDER.index(std.stage)
    if to not in STAGE_ORDER or STAGE_ORDER.index(to) != current + 1:
        expected = Stage(STAGE_ORDER[current + 1]).label if current + 1 < len(STAGE_ORDER) else "无"
        raise TransitionNotAllowed(f"“{std.title}”处于{std.get_stage_display()}阶段，下一阶段应为{expected}")
    before = {"stage": std.stage}
    if to == Stage.COMMENTS:
        if comments_until is None:
            raise ValidationFailed("请填写征求意见截止日期", field="comments_until")
        days = int(rule("standards.comment_days", on=on))
        if (comments_until - on).days < days:
            raise ValidationFailed(f"征求意见期限不少于 {days} 日（自 {on} 起至少到 {on + dt.timedelta(days=days)}）",
                                   field="comments_until")
        std.comments_from, std.comments_until = on, comments_until
    elif to == Stage.REVIEW:
        if on <= std.comments_until:
            raise ValidationFailed(f"征求意见至 {std.comments_until} 截止，截止后方可技术审查", field="on")
        if comments_received is None:
            raise ValidationFailed("请填写收到的意见条数", field="comments_received")
        std.comments_received, std.reviewed_on = comments_received, on
    elif to == Stage.PUBLISHED:
        std.number = checked_number("local", number, on=on)
        if LocalStandard.objects.filter(number=std.number).exclude(pk=std.pk).exists():
            raise ValidationFailed(f"标准编号 {std.number} 已被使用", field="number")
        std.published_on = on
    std.stage = to
    std.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    std.save()
    audit.record(actor=actor, action="standards.local.advanced", obj=std, unit=std.unit_id,
                 changes={"stage": [before["stage"], to], "on": [None, on]})
    return std
