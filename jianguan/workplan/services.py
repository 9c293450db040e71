"""Writes of the key-work plan: progress reports, their review by the office, and the daily supervision sweep.

Every write is atomic and audited in the same transaction. A report is reviewed once::

    submitted ──accept──▶ accepted   (figures go to the targets, a completed milestone is closed)
        └──────return──▶ returned   (the author is told why and reports again)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from jianguan.complaints import files as filecheck
from jianguan.core import audit, notify, workdays
from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.rules import rule

from .models import Milestone, Notice, Plan, ProgressReport, ReportFile, Target, Task

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 10
IDEMPOTENCY_KEY = re.compile(r"^[0-9a-f]{32}$")


def _unit_of(user):
    profile = getattr(user, "profile", None)
    return profile.unit if profile is not None else None


def can_report(user, task: Task) -> bool:
    """The task's responsible person, or staff of its lead or co-operating units holding the reporting permission."""
    if not user.has_perm("workplan.report_progress") and task.lead_person_id != user.pk:
        return False
    if task.lead_person_id == user.pk:
        return True
    unit = _unit_of(user)
    if unit is None:
        return False
    return unit.pk == task.lead_unit_id or task.co_units.filter(pk=unit.pk).exists()


def _parse_values(task: Task, values: dict) -> dict[str, str]:
    """The reported figures, keyed by target id: only this task's reported (not live) targets, numbers only."""
    targets = {t.pk: t for t in task.targets.all()}
    out: dict[str, str] = {}
    errors = []
    for raw_key, raw in (values or {}).items():
        if raw in (None, ""):
            continue
        try:
            target = targets[int(raw_key)]
        except (KeyError, ValueError):
            errors.append({"field": f"target_{raw_key}", "message": "不是本任务的指标"})
            continue
        if target.is_live:
            errors.append({"field": f"target_{target.pk}",
                           "message": f"指标「{target.label}」由系统从业务数据实时统计，不需报送"})
            continue
        try:
            value = Decimal(str(raw).strip().rstrip("%"))
        except InvalidOperation:
            errors.append({"field": f"target_{target.pk}", "message": f"指标「{target.label}」的报送值「{raw}」不是数字"})
            continue
        if target.kind == Target.Kind.YESNO and value not in (0, 1):
            errors.append({"field": f"target_{target.pk}", "message": f"指标「{target.label}」只能填“是”或“否”"})
            continue
        if target.kind == Target.Kind.PERCENT and not (0 <= value <= 100):
            errors.append({"field": f"target_{target.pk}", "message": f"指标「{target.label}」的百分比应在 0–100 之间"})
            continue
        if value < 0:
            errors.append({"field": f"target_{target.pk}", "message": f"指标「{target.label}」的报送值不能为负数"})
            continue
        out[str(target.pk)] = str(value)
    if errors:
        raise ValidationFailed("；".join(e["message"] for e in errors), details=errors)
    return out


