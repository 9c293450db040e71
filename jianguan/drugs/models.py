"""Drugs, medical devices and cosmetics (药品、医疗器械、化妆品) in the city's hands: retail pharmacies and use units
(hospitals, clinics) as supervised objects with their licences, focus lists of high-risk products whose holders are
drawn more often in the double-random plans, campaigns (专项检查) as tagged inspection plans, and adverse-event
reports received and routed to the district bureau with the review clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity, Licence


class ObjectKind(models.TextChoices):
    PHARMACY = "pharmacy", "零售药店"
    CHAIN_STORE = "chain_store", "连锁药店门店"
    DEVICE_SHOP = "device_shop", "医疗器械经营企业"
    HOSPITAL = "hospital", "医疗机构（医院）"
    CLINIC = "clinic", "诊所、卫生室"


#: kinds that are use units (使用单位): licensed by the health commission, not by this bureau's registry
USE_UNITS = (ObjectKind.HOSPITAL, ObjectKind.CLINIC)


class SupervisedObject(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name="市场主体")
    kind = models.CharField("类别", max_length=12, choices=ObjectKind.choices)
    licence = models.ForeignKey(Licence, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name="药品/医疗器械经营许可证")
    practice_licence_no = models.CharField("医疗机构执业许可证登记号", max_length=40, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "entity__name"]
        verbose_name = verbose_name_plural = "药品监管对象"
        permissions = [("manage_object", "登记药品监管对象、重点品种和专项检查"),
                       ("handle_event", "接收、审核评价不良反应/不良事件报告")]
        constraints = [models.UniqueConstraint(fields=["entity", "kind"], name="drugs_object_once")]

    def __str__(self) -> str:
        return f"{self.entity.name}（{self.get_kind_display()}）"


class FocusCategory(models.TextChoices):
    BLOOD = "blood", "血液制品"
    IMPLANT = "implant", "植入性医疗器械"
    CHILD_COSMETIC = "child_cosmetic", "儿童化妆品"


class FocusProduct(models.Model):
    """A high-risk product on a focus list (重点监管品种) and a unit that holds it (sells or uses it)."""

    category = models.CharField("重点品种类别", max_length=16, choices=FocusCategory.choices)
    product = models.CharField("品名", max_length=100)
    approval_no = models.CharField("批准文号/注册证编号/备案编号", max_length=60)
    holder = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name="经营/使用单位")
    listed_on = models.DateField("列入日期")
    until = models.DateField("移出日期", null=True, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "product", "id"]
        verbose_name = verbose_name_plural = "重点监管品种"
        constraints = [models.UniqueConstraint(fields=["category", "approval_no", "holder"],
                                               name="drugs_focus_once")]
        indexes = [models.Index(fields=["listed_on", "until"], name="drugs_focus_period")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.product}"


class CampaignKind(models.TextChoices):
    NARCOTIC = "narcotic", "麻醉药品和精神药品专项检查"
    TCM = "tcm", "中药饮片专项检查"
    PRECURSOR = "precursor", "药品类易制毒化学品专项检查"
    ONLINE = "online", "药品网络销售专项检查"


class Campaign(models.Model):
    """A campaign (专项检查): a double-random plan tagged with the campaign and drawing on its checklist item."""

    kind = models.CharField("专项", max_length=10, choices=CampaignKind.choices)
    year = models.PositiveIntegerField("年度")
    plan = models.OneToOneField("inspections.InspectionPlan", on_delete=models.PROTECT, related_name="drug_campaign",
                                verbose_name="抽查计划")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = verbose_name_plural = "药品专项检查"
        constraints = [models.UniqueConstraint(fields=["kind", "year", "unit"], name="drugs_campaign_once")]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}"


class EventKind(models.TextChoices):
    DRUG = "drug", "药品不良反应"
    DEVICE = "device", "医疗器械不良事件"
    COSMETIC = "cosmetic", "化妆品不良反应"


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"
    DEATH = "death", "死亡"


class EventStatus(models.TextChoices):
    ROUTED = "routed", "已分办，待审核评价"
    ASSESSED = "assessed", "已审核评价"


class AdverseEvent(models.Model):
    """An adverse reaction / event report (不良反应/不良事件报告), routed on receipt to the district bureau of the
    reporting unit, which reviews and assesses it within the rule's working days."""

    number = models.CharField("报告编号", max_length=24, unique=True)
    kind = models.CharField("类别", max_length=10, choices=EventKind.choices)
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices)
    product = models.CharField("产品名称", max_length=100)
    approval_no = models.CharField("批准文号/注册证编号", max_length=60, blank=True)
    reporter = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name="报告单位")
    aware_on = models.DateField("获知日期")
    received_on = models.DateField("接收日期")
    description = models.TextField("事件经过")
    late_report = models.BooleanField("超过报告时限", default=False)
    review_due = models.DateField("审核评价期限")
    calendar_pending = models.BooleanField("期限暂定", default=False)
    status = models.CharField("状态", max_length=10, choices=EventStatus.choices, default=EventStatus.ROUTED)
    assessed_on = models.DateField("审核评价日期", null=True, blank=True)
    assessment = models.TextField("审核评价意见", blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="承办单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "不良反应/不良事件报告"
        indexes = [models.Index(fields=["status", "review_due"], name="drugs_event_due")]

    def __str__(self) -> str:
        return f"{self.number} {self.product}"
