"""Factories for the key-work plan: a city plan with one area, tasks, milestones and targets; the office and
unit personas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jianguan.core.models import OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.workplan.models import Area, Milestone, Plan, Target, Task


def office(username: str = "duban") -> object:
    """A member of the city bureau's supervision office (督查室)."""
    return staff(username, "410400BG", ["supervision_office"], credential=False, name="督查专员")


def dept_head(username: str = "dj_head_t", unit: str = "410400DJ"):
    return staff(username, unit, ["department_head"], credential=False, name=f"{unit}负责人")


def plan(*, year: int = 2026, code: str | None = None, status: str = Plan.Status.ACTIVE, unit: str = "410400") -> Plan:
    p = Plan.objects.create(code=code or f"T-{year}", year=year, title=f"{year}年重点工作计划",
                            unit=OrgUnit.objects.get(code=unit), status=status)
    Area.objects.create(plan=p, seq=1, title="深化两项重点改革")
    return p


def task(p: Plan, code: str = "1.1", *, lead: str = "410400DJ", co=(), lead_person=None, leader=None,
         milestones=((dt.date(2026, 9, 30), "完成上半年任务"),), targets=(), title: str = "深化放管服改革") -> Task:
    area = p.areas.first()
    t = Task.objects.create(plan=p, area=area, code=code, seq=int(code.split(".")[-1]), title=title,
                            lead_unit=OrgUnit.objects.get(code=lead), lead_person=lead_person, leader=leader,
                            due_on=dt.date(p.year, 12, 20))
    t.co_units.set(OrgUnit.objects.filter(code__in=co))
    for i, (due, label) in enumerate(milestones, 1):
        Milestone.objects.create(task=t, seq=i, title=label, due_on=due)
    for i, spec in enumerate(targets, 1):
        label, kind, goal, metric = spec[:4]
        direction = spec[4] if len(spec) > 4 else Target.Direction.AT_LEAST
        Target.objects.create(task=t, seq=i, label=label, kind=kind, goal=Decimal(goal), metric=metric,
                              direction=direction, unit_label="%" if kind == Target.Kind.PERCENT else "")
    return t
