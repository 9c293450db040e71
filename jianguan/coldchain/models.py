"""Imported cold-chain food (进口冷链食品): batches with their four documents and tracing code, every movement in or
out of a holder, and traces of a positive or recalled batch with a closed-loop task list per holder.

A movement is recorded by the holder it concerns (``holder``); ``counterparty`` is where it came from (in) or went
to (out). The trace follows those edges upstream and downstream (``trace.py``, one recursive CTE).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity


class BatchStatus(models.TextChoices):
    NORMAL = "normal", "正常流通"
    POSITIVE = "positive", "检出阳性"
    RECALLED = "recalled", "召回"


class Batch(models.Model):
    tracing_code = models.CharField("追溯码", max_length=40, unique=True)
    product = models.CharField("品名", max_length=100)
    origin_country = models.CharField("原产国（地区）", max_length=40)
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=3)
    measure = models.CharField("计量单位", max_length=8, default="kg")
    importer = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name="进口商/首站")
    customs_declaration = models.CharField("报关单号", max_length=40)
    quarantine_certificate = models.CharField("入境货物检验检疫证明编号", max_length=40)
    nucleic_acid_report = models.CharField("核酸检测报告编号", max_length=40)
    disinfection_certificate = models.CharField("消毒证明编号", max_length=40)
    entered_on = models.DateField("入境日期")
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.NORMAL)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-entered_on", "tracing_code"]
        verbose_name = verbose_name_plural = "进口冷链食品批次"
        permissions = [("manage_batch", "登记批次和出入库记录"), ("trace_batch", "启动追溯和处置")]

    def __str__(self) -> str:
        return f"{self.tracing_code} {self.product}"


class Direction(models.TextChoices):
    IN = "in", "入库"
    OUT = "out", "出库"


class Movement(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="movements")
    holder = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name="持有单位")
    direction = models.CharField("方向", max_length=3, choices=Direction.choices)
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=3)
    moved_on = models.DateField("日期")
    counterparty = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="来源/去向单位")
    note = models.CharField("备注", max_length=200, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["batch", "moved_on", "id"]
        verbose_name = verbose_name_plural = "出入库记录"
        indexes = [
            # the trace walks a batch's edges both ways: from a holder (out) and into a holder (in)
            models.Index(fields=["batch", "holder", "direction"], name="cc_move_batch_holder"),
            models.Index(fields=["batch", "counterparty", "direction"], name="cc_move_batch_party"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.get_direction_display()} {self.quantity}"


class Reason(models.TextChoices):
    POSITIVE = "positive", "检出新冠病毒核酸阳性"
    RECALL = "recall", "召回（不符合食品安全标准）"


class Incident(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="incidents")
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    origin = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name="发现环节（持有单位）")
    detected_on = models.DateField("发现日期")
    note = models.CharField("情况说明", max_length=500, blank=True)
    started_at = models.DateTimeField("启动追溯时间", default=timezone.now)
    closed_at = models.DateTimeField("闭环时间", null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = "追溯处置"
        constraints = [
            # one open trace per batch: a double click or a second report joins the open one
            models.UniqueConstraint(fields=["batch"], condition=models.Q(closed_at__isnull=True),
                                    name="cc_incident_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.batch.tracing_code} {self.get_reason_display()}"


class Place(models.TextChoices):
    ORIGIN = "origin", "发现环节"
    UP = "up", "上游"
    DOWN = "down", "下游"
    SAME = "same", "同批次其他持有单位"


class TraceHolder(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="holders")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    place = models.CharField("环节", max_length=6, choices=Place.choices)
    hops = models.PositiveIntegerField("距发现环节的流转次数", null=True)
    held = models.DecimalField("追溯时在库数量", max_digits=14, decimal_places=3)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["incident", "place", "hops", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "entity"], name="cc_trace_holder_once")]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.entity_id} {self.place}"


class Task(models.Model):
    holder = models.ForeignKey(TraceHolder, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField("任务", max_length=10)
    due_at = models.DateTimeField("时限")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    result = models.CharField("处置结果", max_length=300, blank=True)
    #: the holder's own report back on the portal; the task is done only when staff confirm it (``task_complete``)
    report = models.CharField("单位报告", max_length=300, blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["holder", "due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["holder", "kind"], name="cc_task_once")]
        indexes = [models.Index(fields=["due_at"], name="cc_task_open_due", condition=models.Q(done_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.holder_id} {self.label}"

    @property
    def label(self) -> str:
        from .rules import TASK_LABELS

        return TASK_LABELS.get(self.kind, self.kind)