def report_submit(*, actor, task: Task, text: str, progress: int, milestone: Milestone | None = None,
                  completes_milestone: bool = False, values: dict | None = None, files=(),
                  idempotency_key: str | None = None, on: dt.date | None = None) -> ProgressReport:
    """A unit reports progress on ``task``. A second submission with the same ``idempotency_key`` (a double click)
    returns the first report."""
    if idempotency_key and not IDEMPOTENCY_KEY.match(idempotency_key):
        idempotency_key = None
    if idempotency_key:
        existing = ProgressReport.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if not can_report(actor, task):
        raise DomainError("您不是该任务的牵头或配合单位人员，不能报送进展", code="not_responsible")
    text = (text or "").strip()
    errors = []
    if not text:
        errors.append({"field": "text", "message": "请填写进展情况"})
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 100:
        errors.append({"field": "progress", "message": "完成进度应为 0–100 之间的整数"})
    if milestone is not None and milestone.task_id != task.pk:
        errors.append({"field": "milestone", "message": "所选节点不属于本任务"})
    if completes_milestone and milestone is None:
        errors.append({"field": "milestone", "message": "报告节点完成时请选择节点"})
    if completes_milestone and milestone is not None and milestone.is_done:
        errors.append({"field": "milestone", "message": f"节点「{milestone.title}」已完成"})
    files = list(files or ())
    if len(files) > MAX_FILES:
        errors.append({"field": "files", "message": f"佐证材料最多 {MAX_FILES} 个"})
    checked = []
    for f in files:
        try:
            kind = filecheck.check(f.name, f, f.size, MAX_FILE_BYTES)
        except filecheck.FileRefused as exc:
            errors.append({"field": "files", "message": str(exc)})
        else:
            checked.append((f, kind))
    if errors:
        raise ValidationFailed("；".join(e["message"] for e in errors), details=errors)
    parsed = _parse_values(task, values or {})
    unit = _unit_of(actor) or task.lead_unit
    on = on or timezone.localdate()
    with transaction.atomic():
        task = Task.objects.select_for_update(of=("self",)).select_related("plan").get(pk=task.pk)
        if task.plan.status != Plan.Status.ACTIVE:
            raise TransitionNotAllowed(f"计划「{task.plan}」不在执行中，不能报送进展")
        try:
            with transaction.atomic():
                report = ProgressReport.objects.create(
                    task=task, milestone=milestone, completes_milestone=completes_milestone, unit=unit, author=actor,
                    text=text, progress=progress, values=parsed, submitted_on=on, idempotency_key=idempotency_key)
        except IntegrityError:
            return ProgressReport.objects.get(idempotency_key=idempotency_key)
        for f, kind in checked:
            f.seek(0)
            data = f.read()
            rf = ReportFile(report=report, original_name=f.name[:200], content_type=kind.content_type,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest())
            rf.file.save(f"r{report.pk}-{rf.sha256[:16]}{filecheck.extension_of(f.name)}", ContentFile(data),
                         save=False)
            rf.save()
        audit.record(actor=actor, action="workplan.report.submitted", obj=report, unit=unit,
                     changes={"progress": [None, progress], "values": [None, parsed],
                              "milestone": [None, milestone.pk if milestone else None],
                              "completes_milestone": [None, completes_milestone], "files": [None, len(checked)]})
    return report


def _refresh_task(task: Task, on: dt.date) -> None:
    """Status, lateness and completion of ``task`` from its milestones and its progress."""
    milestones = list(task.milestones.all())
    open_ms = [m for m in milestones if not m.is_done]
    task.late = any(m.overdue for m in open_ms)
    if task.progress >= 100 and not open_ms:
        task.status, task.done_on = Task.Status.DONE, task.done_on or on
    elif task.progress > 0 or len(open_ms) < len(milestones):
        task.status, task.done_on = Task.Status.ONGOING, None
    else:
        task.status, task.done_on = Task.Status.PLANNED, None


def report_review(*, actor, report: ProgressReport, accept: bool, note: str = "") -> ProgressReport:
    """The office accepts or returns a submitted report. Repeating the same decision (a double click) changes
    nothing; reversing a decision already taken is refused."""
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationFailed("退回时请写明退回理由", details=[{"field": "note", "message": "请填写退回理由"}])
    wanted = ProgressReport.Status.ACCEPTED if accept else ProgressReport.Status.RETURNED
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update(of=("self",)).select_related("task", "milestone").get(pk=report.pk)
        if report.status == wanted:
            return report
        if report.status != ProgressReport.Status.SUBMITTED:
            raise TransitionNotAllowed(f"该进展报告已{report.get_status_display()}，不能再{'通过' if accept else '退回'}")
        task = Task.objects.select_for_update().get(pk=report.task_id)
        before = audit.snapshot(task, ("status", "progress", "late", "done_on"))
        report.status = wanted
        report.reviewed_by, report.reviewed_at, report.review_note = actor, timezone.now(), note[:500]
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        if accept:
            for target in Target.objects.filter(task=task, pk__in=[int(k) for k in report.values]):
                target.reported_value = Decimal(report.values[str(target.pk)])
                target.reported_on = report.submitted_on
                target.save(update_fields=["reported_value", "reported_on"])
            if report.completes_milestone and report.milestone and not report.milestone.is_done:
                Milestone.objects.filter(pk=report.milestone_id).update(
                    status=Milestone.Status.DONE, done_on=report.submitted_on, overdue=False)
            task.progress = report.progress  # the accepted report is the task's state as the office knows it
            _refresh_task(task, report.submitted_on)
            task.save(update_fields=["status", "progress", "late", "done_on", "updated_at"])
        else:
            Notice.objects.create(task=task, milestone=report.milestone, kind=Notice.Kind.RETURNED,
                                  recipient=report.author, report=report, sent_on=timezone.localdate(),
                                  message=f"「{task.code} {task.title}」的进展报告被退回：{note}"[:300])
        audit.record(actor=actor, action=f"workplan.report.{wanted}", obj=report, unit=report.unit,
                     changes={"status": [ProgressReport.Status.SUBMITTED, wanted], "review_note": ["", note],
                              "task": audit.diff(before, audit.snapshot(task, ("status", "progress", "late",
                                                                                   "done_on")))})
    return report


