"""Food safety supervision (食品安全监管, #18).

- Henan's 三小 (``SmallRegistration``): the county bureau's 食品小作坊登记证 and 小经营店/小摊点 登记卡, each with the
  bureau's own number, a validity, renewal (the same number, a later expiry) and cancellation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.fields import BlindIndexField, EncryptedTextField
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
    # Often the operator's home (a workshop, a stall): encrypted at rest (#14); the same-place check and the
    # register's search find it by its keyed hash. Pages, the public list and open data read it through the model.
    address = EncryptedTextField("生产经营场所/摊点位置", max_length=200)
    address_hash = BlindIndexField(source="address", db_index=True)
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


# --- catering quantified grading (餐饮服务食品安全量化分级) ---------------------------------------------------------


class Grade(models.TextChoices):
    """The dynamic grade of one inspection, shown as faces."""

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"


FACES = {Grade.EXCELLENT: "大笑", Grade.GOOD: "微笑", Grade.FAIR: "平脸"}


class AnnualGradeLevel(models.TextChoices):
    A = "A", "A级"
    B = "B", "B级"
    C = "C", "C级"


class GradingInspection(models.Model):
    """One grading inspection of a caterer: the checklist answers (every item of the rule in force), the score and
    the dynamic grade computed from them. Public once recorded (the grade is posted at the shop's door)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="food_gradings",
                               verbose_name="餐饮服务提供者")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    inspected_on = models.DateField("检查日期")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="检查人员")
    answers = models.JSONField("检查表", help_text="[{code, label, weight, key, conform}]，按检查时的规则保存")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1)
    grade = models.CharField("动态等级", max_length=10, choices=Grade.choices)
    note = models.CharField("检查意见", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = verbose_name_plural = "量化分级检查"
        permissions = [("grade_catering", "餐饮量化分级检查评定")]
        indexes = [models.Index(fields=["entity", "inspected_on"], name="food_grading_entity_day"),
                   models.Index(fields=["inspected_on", "entity"], name="food_grading_day_entity")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.inspected_on} {self.get_grade_display()}"

    @property
    def face(self) -> str:
        return FACES[self.grade]


class AnnualGrade(models.Model):
    """A caterer's annual grade over the 12 months up to ``as_of`` (recomputed set-based by the daily job and
    after each inspection of the caterer)."""

    entity = models.OneToOneField(Entity, on_delete=models.CASCADE, related_name="food_annual_grade",
                                  verbose_name="餐饮服务提供者")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    as_of = models.DateField("评定截止日")
    level = models.CharField("年度等级", max_length=1, choices=AnnualGradeLevel.choices)
    average = models.DecimalField("平均得分", max_digits=5, decimal_places=1)
    inspections = models.PositiveIntegerField("检查次数")
    fair_count = models.PositiveIntegerField("一般次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "年度等级"

    def __str__(self) -> str:
        return f"{self.entity_id} {self.level}"


# --- 明厨亮灶 / 示范店 designations ----------------------------------------------------------------------------------


class DesignationKind(models.TextChoices):
    BRIGHT_KITCHEN = "bright_kitchen", "明厨亮灶"
    DEMO_SHOP = "demo_shop", "餐饮服务食品安全示范店"


class DesignationStatus(models.TextChoices):
    APPLIED = "applied", "待评审"
    APPROVED = "approved", "已认定"
    REJECTED = "rejected", "未通过"
    EXPIRED = "expired", "已到期"


class Designation(models.Model):
    """A caterer's designation: the criteria of the kind (rule) checked at review; approved ones are public until
    their expiry."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="food_designations",
                               verbose_name="餐饮服务提供者")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    kind = models.CharField("认定类别", max_length=20, choices=DesignationKind.choices)
    applied_on = models.DateField("申报日期")
    status = models.CharField("状态", max_length=10, choices=DesignationStatus.choices,
                              default=DesignationStatus.APPLIED)
    criteria = models.JSONField("评审标准", default=list, help_text="[{code, label, met}]，按评审时的规则保存")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="评审人")
    reviewed_on = models.DateField("评审日期", null=True, blank=True)
    review_note = models.CharField("评审意见", max_length=300, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = verbose_name_plural = "明厨亮灶和示范店认定"
        permissions = [("review_designation", "评审明厨亮灶和示范店")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_kind_display()}"


# --- 不合格食品核查处置 and 食品召回 ---------------------------------------------------------------------------------


class DisposalSource(models.TextChoices):
    SAMPLE = "sample", "监督抽检不合格"
    COMPLAINT = "complaint", "投诉举报"


class RecallLevel(models.TextChoices):
    ONE = "1", "一级召回"
    TWO = "2", "二级召回"
    THREE = "3", "三级召回"


class DisposalStatus(models.TextChoices):
    OPEN = "open", "核查处置中"
    CLOSED = "closed", "已办结"


class Disposal(models.Model):
    """The follow-up of an unsafe food: from a failed food sample or a food complaint, the producer's or seller's
    risk-control measures (each step of rule ``food.disposal_steps`` with its date), a recall where one is ordered
    (its level, the hours to start it and the working days to complete it from the announcement), the bureau's
    own deadline to finish, a lead to enforcement, and the conclusion published when closed."""

    number = models.CharField("核查处置编号", max_length=30, unique=True)
    source = models.CharField("来源", max_length=10, choices=DisposalSource.choices)
    sample = models.OneToOneField("sampling.Sample", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="food_disposal", verbose_name="不合格样品")
    complaint = models.OneToOneField("complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="food_disposal", verbose_name="投诉举报")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="food_disposals",
                               verbose_name="食品生产经营者")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="核查处置单位")
    product = models.CharField("食品名称", max_length=100)
    batch_no = models.CharField("批号/生产日期", max_length=60, blank=True)
    problem = models.CharField("不合格项目或问题", max_length=300)
    opened_on = models.DateField("启动日期")
    due_on = models.DateField("核查处置期限", db_index=True)
    calendar_pending = models.BooleanField("期限待节假日确定", default=False)
    steps = models.JSONField("风险控制措施", default=list, help_text="[{code, label, required, done_on, note}]")
    recall_level = models.CharField("召回级别", max_length=1, choices=RecallLevel.choices, blank=True)
    recall_known_at = models.DateTimeField("知悉食品安全风险时间", null=True, blank=True)
    recall_start_due = models.DateTimeField("启动召回期限", null=True, blank=True)
    recall_started_at = models.DateTimeField("启动召回时间", null=True, blank=True)
    recall_announced_on = models.DateField("召回公告发布日期", null=True, blank=True)
    recall_complete_due = models.DateField("完成召回期限", null=True, blank=True)
    recall_completed_on = models.DateField("完成召回日期", null=True, blank=True)
    recall_result = models.CharField("召回数量和处置情况", max_length=300, blank=True)
    lead_id = models.BigIntegerField("执法线索", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=DisposalStatus.choices, default=DisposalStatus.OPEN)
    conclusion = models.CharField("核查处置结论", max_length=500, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = verbose_name_plural = "不合格食品核查处置"
        permissions = [("handle_disposal", "办理不合格食品核查处置和召回")]
        indexes = [models.Index(fields=["status", "due_on"], name="food_disposal_open_due")]
        constraints = [models.CheckConstraint(
            condition=(models.Q(source="sample", sample__isnull=False, complaint__isnull=True)
                       | models.Q(source="complaint", complaint__isnull=False, sample__isnull=True)),
            name="food_disposal_one_source")]

    def __str__(self) -> str:
        return f"{self.number} {self.product}"

    @property
    def public_recall(self) -> bool:
        """The recall announcement is public once issued (食品召回管理办法: the notice is published)."""
        return bool(self.recall_announced_on)
