"""The bureau's key-work plan (重点工作计划) and its supervision (督查督办).

A plan is a tree: plan → area (领域, e.g. "深化两项重点改革") → task (任务, with a lead unit, a responsible person,
co-operating units and measurable targets) → milestone (节点, with a date). A target is either read live from the
data through a registered metric (``metrics.py``) or reported by the unit and accepted by the office; it is never
typed into the plan itself.

Units report progress (text, figures for the reported targets, evidence files); the supervision office accepts or
returns each report. The daily sweep flags overdue milestones and writes the notices that escalate them to the
unit head and the leader, and reminds before the due date.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.core.storage import encrypted_media


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        ACTIVE = "active", "执行中"
        CLOSED = "closed", "已总结归档"

    code = models.CharField("计划编号", max_length=40, unique=True)
    year = models.PositiveIntegerField("年度", db_index=True)
    title = models.CharField("计划名称", max_length=200)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="制定单位")
    summary = models.TextField("总体要求", blank=True)
    source = models.CharField("依据/出处", max_length=300, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = verbose_name_plural = "重点工作计划"
        permissions = [
            ("manage_plan", "制定和调整重点工作计划"),
            ("report_progress", "报送重点工作进展"),
            ("review_report", "审核重点工作进展（督查督办）"),
            ("export_plan_report", "生成重点工作推进情况通报"),
        ]

    def __str__(self) -> str:
        return self.title


class Area(models.Model):
    """A heading of the plan: "打造一流营商环境", "深化两项重点改革", …"""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    seq = models.PositiveSmallIntegerField("序号")
    title = models.CharField("名称", max_length=100)
    summary = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["plan", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="workplan_area_seq")]
        verbose_name = verbose_name_plural = "工作领域"

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "未启动"
        ONGOING = "ongoing", "推进中"
        DONE = "done", "已完成"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField("编号", max_length=12, help_text="如 2.1")
    seq = models.PositiveSmallIntegerField("序号")
    title = models.CharField("任务", max_length=200)
    description = models.TextField("具体内容", blank=True)
    lead_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="workplan_tasks",
                                  verbose_name="牵头单位")
    co_units = models.ManyToManyField(OrgUnit, blank=True, related_name="workplan_co_tasks", verbose_name="配合单位")
    lead_person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="workplan_tasks", verbose_name="责任人")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="workplan_led_tasks", verbose_name="分管领导")
    due_on = models.DateField("完成时限")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    late = models.BooleanField("有逾期节点", default=False, db_index=True,
                               help_text="由每日作业标记：有节点已过期限而未完成")
    done_on = models.DateField("完成日期", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "area__seq", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="workplan_task_code")]
        indexes = [models.Index(fields=["plan", "lead_unit"], name="workplan_task_plan_unit")]
        verbose_name = verbose_name_plural = "重点任务"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Milestone(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "未完成"
        DONE = "done", "已完成"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField("序号")
    title = models.CharField("节点", max_length=200)
    due_on = models.DateField("节点时限", db_index=True)
    status = models.CharField("状态", max_length=6, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField("完成日期", null=True, blank=True)
    overdue = models.BooleanField("逾期", default=False, help_text="由每日作业标记：时限已过而未完成")

    class Meta:
        ordering = ["task", "seq"]
        constraints = [models.UniqueConstraint(fields=["task", "seq"], name="workplan_milestone_seq")]
        indexes = [models.Index(fields=["status", "due_on"], name="workplan_milestone_open_due")]
        verbose_name = verbose_name_plural = "任务节点"

    def __str__(self) -> str:
        return f"{self.task.code}-{self.seq} {self.title}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class Target(models.Model):
    """A measurable target. ``metric`` names a registered metric (read live); empty: the unit reports the figure."""

    class Kind(models.TextChoices):
        NUMBER = "number", "数值"
        PERCENT = "percent", "百分比"
        YESNO = "yesno", "是/否"

    class Direction(models.TextChoices):
        AT_LEAST = "ge", "不低于"
        AT_MOST = "le", "不高于"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    seq = models.PositiveSmallIntegerField("序号")
    label = models.CharField("指标", max_length=120)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.NUMBER)
    direction = models.CharField("方向", max_length=2, choices=Direction.choices, default=Direction.AT_LEAST)
    goal = models.DecimalField("目标值", max_digits=14, decimal_places=2, default=Decimal(1),
                               help_text="是/否指标：1 表示“是”")
    unit_label = models.CharField("计量单位", max_length=12, blank=True, help_text="如 %、户、件、小时")
    metric = models.CharField("数据来源指标", max_length=80, blank=True,
                              help_text="已登记的系统指标代码；为空则由牵头单位报送、督查室审核")
    reported_value = models.DecimalField("报送值", max_digits=14, decimal_places=2, null=True, blank=True)
    reported_on = models.DateField("报送值日期", null=True, blank=True)

    class Meta:
        ordering = ["task", "seq"]
        constraints = [models.UniqueConstraint(fields=["task", "seq"], name="workplan_target_seq")]
        verbose_name = verbose_name_plural = "量化指标"

    def __str__(self) -> str:
        return self.label

    @property
    def is_live(self) -> bool:
        return bool(self.metric)

    def met(self, value: Decimal | None) -> bool | None:
        """Whether ``value`` meets the target (None: no value yet)."""
        if value is None:
            return None
        value = Decimal(value)
        if self.direction == self.Direction.AT_MOST:
            return value <= self.goal
        return value >= self.goal


class ProgressReport(models.Model):
    """A unit's report on a task: what was done, the figures of its reported targets, evidence files."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        ACCEPTED = "accepted", "已审核通过"
        RETURNED = "returned", "已退回"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports",
                                  verbose_name="对应节点")
    completes_milestone = models.BooleanField("报告节点已完成", default=False)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="报送单位")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="报送人")
    text = models.TextField("进展情况")
    progress = models.PositiveSmallIntegerField("完成进度（%）")
    values = models.JSONField("指标报送值", default=dict, blank=True, help_text="{指标编号: 数值}")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    submitted_on = models.DateField("报送日期", default=timezone.localdate)
    submitted_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = "进展报告"

    def __str__(self) -> str:
        return f"{self.task.code} 进展报告（{self.submitted_on}）"


