"""Credit supervision: annual reports, lists, repair, credit risk classes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from jianguan.registry.models import Entity


class RiskClass(models.TextChoices):
    A = "A", "A 低风险"
    B = "B", "B 一般风险"
    C = "C", "C 较高风险"
    D = "D", "D 高风险"


class EntityRisk(models.Model):
    """The current credit risk class of an entity, with the points that made it (stable interface for other apps).

    ``reasons`` is a list of {"code", "label", "points"}; e.g. {"code": "abnormal_list", "label": "列入经营异常名录",
    "points": 30}. Inspections read ``risk_class`` to stratify their draws.
    """

    entity = models.OneToOneField(Entity, on_delete=models.CASCADE, primary_key=True, related_name="risk")
    risk_class = models.CharField("风险分类", max_length=1, choices=RiskClass.choices, db_index=True)
    score = models.IntegerField("分值")
    reasons = models.JSONField("依据", default=list)
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "信用风险分类"

    def __str__(self) -> str:
        return f"{self.entity_id} {self.risk_class}"