def notice_read(*, actor, notice: Notice) -> None:
    if notice.recipient_id != actor.pk:
        raise DomainError("这不是您的督办提醒")
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())


# --- the daily sweep --------------------------------------------------------------------------------------------------


def _heads_by_unit(unit_ids) -> dict[int, list]:
    """The heads (role ``department_head``) of each unit."""
    User = get_user_model()
    out: dict[int, list] = {}
    for u in (User.objects.filter(is_active=True, groups__name="department_head", profile__unit_id__in=unit_ids)
              .select_related("profile").distinct()):
        out.setdefault(u.profile.unit_id, []).append(u)
    return out


def _leaders(unit_ids) -> dict[int, list]:
    User = get_user_model()
    out: dict[int, list] = {}
    for u in (User.objects.filter(is_active=True, groups__name="bureau_leader", profile__unit_id__in=unit_ids)
              .select_related("profile").distinct()):
        out.setdefault(u.profile.unit_id, []).append(u)
    return out


def _escalates_to_leader(due: dt.date, today: dt.date, days: int) -> bool | None:
    try:
        return workdays.add_workdays(due, days) < today
    except workdays.CalendarUnknown:
        return None


def supervise(*, today: dt.date) -> dict[str, int]:
    """Flag overdue milestones and late tasks; write the reminders and escalations due ``today``, each once.

    - a milestone due within ``workplan.reminder_days`` days: a reminder to the responsible person (or the unit head);
    - a milestone past its date and not done: flagged overdue, the responsible person and the head of the lead unit
      told;
    - still not done ``workplan.escalate_leader_days`` working days after its date: the task's leader (or the
      bureau's leaders) told, by notice and SMS.
    Idempotent: a second run on the same day changes nothing.
    """
    counts = {"overdue": 0, "late_tasks": 0, "reminders": 0, "to_head": 0, "to_leader": 0, "calendar_pending": 0}
    active = Milestone.objects.filter(task__plan__status=Plan.Status.ACTIVE, status=Milestone.Status.OPEN)
    counts["overdue"] = active.filter(due_on__lt=today, overdue=False).update(overdue=True)
    # a milestone moved to a later date by the office is no longer overdue
    active.filter(due_on__gte=today, overdue=True).update(overdue=False)
    late = Exists(Milestone.objects.filter(task=OuterRef("pk"), status=Milestone.Status.OPEN, overdue=True))
    tasks = Task.objects.filter(plan__status=Plan.Status.ACTIVE)
    counts["late_tasks"] = tasks.filter(late, late=False).update(late=True)
    tasks.filter(~late, late=True).update(late=False)

    remind_until = today + dt.timedelta(days=int(rule("workplan.reminder_days", on=today)))
    leader_days = int(rule("workplan.escalate_leader_days", on=today))
    rows = list(active.filter(due_on__lte=remind_until)
                .select_related("task", "task__plan", "task__lead_unit", "task__lead_person", "task__leader"))
    if not rows:
        return counts
    heads = _heads_by_unit({m.task.lead_unit_id for m in rows})
    leaders = _leaders({m.task.plan.unit_id for m in rows})
    wanted: list[Notice] = []

    def add(m: Milestone, kind: str, users, message: str):
        for u in users:
            wanted.append(Notice(milestone=m, task=m.task, kind=kind, recipient=u, message=message[:300],
                                 sent_on=today))

    for m in rows:
        t = m.task
        owner = [t.lead_person] if t.lead_person_id else heads.get(t.lead_unit_id, [])
        label = f"「{t.code} {t.title}」节点「{m.title}」（时限 {m.due_on:%Y-%m-%d}，牵头单位 {t.lead_unit.name}）"
        if m.due_on >= today:
            add(m, Notice.Kind.REMINDER, owner, f"{label}即将到期，请按时完成并报送进展")
            continue
        add(m, Notice.Kind.OVERDUE, owner, f"{label}已逾期，请尽快完成并报送进展")
        add(m, Notice.Kind.TO_HEAD, [u for u in heads.get(t.lead_unit_id, []) if u not in owner],
            f"督办：{label}已逾期，请督促落实")
        escalate = _escalates_to_leader(m.due_on, today, leader_days)
        if escalate is None:
            counts["calendar_pending"] += 1
        elif escalate:
            add(m, Notice.Kind.TO_LEADER, [t.leader] if t.leader_id else leaders.get(t.plan.unit_id, []),
                f"提请督办：{label}逾期已超过 {leader_days} 个工作日")
    existing = set(Notice.objects.filter(milestone__in=[m.pk for m in rows], report__isnull=True)
                   .values_list("milestone_id", "kind", "recipient_id"))
    new, seen = [], set()
    for n in wanted:
        k = (n.milestone_id, n.kind, n.recipient_id)
        if k in existing or k in seen:
            continue
        seen.add(k)
        new.append(n)
    Notice.objects.bulk_create(new)
    for n in new:
        if n.kind == Notice.Kind.REMINDER:
            counts["reminders"] += 1
        elif n.kind in (Notice.Kind.OVERDUE, Notice.Kind.TO_HEAD):
            counts["to_head"] += 1
        elif n.kind == Notice.Kind.TO_LEADER:
            counts["to_leader"] += 1
    if new:
        audit.record(actor="sweep", action="workplan.notices.sent", object_type="workplan.notice",
                     object_repr=f"督办提醒 {len(new)} 条（{today}）",
                     changes={"count": [0, len(new)], "milestones": [None, sorted({n.milestone_id for n in new})]})
        sms = [(n.recipient, n.message, _notice_link(n)) for n in new
               if n.kind in (Notice.Kind.TO_HEAD, Notice.Kind.TO_LEADER)]
        if sms:  # the bell in the workbench and, once committed, the SMS
            notify.notify_staff(sms, source="workplan")
    return counts


