"""Enforcement: for now only the lead (案源/线索) that other modules hand over for checking.

A lead is where an enforcement case begins (SAMR Order 2, docs/domain §5): it comes from an inspection, a
complaint, a report, monitoring, a referral or is entered by hand; it is checked and, within 15 working days of
discovery (rule ``enforcement.lead_filing_days``), the unit decides whether to file a case. The full enforcement
module (cases, clocks, documents, penalties) grows from this model; the fields here are the stable interface that
inspections, complaints and others write through ``services.lead_create``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit


class LeadSource(models.TextChoices):
    INSPECTION = "inspection", "监督检查（双随机抽查等）"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    MONITORING = "monitoring", "监测（抽检、网络监测等）"
    REFERRAL = "referral", "移送、交办"
    MANUAL = "manual", "其他（自行发现）"


class LeadStatus(models.TextChoices):
    NEW = "new", "待核查"
    CHECKING = "checking", "核查中"
    FILED = "filed", "已立案"
    NOT_FILED = "not_filed", "不予立案"
    TRANSFERRED = "transferred", "已移送"


class Lead(models.Model):
    """A lead (案源): something that may be a violation and must be checked before deciding whether to file a case.

    ``source_type``/``source_id`` name the record the lead came from (e.g. "inspections.task", "42") without a foreign
    key, so any module can hand over leads; the pair is unique, which makes handing over idempotent. ``entity`` is
    empty when the lead concerns a business that is not registered (an unlicensed stall): ``party_name`` and
    ``party_address`` then say who and where.
    """

    source_kind = models.CharField("线索来源", max_length=12, choices=LeadSource.choices)
    source_type = models.CharField("来源记录类型", max_length=60, blank=True)
    source_id = models.CharField("来源记录编号", max_length=64, blank=True)
    entity = models.ForeignKey("registry.Entity", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="leads", verbose_name="涉及市场主体")
    party_name = models.CharField("当事人名称", max_length=200, blank=True, help_text="未登记主体时填写")
    party_address = models.CharField("当事人地址", max_length=200, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="leads", verbose_name="承办单位")
    description = models.TextField("线索内容")
    discovered_on = models.DateField("发现日期")
    filing_deadline = models.DateField("立案决定期限", null=True, blank=True,
                                       help_text="发现之日起 15 个工作日（规则 enforcement.lead_filing_days）；"
                                                 "日历尚未录入时为空，由每日任务补算")
    status = models.CharField("状态", max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        ordering = ["-discovered_on", "-id"]
        verbose_name = verbose_name_plural = "案源线索"
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], condition=~models.Q(source_id=""),
                                    name="lead_source_unique"),
            models.CheckConstraint(condition=models.Q(entity__isnull=False) | ~models.Q(party_name=""),
                                   name="lead_has_party"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="lead_unit_status")]

    def __str__(self) -> str:
        return f"线索 #{self.pk} {self.party}"

    @property
    def party(self) -> str:
        return self.entity.name if self.entity_id else self.party_name
