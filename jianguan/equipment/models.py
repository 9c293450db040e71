"""Special equipment (特种设备): the register of devices with their status history and inspection schedule,
inspection records, operator certificates, hazards, accidents and campaigns.

A device's ``next_due`` / ``apply_by`` are stored (computed by ``schedule.compute`` from its inspections and the
rules in force) so that the due and overdue lists are one indexed range read per unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jianguan.core.fields import EncryptedBinaryField
from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity

from . import categories
from .schedule import KIND_LABELS


class DeviceStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    STOPPED = "stopped", "停用"
    SCRAPPED = "scrapped", "报废"
    TRANSFERRED = "transferred", "移装（迁出）"


#: allowed status changes: scrapped and transferred are final for this registration
STATUS_TRANSITIONS = {
    DeviceStatus.IN_USE: {DeviceStatus.STOPPED, DeviceStatus.SCRAPPED, DeviceStatus.TRANSFERRED},
    DeviceStatus.STOPPED: {DeviceStatus.IN_USE, DeviceStatus.SCRAPPED, DeviceStatus.TRANSFERRED},
    DeviceStatus.SCRAPPED: set(),
    DeviceStatus.TRANSFERRED: set(),
}


class Conclusion(models.TextChoices):
    PASSED = "passed", "合格"
    PASSED_RETEST = "passed_retest", "复检合格"
    FAILED = "failed", "不合格"


QUALIFYING = (Conclusion.PASSED, Conclusion.PASSED_RETEST)


class Device(models.Model):
    code = models.CharField("设备代码", max_length=40, unique=True)
    category = models.CharField("设备类别代码", max_length=4, db_index=True)
    name = models.CharField("设备名称/型号", max_length=100, blank=True)
    registration_no = models.CharField("使用登记证编号", max_length=40, blank=True)
    registered_on = models.DateField("使用登记日期", null=True, blank=True)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="devices", verbose_name="使用单位")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    location = models.CharField("设备使用地点", max_length=200)
    manufacturer = models.CharField("制造单位", max_length=100, blank=True)
    installer = models.CharField("安装单位", max_length=100, blank=True)
    maintainer = models.CharField("维护保养单位", max_length=100, blank=True)
    commissioned_on = models.DateField("投入使用日期")
    params = models.JSONField("技术参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=12, choices=DeviceStatus.choices, default=DeviceStatus.IN_USE)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    last_inspected_on = models.DateField("上次检验日期", null=True, blank=True)
    last_conclusion = models.CharField("上次检验结论", max_length=16, choices=Conclusion.choices, blank=True)
    next_due = models.DateField("下次检验日期", null=True, blank=True)
    next_kind = models.CharField("下次检验种类", max_length=16, blank=True)
    apply_by = models.DateField("应申报定期检验日期", null=True, blank=True)
    schedule_basis = models.CharField("检验周期依据", max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "特种设备"
        indexes = [
            # the due/overdue lists: in-use devices of a unit by due date
            models.Index(fields=["unit", "next_due"], name="eq_device_unit_due",
                         condition=Q(status="in_use", next_due__isnull=False)),
            models.Index(fields=["next_due"], name="eq_device_due",
                         condition=Q(status="in_use", next_due__isnull=False)),
        ]
        permissions = [
            ("manage_device", "登记、变更特种设备和检验记录"),
            ("import_device", "导入特种设备台账"),
            ("export_device", "导出特种设备台账"),
            ("act_on_overdue", "对超期未检设备责令改正或移送线索"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.category_label}"

    @property
    def category_label(self) -> str:
        return categories.label(self.category)

    @property
    def next_kind_label(self) -> str:
        return KIND_LABELS.get(self.next_kind, "")

    @property
    def params_rows(self) -> list[tuple[str, str]]:
        return categories.params_display(self.category, self.params or {})


class StatusChange(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="status_changes")
    before = models.CharField("原状态", max_length=12, choices=DeviceStatus.choices, blank=True)
    after = models.CharField("新状态", max_length=12, choices=DeviceStatus.choices)
    on = models.DateField("日期")
    reason = models.CharField("原因", max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["device", "on", "id"]
        verbose_name = verbose_name_plural = "设备状态变更"

    def __str__(self) -> str:
        return f"{self.device_id} {self.before}→{self.after} {self.on}"


class Inspection(models.Model):
    """One inspection report of a device (检验报告)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField("检验种类", max_length=16, choices=list(KIND_LABELS.items()))
    inspected_on = models.DateField("检验日期")
    body = models.CharField("检验机构", max_length=100)
    report_no = models.CharField("报告编号", max_length=40, blank=True)
    conclusion = models.CharField("检验结论", max_length=16, choices=Conclusion.choices)
    next_due = models.DateField("下次检验日期", null=True, blank=True, help_text="记录时按规则计算")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["device", "-inspected_on", "-id"]
        verbose_name = verbose_name_plural = "检验记录"
        indexes = [models.Index(fields=["device", "kind", "inspected_on"], name="eq_insp_device_kind")]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def __str__(self) -> str:
        return f"{self.inspected_on} {self.kind_label} {self.get_conclusion_display()}"


