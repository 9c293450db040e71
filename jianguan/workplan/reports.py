"""The monthly and quarterly progress report of a plan (重点工作推进情况通报), as Word (docxtpl over
``docx/progress_report.docx``) and as PDF (WeasyPrint over its HTML twin, Noto CJK fonts).

The state reported is the state at the end of the period, rebuilt from the records: a milestone counts as done if
it was done by then, as overdue if its date had passed and it was not; a task's progress is that of its last report
accepted by then. The figures of live targets are those computed when the report is generated (their time is
printed).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from dataclasses import dataclass

import jinja2
from django.template.loader import render_to_string
from docxtpl import DocxTemplate

from . import selectors
from .docx.build import TEMPLATE
from .models import Plan, ProgressReport

QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    number: int
    kind: str  # month | quarter

    @property
    def code(self) -> str:
        return f"{self.start.year}-{self.number:02d}" if self.kind == "month" else f"{self.start.year}-Q{self.number}"


def parse_period(text: str) -> Period:
    """``2026-11`` (a month) or ``2026-Q4`` (a quarter); ValueError with a Chinese message otherwise."""
    m = re.fullmatch(r"(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))", (text or "").strip())
    if not m:
        raise ValueError("期间格式应为 2026-11（月报）或 2026-Q4（季报）")
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        last = calendar.monthrange(year, month)[1]
        return Period(dt.date(year, month, 1), dt.date(year, month, last), f"{year}年{month}月", month, "month")
    q = int(m.group(3))
    first = 3 * q - 2
    last = calendar.monthrange(year, first + 2)[1]
    return Period(dt.date(year, first, 1), dt.date(year, first + 2, last), f"{year}年{QUARTERS[q]}", q, "quarter")


def _fmt(value, unit: str, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "yesno":
        return "是" if value else "否"
    return f"{value.normalize():f}{unit}" if hasattr(value, "normalize") else f"{value}{unit}"


def context(user, plan: Plan, period: Period, *, today: dt.date, bureau: str = "") -> dict:
    """Everything the report shows, as plain strings (the same dict feeds Word and PDF)."""
    tree = selectors.plan_tree(user, plan, today=today)
    end = min(period.end, today)
    task_ids = [row.task.pk for _a, rows in tree.areas for row in rows]
    accepted = (ProgressReport.objects.filter(task_id__in=task_ids, status=ProgressReport.Status.ACCEPTED,
                                              submitted_on__lte=end)
                .order_by("task_id", "submitted_on", "id").values_list("task_id", "progress"))
    progress_at_end = dict(accepted)  # the last accepted report by the end of the period
    in_period = list(ProgressReport.objects.filter(task_id__in=task_ids, submitted_on__range=(period.start, end))
                     .select_related("task", "unit").order_by("task__area__seq", "task__seq", "submitted_on"))
    tasks, late, counts = [], [], {"done": 0, "ongoing": 0, "planned": 0, "late": 0}
    ms_total = ms_done = 0
    for _area, rows in tree.areas:
        for row in rows:
            t = row.task
            ms = row.milestones
            done_by_end = [m for m in ms if m.is_done and m.done_on and m.done_on <= end]
            overdue = [m for m in ms if m.due_on < end and not (m.is_done and m.done_on and m.done_on <= end)]
            ms_total += len(ms)
            ms_done += len(done_by_end)
            prog = progress_at_end.get(t.pk, 0)
            if len(done_by_end) == len(ms) and prog >= 100:
                status = "done"
            elif prog or done_by_end:
                status = "ongoing"
            else:
                status = "planned"
            counts[status] += 1
            if overdue:
                counts["late"] += 1
            targets = "；".join(
                f"{r.target.label}：目标{'不高于' if r.target.direction == 'le' else ''}"
                f"{_fmt(r.target.goal, r.target.unit_label, r.target.kind)}，"
                f"完成{_fmt(r.value, r.target.unit_label, r.target.kind)}"
                f"{'（系统统计）' if r.live else ''}{'，已达标' if r.met else '，未达标' if r.met is False else ''}"
                for r in row.targets)
            label = {"done": "已完成", "ongoing": "推进中", "planned": "未启动"}[status]
            tasks.append({"code": t.code, "title": t.title, "unit": t.lead_unit.short_name or t.lead_unit.name,
                          "progress": prog, "targets": targets, "status": label + ("（逾期）" if overdue else "")})
            for m in overdue:
                late.append({"code": f"{t.code}-{m.seq}", "title": f"{t.title}：{m.title}",
                             "unit": t.lead_unit.short_name or t.lead_unit.name, "due": m.due_on.isoformat(),
                             "days": (end - m.due_on).days})
    s = tree.summary
    n = len(tasks)
    overall = (f"截至{end.year}年{end.month}月{end.day}日，计划{n}项重点任务中，已完成{counts['done']}项，"
               f"推进中{counts['ongoing']}项，未启动{counts['planned']}项；{ms_total}个任务节点已完成{ms_done}个，"
               f"有逾期节点的任务{counts['late']}项。")
    targets_text = (f"量化指标{s['targets']}项，已达标{s['met']}项，未达标{s['unmet']}项，尚无数据{s['pending']}项。"
                    + (f"系统指标计算于{tree.readings_at.astimezone():%Y-%m-%d %H:%M}。" if tree.readings_at else ""))
    reports = [{"line": f"{r.task.code} {r.task.title}（{r.unit.short_name or r.unit.name}，{r.submitted_on:%m月%d日}，"
                        f"{r.get_status_display()}）：{r.text}"} for r in in_period]
    return {
        "authority": bureau or plan.unit.name,
        "title": f"{plan.year}年重点工作推进情况通报",
        "number": f"（{period.label}）",
        "intro": f"根据《{plan.title}》和督查督办工作安排，现将{period.label}全局重点工作推进情况通报如下。",
        "overall": overall,
        "targets_text": targets_text,
        "tasks": tasks,
        "late": late,
        "late_text": (f"截至本期末，共有{len(late)}个任务节点逾期未完成，请牵头单位于5个工作日内说明原因、"
                      f"提出整改措施并报送进展。" if late else "本期无逾期未完成的任务节点。"),
        "reports_text": f"本期共收到进展报告{len(in_period)}份，其中审核通过"
                        f"{sum(r.status == ProgressReport.Status.ACCEPTED for r in in_period)}份，退回"
                        f"{sum(r.status == ProgressReport.Status.RETURNED for r in in_period)}份。",
        "reports": reports,
        "closing": "各牵头单位要对照任务节点和量化指标，逐项抓好落实，做到件件落地、事事见效；配合单位要主动协同；"
                   "督查室将持续跟踪督办，逾期事项提请分管领导督办。",
        "signer": f"{plan.unit.short_name or plan.unit.name}办公室（督查室）",
        "date": f"{today.year}年{today.month}月{today.day}日",
        "footnote": "注：标注“系统统计”的指标由监管平台根据业务数据自动计算，可在平台中查看明细。",
        "period": period.code,
    }


def render_docx(ctx: dict) -> bytes:
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.render(ctx, jinja_env=jinja2.Environment(undefined=jinja2.ChainableUndefined), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render_html(ctx: dict) -> str:
    return render_to_string("workplan/report_print.html", ctx)


def render_pdf(ctx: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(ctx)).write_pdf()