def _notice_link(notice) -> str:
    from django.urls import NoReverseMatch, reverse

    task = notice.task
    try:
        return reverse("workplan:task", args=[task.plan.code, task.code])
    except (NoReverseMatch, AttributeError):
        return ""


# --- the office shapes the plan ---------------------------------------------------------------------------------------


def _shift_year(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def plan_copy(*, actor, source: Plan, year: int, title: str, code: str) -> Plan:
    """A new plan for ``year`` with ``source``'s areas, tasks, units, people, targets and milestones (dates moved
    to the new year), nothing reported yet: the office then adjusts it task by task."""
    from .models import Area

    code = (code or "").strip()
    title = (title or "").strip()
    errors = []
    if not code:
        errors.append({"field": "code", "message": "请填写计划编号"})
    elif Plan.objects.filter(code=code).exists():
        errors.append({"field": "code", "message": f"计划编号「{code}」已存在"})
    if not title:
        errors.append({"field": "title", "message": "请填写计划名称"})
    if not 2000 <= int(year) <= 2100:
        errors.append({"field": "year", "message": "年度应在 2000–2100 之间"})
    if errors:
        raise ValidationFailed("；".join(e["message"] for e in errors), details=errors)
    years = int(year) - source.year
    with transaction.atomic():
        plan = Plan.objects.create(code=code, year=year, title=title, unit=source.unit, summary=source.summary,
                                   source=f"以《{source.title}》为基础", status=Plan.Status.ACTIVE, created_by=actor)
        areas = {a.pk: Area.objects.create(plan=plan, seq=a.seq, title=a.title, summary=a.summary)
                 for a in source.areas.all()}
        for t in source.tasks.prefetch_related("co_units", "milestones", "targets").order_by("area__seq", "seq"):
            new = Task.objects.create(plan=plan, area=areas[t.area_id], code=t.code, seq=t.seq, title=t.title,
                                      description=t.description, lead_unit_id=t.lead_unit_id,
                                      lead_person_id=t.lead_person_id, leader_id=t.leader_id,
                                      due_on=_shift_year(t.due_on, years))
            new.co_units.set(t.co_units.all())
            Milestone.objects.bulk_create([Milestone(task=new, seq=m.seq, title=m.title,
                                                     due_on=_shift_year(m.due_on, years))
                                           for m in t.milestones.all()])
            Target.objects.bulk_create([Target(task=new, seq=g.seq, label=g.label, kind=g.kind, direction=g.direction,
                                               goal=g.goal, unit_label=g.unit_label, metric=g.metric)
                                        for g in t.targets.all()])
        audit.record(actor=actor, action="workplan.plan.created", obj=plan, unit=plan.unit,
                     changes={"copied_from": [None, source.code], "year": [None, int(year)],
                              "tasks": [None, plan.tasks.count()]})
    return plan


TASK_FIELDS = ("title", "description", "lead_unit", "lead_person", "leader", "due_on")


def task_update(*, actor, task: Task, form, milestones, targets) -> Task:
    """Save the office's changes to a task (its fields, co-operating units, milestones and targets) with one audit
    entry listing what changed. ``form`` and the two formsets are validated Django forms."""
    from .models import ProgressReport

    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        before = audit.snapshot(locked, TASK_FIELDS)
        before_co = sorted(locked.co_units.values_list("pk", flat=True))
        for f in milestones.deleted_forms:
            m = f.instance
            if m.pk and ProgressReport.objects.filter(milestone=m).exists():
                raise DomainError(f"节点「{m.title}」已有进展报告，不能删除（可修改时限或名称）", field="milestones")
        form.save()
        ms = milestones.save(commit=False)
        for m in milestones.deleted_objects:
            m.delete()
        next_seq = (task.milestones.order_by("-seq").values_list("seq", flat=True).first() or 0)
        for m in ms:
            if not m.pk:
                next_seq += 1
                m.task, m.seq = task, next_seq
            if m.is_done:
                m.overdue = False
            m.save()
        gs = targets.save(commit=False)
        for g in targets.deleted_objects:
            g.delete()
        next_seq = (task.targets.order_by("-seq").values_list("seq", flat=True).first() or 0)
        for g in gs:
            if not g.pk:
                next_seq += 1
                g.task, g.seq = task, next_seq
            g.save()
        today = timezone.localdate()
        for m in task.milestones.all():
            overdue = not m.is_done and m.due_on < today
            if m.overdue != overdue:
                Milestone.objects.filter(pk=m.pk).update(overdue=overdue)
        task.late = task.milestones.filter(status=Milestone.Status.OPEN, due_on__lt=today).exists()
        task.save(update_fields=["late", "updated_at"])
        after = audit.snapshot(task, TASK_FIELDS)
        after_co = sorted(task.co_units.values_list("pk", flat=True))
        changes = audit.diff(before, after)
        if before_co != after_co:
            changes["co_units"] = [before_co, after_co]
        changes["milestones"] = [None, [[m.seq, m.title, m.due_on] for m in task.milestones.all()]]
        changes["targets"] = [None, [[g.seq, g.label, g.goal, g.metric] for g in task.targets.all()]]
        audit.record(actor=actor, action="workplan.task.updated", obj=task, unit=task.lead_unit, changes=changes)
    return task