class ReportFile(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="workplan/%Y/%m/", storage=encrypted_media)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.original_name


class Notice(models.Model):
    """A supervision notice (督办提醒) to one person about one milestone, written once by the sweep."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "到期提醒"
        OVERDUE = "overdue", "逾期督办"
        TO_HEAD = "to_head", "逾期督办（单位负责人）"
        TO_LEADER = "to_leader", "逾期督办（分管领导）"
        RETURNED = "returned", "进展报告被退回"

    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notices")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workplan_notices")
    message = models.CharField("内容", max_length=300)
    sent_on = models.DateField("日期")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "kind", "recipient"], condition=models.Q(report__isnull=True),
                                    name="workplan_notice_once"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="workplan_notice_unread")]
        verbose_name = verbose_name_plural = "督办提醒"

    def __str__(self) -> str:
        return self.message


class MetricReading(models.Model):
    """The last computed value of a metric for a scope and year (the live figures are cached here, with their age)."""

    key = models.CharField(max_length=80)
    scope_key = models.CharField(max_length=64)
    year = models.PositiveIntegerField()
    value = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    numerator = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    note = models.CharField(max_length=200, blank=True)
    computed_at = models.DateTimeField()
    took_ms = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "scope_key", "year"], name="workplan_reading_once")]
        verbose_name = verbose_name_plural = "指标计算结果"

    def __str__(self) -> str:
        return f"{self.key}@{self.scope_key}/{self.year}={self.value}"
