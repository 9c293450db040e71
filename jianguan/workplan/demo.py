"""Demo: the 2022 Pingdingshan plan from the seed article (closed, every task reported done) and the plan of the
demo's current year in the same shape, with the progress the rest of the demo makes real: live targets read from
the demo's entities, start-ups, inspections, cases and complaints; reported targets and milestones moved on by
accepted reports up to "today", a few milestones overdue (so the sweep has escalations to make), reports waiting for
the office, one returned.

Set-based: one ``bulk_create`` per table, one transaction, one audit entry. Idempotent: a plan already loaded is
left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import audit
from jianguan.core.demo import step
from jianguan.core.models import OrgUnit

from . import metrics
from .models import Area, Milestone, Plan, ProgressReport, Target, Task
from .seedplan import AREAS, MILESTONES, SOURCE, SUMMARY

CITY = "410400"
# This year's plan replaces the 2022 epidemic-supplies line with the task that took its place in the bureau's work.
CURRENT_OVERRIDES = {
    "5.5": ("重要民生商品价格和冷链食品监管",
            "严厉打击囤积居奇、哄抬价格等违法行为，强化冷链食品闭环管理。",
            [("开展重要民生商品价格监督检查", "number", "ge", 300, "家", "")]),
}
# In the current plan these targets are read from the sector apps once they are installed (their metrics).
CURRENT_METRICS = {
    ("3.1", 1): "ip.enterprises",
    ("3.2", 1): "ip.cases_filed",
    ("3.3", 1): "quality.enterprises_visited",
    ("3.4", 1): "standards.led",
    ("3.5", 1): "standards.pilots_accepted",
    ("5.3", 1): "equipment.inspected_on_time",
}
# Tasks whose milestone before today is left undone in the current plan (overdue), and reports left for the office.
LATE = {"1.3", "3.3", "5.2"}
WAITING = {"2.4", "3.1", "4.3", "5.1"}
RETURNED = "1.2"


def _people():
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=[
        "leader", "deputy", "bg_duban", "bg_head", "dj_head", "zf_head", "xy_officer", "fg_reviewer", "ts_handler",
        "sp_supervisor", "yp_supervisor", "tz_supervisor", "zl_supervisor", "zc_head", "bz_head"])}
    by_dept = {"BG": "bg_head", "DJ": "dj_head", "ZF": "zf_head", "XY": "xy_officer", "FG": "fg_reviewer",
               "XB": "ts_handler", "SP": "sp_supervisor", "YP": "yp_supervisor", "TZ": "tz_supervisor",
               "ZL": "zl_supervisor", "ZC": "zc_head", "BZ": "bz_head", "JL": "zl_supervisor"}
    return users, {d: users.get(u) for d, u in by_dept.items()}


def _build(*, year: int, code: str, title: str, status: str, today: dt.date, units, people, by_dept) -> dict:
    """Create one plan with its whole tree; ``today`` decides what is done, late or waiting."""
    closed = status == Plan.Status.CLOSED
    districts = [u for u in units.values() if u.kind == OrgUnit.Kind.DISTRICT]
    plan = Plan.objects.create(code=code, year=year, title=title, unit=units[CITY], summary=SUMMARY, source=SOURCE,
                               status=status, created_by=people.get("bg_duban"))
    areas = Area.objects.bulk_create([Area(plan=plan, seq=i, title=a[0], summary=a[1])
                                      for i, a in enumerate(AREAS, 1)])
    tasks, co_links, target_specs = [], [], []
    for area, (_t, _s, items) in zip(areas, AREAS, strict=True):
        for j, (ttitle, desc, lead, co, targets) in enumerate(items, 1):
            tcode = f"{area.seq}.{j}"
            if not closed and tcode in CURRENT_OVERRIDES:
                ttitle, desc, targets = CURRENT_OVERRIDES[tcode]
            leader = people.get("leader") if area.seq == 4 else people.get("deputy")
            tasks.append(Task(plan=plan, area=area, code=tcode, seq=j, title=ttitle, description=desc,
                              lead_unit=units[f"{CITY}{lead}"], lead_person=by_dept.get(lead), leader=leader,
                              due_on=dt.date(year, 12, 20)))
            co_links.append([u for c in co for u in (districts if c == "*" else [units[f"{CITY}{c}"]])])
            target_specs.append(targets)
    tasks = Task.objects.bulk_create(tasks)
    Through = Task.co_units.through
    Through.objects.bulk_create([Through(task_id=t.pk, orgunit_id=u.pk)
                                 for t, us in zip(tasks, co_links, strict=True) for u in us])

    milestones, targets, reports = [], [], []
    for n, (task, specs) in enumerate(zip(tasks, target_specs, strict=True)):
        dues = [dt.date(year, m, d) for m, d, _ in MILESTONES]
        passed = [d for d in dues if d < today] if not closed else dues
        late = not closed and task.code in LATE and passed
        done_count = len(passed) - (1 if late else 0)
        fraction = Decimal(done_count) / len(dues)
        for k, ((_m, _d, mtitle), due) in enumerate(zip(MILESTONES, dues, strict=True), 1):
            done = k <= done_count
            milestones.append(Milestone(task=task, seq=k, title=mtitle, due_on=due,
                                        status=Milestone.Status.DONE if done else Milestone.Status.OPEN,
                                        done_on=due - dt.timedelta(days=(n + k) % 6) if done else None,
                                        overdue=bool(not done and due < today)))
        for k, (label, kind, direction, goal, unit_label, metric) in enumerate(specs, 1):
            goal = Decimal(goal)
            sector = CURRENT_METRICS.get((task.code, k)) if not closed else None
            if sector and metrics.get(sector) is not None:
                metric = sector
            reported = None
            if not metric and (done_count or closed):
                if kind == Target.Kind.YESNO:
                    reported = Decimal(1) if fraction == 1 else None
                elif direction == Target.Direction.AT_MOST:
                    reported = goal
                elif kind == Target.Kind.PERCENT:
                    # rates are near their goal all year; one task in four falls short
                    reported = min(Decimal(100), goal * (Decimal(1) if n % 4 else Decimal("0.9"))).quantize(
                        Decimal("0.1"))
                else:
                    # counts grow through the year; most ahead of schedule, one task in four behind
                    share = min(Decimal(1), fraction + Decimal("0.2"))
                    reported = (goal * share * (Decimal("1.08") if n % 4 else Decimal("0.85"))).quantize(Decimal("1"))
            last_day = passed[done_count - 1] if done_count else None
            targets.append(Target(task=task, seq=k, label=label, kind=kind, direction=direction, goal=goal,
                                  unit_label=unit_label, metric=metric, reported_value=reported,
                                  reported_on=last_day if reported is not None else None))
        task.progress = 100 if closed else int(100 * fraction)
        task.status = (Task.Status.DONE if task.progress == 100 else
                       Task.Status.ONGOING if task.progress or done_count else Task.Status.PLANNED)
        task.done_on = dues[-1] if closed else None
        task.late = bool(late)
    Task.objects.bulk_update(tasks, ["progress", "status", "done_on", "late"])
    milestones = Milestone.objects.bulk_create(milestones)
    targets = Target.objects.bulk_create(targets)
    ms_by_task: dict[int, list[Milestone]] = {}
    for m in milestones:
        ms_by_task.setdefault(m.task_id, []).append(m)
    tg_by_task: dict[int, list[Target]] = {}
    for t in targets:
        tg_by_task.setdefault(t.task_id, []).append(t)
    reviewer = people.get("bg_duban")
    for task in tasks:
        author = task.lead_person or people.get("bg_head")
        if author is None:
            continue
        values = {str(t.pk): str(t.reported_value) for t in tg_by_task[task.pk] if t.reported_value is not None}
        for m in ms_by_task[task.pk]:
            if m.is_done:
                at = dt.datetime.combine(m.done_on, dt.time(16, 30)).astimezone()
                reports.append(ProgressReport(
                    task=task, milestone=m, completes_milestone=True, unit=task.lead_unit, author=author,
                    text=f"{m.title}：已按计划完成。" + (task.description[:60] if m.seq == 1 else ""),
                    progress=min(100, 25 * m.seq),
                    values=values if m.seq == len([x for x in ms_by_task[task.pk] if x.is_done]) else {},
                    status=ProgressReport.Status.ACCEPTED, submitted_on=m.done_on, submitted_at=at,
                    reviewed_by=reviewer, reviewed_at=at + dt.timedelta(days=1), review_note="同意"))
        if closed:
            continue
        nxt = next((m for m in ms_by_task[task.pk] if not m.is_done), None)
        if nxt is not None and (task.code in WAITING or task.code == RETURNED):
            on = today - dt.timedelta(days=1 + task.seq)
            at = dt.datetime.combine(on, dt.time(10, 0)).astimezone()
            returned = task.code == RETURNED
            reports.append(ProgressReport(
                task=task, milestone=nxt, completes_milestone=True, unit=task.lead_unit, author=author,
                text=f"{nxt.title}：主要工作已完成，附相关材料。", progress=min(100, task.progress + 25),
                status=ProgressReport.Status.RETURNED if returned else ProgressReport.Status.SUBMITTED,
                submitted_on=on, submitted_at=at,
                reviewed_by=reviewer if returned else None,
                reviewed_at=at + dt.timedelta(hours=3) if returned else None,
                review_note="未附佐证材料，数据口径不清，请补充后重新报送" if returned else ""))
    ProgressReport.objects.bulk_create(reports)
    return {"tasks": len(tasks), "milestones": len(milestones), "targets": len(targets), "reports": len(reports)}


@step(95, "重点工作计划")
def demo_workplan(*, today: dt.date, stdout) -> dict:
    units = {u.code: u for u in OrgUnit.objects.filter(kind__in=["city", "department", "district"])}
    people, by_dept = _people()
    out = {}
    with transaction.atomic():
        if not Plan.objects.filter(code="PDS-2022").exists():
            out["2022"] = _build(year=2022, code="PDS-2022", title="平顶山市市场监管局2022年重点工作计划",
                                 status=Plan.Status.CLOSED, today=today, units=units, people=people, by_dept=by_dept)
        code = f"PDS-{today.year}"
        if today.year != 2022 and not Plan.objects.filter(code=code).exists():
            out[str(today.year)] = _build(year=today.year, code=code,
                                          title=f"平顶山市市场监管局{today.year}年重点工作计划",
                                          status=Plan.Status.ACTIVE, today=today, units=units, people=people,
                                          by_dept=by_dept)
        if out:
            audit.record(actor="demo", action="workplan.demo.loaded", object_type="workplan.plan",
                         object_repr="演示重点工作计划", changes={"plans": [None, out]})
    return out
