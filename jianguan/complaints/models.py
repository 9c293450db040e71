"""Consumer complaints (投诉) and reports (举报), SAMR Order 20.

One table holds both kinds: they share intake, routing, tracking and the statistics; their state machines differ
(``services``). A report's reporter is a protected person: name and phone are shown to the assigned handler only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.fields import BlindIndexField, EncryptedTextField
from jianguan.core.models import Division, OrgUnit
from jianguan.core.storage import encrypted_media


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"


class Channel(models.TextChoices):
    PORTAL = "portal", "网上（门户）"
    PHONE = "phone", "电话"
    LETTER = "letter", "信件"
    WALK_IN = "walk_in", "来访"
    PLATFORM = "platform", "全国12315平台"


class Status(models.TextChoices):
    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "已受理（调解中）"
    REFUSED = "refused", "不予受理"
    AGREED = "agreed", "调解成功"
    TERMINATED = "terminated", "终止调解"
    VERIFYING = "verifying", "核查中"
    LEAD = "lead", "已转为执法线索"
    DISMISSED = "dismissed", "核查未发现违法"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.VERIFYING)
COMPLAINT_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.REFUSED, Status.AGREED, Status.TERMINATED,
                      Status.CLOSED)
REPORT_STATUSES = (Status.RECEIVED, Status.VERIFYING, Status.LEAD, Status.DISMISSED, Status.CLOSED)


class Category(models.TextChoices):
    """Hot-topic categories, after the 12315 platform's commonly published groupings."""

    FOOD = "food", "食品"
    PREPAID = "prepaid", "预付式消费"
    ONLINE = "online", "网络购物"
    APPLIANCE = "appliance", "家用电器"
    VEHICLE = "vehicle", "汽车及配件"
    HOUSING = "housing", "房屋装修及建材"
    EDUCATION = "education", "教育培训"
    BEAUTY = "beauty", "美容美发"
    TELECOM = "telecom", "通信及互联网服务"
    MEDICAL = "medical", "药品及医疗器械"
    CATERING = "catering", "餐饮住宿"
    CLOTHING = "clothing", "服装鞋帽"
    PRICE = "price", "价格收费"
    OTHER = "other", "其他"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Complaint(models.Model):
    number = models.CharField("编号", max_length=20, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    national_no = models.CharField("12315平台编号", max_length=40, null=True, blank=True, unique=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)

    # The consumer / reporter. For an anonymous report all three are empty.
    anonymous = models.BooleanField("匿名举报", default=False)
    person_name = models.CharField("姓名", max_length=50, blank=True)
    # Encrypted at rest (#14, jianguan.core.crypto); the phone is searched (duplicate probe) by its keyed hash.
    person_phone = EncryptedTextField("联系电话", max_length=20, blank=True)
    person_phone_hash = BlindIndexField(source="person_phone")
    person_email = models.EmailField("电子邮箱", blank=True)
    person_address = EncryptedTextField("通讯地址", max_length=200, blank=True)

    # The business: a registered entity, or free text when it is not (yet) found in the registry.
    entity = models.ForeignKey("registry.Entity", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="complaints", verbose_name="被投诉（举报）主体")
    entity_name = models.CharField("被投诉（举报）人名称", max_length=200)
    entity_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    # Encrypted at rest (#14): when the business is not registered this is often a person's place (a stall, a home
    # workshop, a private seller), as a complainant wrote it.
    entity_address = EncryptedTextField("被投诉（举报）人地址", max_length=200, blank=True)
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.PROTECT, verbose_name="所属行政区划")

    category = models.CharField("问题类别", max_length=12, choices=Category.choices, default=Category.OTHER)
    description = models.TextField("事情经过")
    demand = models.CharField("诉求", max_length=500, blank=True)
    amount = models.DecimalField("涉及金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    occurred_on = models.DateField("发生日期", null=True, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    possible_duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                              related_name="+", verbose_name="疑似重复")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="complaints", verbose_name="处理单位")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name="承办人")

    # The clock: received_on never changes, not even on transfer (the period continues).
    received_on = models.DateField("收到日期")
    received_at = models.DateTimeField("登记时间", default=timezone.now)
    accept_due = models.DateField("受理决定期限", null=True, blank=True)
    decided_on = models.DateField("受理（核查）决定日期", null=True, blank=True)
    refusal_reason = models.CharField("不予受理情形", max_length=30, blank=True)
    decision_note = models.CharField("决定说明", max_length=500, blank=True)
    mediation_due = models.DateField("调解期限", null=True, blank=True)
    ended_on = models.DateField("调解终结日期", null=True, blank=True)
    agreement = models.TextField("调解协议", blank=True)
    money_recovered = models.DecimalField("挽回经济损失（元）", max_digits=12, decimal_places=2, default=0)
    notify_due = models.DateField("告知双方期限", null=True, blank=True)
    parties_notified_on = models.DateField("告知双方日期", null=True, blank=True)
    check_due = models.DateField("核查期限", null=True, blank=True)
    check_extended = models.BooleanField("核查已延期", default=False)
    check_extension_reason = models.CharField("核查延期理由", max_length=300, blank=True)
    check_extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                    on_delete=models.PROTECT, related_name="+",
                                                    verbose_name="核查延期批准人（负责人）")
    check_extension_approved_on = models.DateField("核查延期批准日期", null=True, blank=True)
    mediation_paused = models.BooleanField("调解期限暂停中（检定、检验、检测、鉴定）", default=False, editable=False)
    lead_id = models.BigIntegerField("执法线索", null=True, blank=True)
    reporter_notify_due = models.DateField("告知举报人期限", null=True, blank=True)
    reporter_notified_on = models.DateField("告知举报人日期", null=True, blank=True)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    overdue = models.BooleanField("超期", default=False, help_text="由每日作业标记：当前环节已超过法定期限")
    calendar_pending = models.BooleanField(
        "期限暂定", default=False, help_text="期限落在尚未录入节假日安排的年度：按无节假日暂定，录入后由每日作业重算")

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "投诉举报"
        indexes = [
            # The workbench list: scope (unit) + one filter, newest first, keyset on id.
            models.Index(fields=["unit", "status", "-id"], name="cpl_unit_status_id"),
            models.Index(fields=["unit", "category", "-id"], name="cpl_unit_category_id"),
            models.Index(fields=["unit", "received_on", "id"], name="cpl_unit_received"),
            models.Index(fields=["received_on", "id"], name="cpl_received"),
            models.Index(fields=["status", "category", "-id"], name="cpl_status_category_id"),
            # Statistics and the credit indicator: per business, per period.
            models.Index(fields=["entity", "received_on"], name="cpl_entity_received"),
            # Duplicate check of intake and import: same phone and text on the same business.
            models.Index(fields=["content_hash", "person_phone_hash"], name="cpl_dup_hash"),
        ]
        permissions = [
            ("handle_complaint", "受理、调解、核查投诉举报"),
            ("import_complaint", "导入全国12315平台数据"),
            ("view_complaint_analytics", "查看投诉举报统计分析"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.entity_name}"

    @property
    def is_report(self) -> bool:
        return self.kind == Kind.REPORT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def refusal_reason_label(self) -> str:
        from .rules import refusal_reasons

        return dict(refusal_reasons()).get(self.refusal_reason, self.refusal_reason)

    def next_deadline(self) -> tuple[str, object, bool] | None:
        """(what, date, provisional) of the next statutory deadline, or None when no clock runs. ``provisional``: the
        date assumed no holiday in a year whose holidays are not entered yet (``calendar_pending``)."""
        if self.status == Status.RECEIVED:
            due = self.check_due if self.is_report else self.accept_due
            return ("核查期限" if self.is_report else "受理决定期限", due, self.calendar_pending)
        if self.status == Status.ACCEPTED:
            return ("调解期限", self.mediation_due, self.calendar_pending)
        if self.status == Status.VERIFYING:
            return ("核查期限", self.check_due, self.calendar_pending)
        if self.status in (Status.AGREED, Status.TERMINATED) and not self.parties_notified_on:
            return ("告知双方期限", self.notify_due, False)
        if self.status in (Status.LEAD, Status.DISMISSED) and not self.anonymous and not self.reporter_notified_on:
            return ("告知举报人期限", self.reporter_notify_due, False)
        return None


class Event(models.Model):
    """One step in a complaint's history. ``public_text`` is what the consumer sees on the tracking page."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=Status.choices)
    public_text = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["complaint", "at", "id"]
        verbose_name = verbose_name_plural = "办理记录"

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class Mediation(models.Model):
    """A mediation session (调解记录)."""

    class Method(models.TextChoices):
        PHONE = "phone", "电话调解"
        ON_SITE = "on_site", "现场调解"
        ONLINE = "online", "网络调解"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="mediations")
    on = models.DateField("调解日期")
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    participants = models.CharField("参加人员", max_length=200)
    content = models.TextField("调解情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["complaint", "on", "id"]
        verbose_name = verbose_name_plural = "调解记录"

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.on}"


class MediationPause(models.Model):
    """Time that does not count towards the 45 working days of mediation: 检定、检验、检测、鉴定 (Order 20 art. 20),
    with the evidence (the technical body's commission or report). ``ends_on`` empty: still running."""

    class Reason(models.TextChoices):
        VERIFICATION = "verification", "检定"
        INSPECTION = "inspection", "检验"
        TESTING = "testing", "检测"
        APPRAISAL = "appraisal", "鉴定"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField("事由", max_length=14, choices=Reason.choices)
    evidence = models.CharField("依据（委托书、检测报告编号及机构）", max_length=300)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["complaint", "starts_on", "id"]
        verbose_name = verbose_name_plural = "调解期限不计入的时间"
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                                   name="mediation_pause_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_reason_display()} {self.starts_on}–{self.ends_on or ''}"


class Transfer(models.Model):
    """A transfer (移送/转办) between units; the statutory clock keeps running from the original receipt."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="转出单位")
    to_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="转入单位")
    reason = models.CharField("转办理由", max_length=300)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["complaint", "at", "id"]
        verbose_name = verbose_name_plural = "转办记录"

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.from_unit_id}→{self.to_unit_id}"


def evidence_path(instance, filename: str) -> str:
    # The stored name is random: nobody can guess another person's file, even where media is served directly.
    return f"complaints/{instance.uploaded_at:%Y}/{instance.token}{instance.extension}"


class Evidence(models.Model):
    """An evidence file. Served only through ``views.evidence_download`` (handler, or consumer with the code)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=evidence_path, max_length=200, storage=encrypted_media)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=80)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["complaint", "id"]
        verbose_name = verbose_name_plural = "证据材料"

    def __str__(self) -> str:
        return self.original_name


class ImportBatch(models.Model):
    """One import of a 12315 platform export: who, when, what came of each row."""

    filename = models.CharField("文件名", max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField("数据行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    skipped = models.PositiveIntegerField("已存在（跳过）", default=0)
    flagged = models.PositiveIntegerField("疑似重复", default=0)
    report = models.JSONField("明细", default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = verbose_name_plural = "12315数据导入"

    def __str__(self) -> str:
        return f"{self.filename} {self.at:%Y-%m-%d}"
