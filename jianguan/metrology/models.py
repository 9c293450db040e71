"""Metrology (计量): instruments under compulsory verification (强制检定) per owner, their verification records
and the stored next due date (for one indexed due/overdue list per unit), and campaigns (fuel stations, market
scales) as a named set of instrument kinds over a period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity

from .rules import KINDS


class Instrument(models.Model):
    class Status(models.TextChoices):
        IN_USE = "in_use", "在用"
        STOPPED = "stopped", "停用"
        SCRAPPED = "scrapped", "报废"

    serial = models.CharField("出厂编号", max_length=40, unique=True)
    kind = models.CharField("器具种类", max_length=20, choices=list(KINDS.items()))
    model = models.CharField("型号规格", max_length=60, blank=True)
    owner = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="instruments", verbose_name="使用单位")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    location = models.CharField("使用地点", max_length=200)
    commissioned_on = models.DateField("启用日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.IN_USE)
    last_verified_on = models.DateField("上次检定日期", null=True, blank=True)
    last_conclusion = models.CharField("上次检定结论", max_length=10, blank=True)
    next_due = models.DateField("下次检定日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["serial"]
        verbose_name = verbose_name_plural = "强制检定计量器具"
        indexes = [models.Index(fields=["unit", "next_due"], name="metro_unit_due",
                                condition=Q(status="in_use", next_due__isnull=False))]
        permissions = [("manage_instrument", "登记计量器具和检定记录")]

    def __str__(self) -> str:
        return f"{self.serial} {self.get_kind_display()}"


class Verification(models.Model):
    class Conclusion(models.TextChoices):
        PASSED = "passed", "合格"
        FAILED = "failed", "不合格"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="verifications")
    verified_on = models.DateField("检定日期")
    body = models.CharField("检定机构", max_length=100)
    certificate_no = models.CharField("检定证书/通知书编号", max_length=40)
    conclusion = models.CharField("结论", max_length=10, choices=Conclusion.choices)
    next_due = models.DateField("下次检定日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument", "-verified_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "certificate_no"], name="metro_cert_once")]

    def __str__(self) -> str:
        return f"{self.verified_on} {self.get_conclusion_display()}"


class Campaign(models.Model):
    title = models.CharField("名称", max_length=100)
    kinds = models.JSONField("器具种类", default=list)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title