class OverdueAction(models.Model):
    """What the bureau did about a device overdue for inspection: a lead (or a rectification order) — one per
    device and due date, so a second click returns the first."""

    class Kind(models.TextChoices):
        LEAD = "lead", "移送执法线索"
        ORDER = "order", "责令改正"

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="overdue_actions")
    due = models.DateField("超期的检验日期")
    kind = models.CharField("措施", max_length=8, choices=Kind.choices)
    reference = models.CharField("线索/文书", max_length=60)
    lead_id = models.BigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = verbose_name_plural = "超期未检处置"
        # one order and one lead per device and due date: an order whose deadline passes goes on to a lead
        constraints = [models.UniqueConstraint(fields=["device", "due", "kind"], name="eq_overdue_action_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class RectificationOrder(models.Model):
    """责令改正通知书 to the user of a device overdue for inspection (特种设备安全法 第四十条第一款, 第八十三条第（四）项:
    责令限期改正；逾期未改正的，处罚), numbered in the issuing authority's 改 series shared with the enforcement
    documents, printed as Word and PDF from the enforcement kit's layout, with its deadline (``correct_by``).

    Follow-up: an inspection recorded for the device, or the device stopped, scrapped or moved out, corrects it;
    the daily job ``equipment-orders`` hands an order still open after its deadline to enforcement as a lead."""

    class Status(models.TextChoices):
        OPEN = "open", "限期改正中"
        CORRECTED = "corrected", "已改正"
        ESCALATED = "escalated", "逾期未改正，已移送线索"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="orders", verbose_name="设备")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="equipment_orders",
                               verbose_name="使用单位")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    authority = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="制作机关")
    due = models.DateField("超期的检验日期")
    number = models.CharField("文书编号", max_length=60, unique=True)
    issued_on = models.DateField("制作日期")
    correct_by = models.DateField("改正期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    corrected_on = models.DateField("改正日期", null=True, blank=True)
    correction = models.CharField("改正情况", max_length=200, blank=True)
    escalated_on = models.DateField("移送线索日期", null=True, blank=True)
    lead_id = models.BigIntegerField("逾期移送的线索", null=True, blank=True)
    docx = EncryptedBinaryField("Word 文件")
    pdf = EncryptedBinaryField("PDF 文件")
    content_hash = models.CharField("文件摘要（SHA-256）", max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="制作人")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = verbose_name_plural = "责令改正通知书（特种设备）"
        constraints = [models.UniqueConstraint(fields=["device", "due"], name="eq_order_once_per_due")]
        indexes = [models.Index(fields=["status", "correct_by"], name="eq_order_open_deadline",
                                condition=Q(status="open")),
                   models.Index(fields=["unit", "-issued_on"], name="eq_order_unit")]

    def __str__(self) -> str:
        return f"责令改正通知书 {self.number}"


class OperatorCertificate(models.Model):
    """特种设备作业人员证. The holder's name is personal data: staff pages only."""

    KINDS = (
        ("A", "特种设备安全管理"),
        ("G1", "工业锅炉司炉"),
        ("R1", "快开门式压力容器操作"),
        ("P", "气瓶充装"),
        ("T", "电梯修理"),
        ("Q1", "起重机指挥"),
        ("Q2", "起重机司机"),
        ("N1", "叉车司机"),
        ("Y1", "大型游乐设施修理"),
        ("Y2", "大型游乐设施操作"),
        ("S1", "客运索道修理"),
    )
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="operator_certificates",
                               verbose_name="聘用单位")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    holder = models.CharField("持证人", max_length=50)
    number = models.CharField("证书编号", max_length=40, unique=True)
    kind = models.CharField("作业项目", max_length=4, choices=KINDS)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至", db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expires_on", "id"]
        verbose_name = verbose_name_plural = "作业人员证"

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"


