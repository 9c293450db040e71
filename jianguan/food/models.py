"""Food safety supervision (食品安全监管, #18).

- Henan's 三小 (``SmallRegistration``): the county bureau's 食品小作坊登记证 and 小经营店/小摊点 登记卡, each with the
  bureau's own number, a validity, renewal (the same number, a later expiry) and cancellation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity


class SmallKind(models.TextChoices):
    WORKSHOP = "workshop", "食品小作坊登记证"
    SHOP = "shop", "小经营店登记卡"
    STALL = "stall", "小摊点登记卡"


#: the number's prefix per kind (豫 + 食 + 坊/店/摊): the bureau's own numbering, not a licence number
NUMBER_PREFIX = {SmallKind.WORKSHOP: "豫食坊", SmallKind.SHOP: "豫食店", SmallKind.STALL: "豫食摊"}


class SmallStatus(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "已过期"
    CANCELLED = "cancelled", "已注销"


class SmallRegistration(models.Model):
    kind = models.CharField("登记类别", max_length=10, choices=SmallKind.choices)
    number = models.CharField("登记编号", max_length=40, unique=True)
    name = models.CharField("名称（字号）", max_length=100)
    operator = models.CharField("经营者", max_length=50)  # a person's name: never shown on public pages
    address = models.CharField("生产经营场所/摊点位置", max_length=200)
    category = models.CharField("生产经营品种", max_length=200)
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="市场主体")
    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="登记机关")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至", db_index=True)
    renewals = models.PositiveSmallIntegerField("延续次数", default=0)
    status = models.CharField("状态", max_length=10, choices=SmallStatus.choices, default=SmallStatus.VALID)
    cancelled_on = models.DateField("注销日期", null=True, blank=True)
    cancel_reason = models.CharField("注销原因", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = verbose_name_plural = "食品三小登记"
        permissions = [("manage_small", "办理三小登记、延续和注销")]
        indexes = [models.Index(fields=["unit", "status", "valid_until"], name="food_small_unit_due")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