class Hazard(models.Model):
    """事故隐患 found at an inspection or a check: rectified by the user by a deadline, verified by the bureau."""

    class Level(models.TextChoices):
        GENERAL = "general", "一般隐患"
        MAJOR = "major", "重大隐患"

    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        RECTIFIED = "rectified", "已整改待核查"
        VERIFIED = "verified", "已核查销号"

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="hazards")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField("发现日期")
    description = models.CharField("隐患描述", max_length=300)
    level = models.CharField("等级", max_length=8, choices=Level.choices, default=Level.GENERAL)
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectification = models.CharField("整改情况", max_length=300, blank=True)
    verified_on = models.DateField("核查日期", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = verbose_name_plural = "事故隐患"

    def __str__(self) -> str:
        return f"{self.found_on} {self.description[:40]}"


class Accident(models.Model):
    class Level(models.TextChoices):
        GENERAL = "general", "一般事故"
        LARGER = "larger", "较大事故"
        MAJOR = "major", "重大事故"
        GRAVE = "grave", "特别重大事故"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="accidents")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField("发生日期")
    level = models.CharField("事故等级", max_length=8, choices=Level.choices)
    deaths = models.PositiveIntegerField("死亡人数", default=0)
    injuries = models.PositiveIntegerField("受伤人数", default=0)
    description = models.TextField("经过和原因")
    # the penalty decided against the user for the accident (特种设备安全法 第九十一条): with it, the accident is
    # shown in the entity's public record while the penalty is published
    penalty = models.ForeignKey("enforcement.Penalty", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="equipment_accidents", verbose_name="行政处罚决定")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = verbose_name_plural = "特种设备事故"

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_level_display()}"


class Campaign(models.Model):
    """专项整治: a tagged checklist run over the devices of some categories (e.g. 气瓶、电梯、大型游乐设施)."""

    title = models.CharField("名称", max_length=100)
    tag = models.CharField("标签", max_length=20)
    categories = models.JSONField("设备类别（代码前缀）", default=list)
    checklist = models.JSONField("检查项目", default=list)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = verbose_name_plural = "专项整治"

    def __str__(self) -> str:
        return self.title


class CampaignCheck(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="checks")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="campaign_checks")
    checked_on = models.DateField("检查日期")
    answers = models.JSONField("检查结果", default=list, help_text="与检查项目一一对应：true 符合 / false 不符合")
    problems = models.PositiveSmallIntegerField("不符合项数", default=0)
    note = models.CharField("说明", max_length=200, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = verbose_name_plural = "专项整治检查"
        constraints = [models.UniqueConstraint(fields=["campaign", "device"], name="eq_campaign_device_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.device_id} {self.checked_on}"
