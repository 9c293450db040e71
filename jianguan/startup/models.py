"""One-stop company start-up (企业开办 "+N"): applications, their shareholders, the +N checklist, name rules.

An ``Application`` is the applicant's file for establishing a company, changing its registration (变更) or
deregistering it (注销, ordinary or simplified). Its state machine lives in ``services.py``; the rules that decide
whether it may be approved automatically in ``approval.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.fields import BlindIndexField, EncryptedTextField
from jianguan.core.models import Division, OrgUnit
from jianguan.registry.models import Entity, EntityKind, Industry


class Application(models.Model):
    class Kind(models.TextChoices):
        ESTABLISH = "establish", "设立登记"
        CHANGE = "change", "变更登记"
        DEREGISTER = "deregister", "注销登记"
        SIMPLE_DEREGISTER = "simple_deregister", "简易注销"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "in_review", "审核中"
        RETURNED = "returned", "退回修改"
        PUBLIC_NOTICE = "public_notice", "公告中"
        APPROVED = "approved", "已核准"
        REJECTED = "rejected", "不予核准"

    number = models.CharField("申请编号", max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField("申请类型", max_length=20, choices=Kind.choices, default=Kind.ESTABLISH)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="startup_applications", verbose_name="申请人"
    )
    entity = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="startup_applications",
        verbose_name="市场主体",
    )

    # Name declaration (名称自主申报): 行政区划 + 字号 + 行业表述 + 组织形式.
    name_division = models.CharField("行政区划", max_length=20, blank=True)
    name_trade = models.CharField("字号", max_length=20, blank=True)
    name_industry = models.CharField("行业表述", max_length=30, blank=True)
    name_form = models.CharField("组织形式", max_length=20, blank=True)
    name = models.CharField("企业名称", max_length=200, blank=True, db_index=True)

    entity_kind = models.CharField("企业类型", max_length=16, choices=EntityKind.choices, default=EntityKind.LLC)
    address = models.CharField("住所", max_length=200, blank=True)
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.PROTECT, verbose_name="住所所在区县")
    registered_capital = models.DecimalField("注册资本（万元）", max_digits=14, decimal_places=4, null=True, blank=True)
    legal_rep_name = models.CharField("法定代表人", max_length=50, blank=True)
    # Encrypted at rest (#14, jianguan.core.crypto).
    legal_rep_id_no = EncryptedTextField("法定代表人身份证号码", max_length=18, blank=True)
    legal_rep_phone = EncryptedTextField("法定代表人手机号码", max_length=20, blank=True)
    business_scope = models.TextField("经营范围", blank=True)
    industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.PROTECT, verbose_name="行业（门类/大类）"
    )
    companion_codes = models.JSONField("同步办理事项", default=list, blank=True)
    # 一照通行: licence kinds the applicant asks for on commitment (告知承诺), granted with the registration
    commitment_permits = models.JSONField("告知承诺同步办理的许可", default=list, blank=True)

    # Change and deregistration.
    change_fields = models.JSONField("变更事项", default=dict, blank=True)
    reason = models.TextField("申请理由", blank=True)
    debts_settled = models.BooleanField("承诺无债权债务", default=False)

    registration_authority = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="登记机关"
    )
    rule_results = models.JSONField("智慧审批规则结果", default=list, blank=True)
    auto_approved = models.BooleanField("自动核准", default=False)
    notice_starts_on = models.DateField("公告开始", null=True, blank=True)
    notice_ends_on = models.DateField("公告截止", null=True, blank=True, db_index=True)

    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    due_at = models.DateTimeField("办结时限", null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_work_hours = models.DecimalField(
        "办理用时（工作小时）", max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "企业开办申请"
        indexes = [
            models.Index(fields=["registration_authority", "state", "due_at"], name="startup_app_queue"),
            models.Index(fields=["applicant", "-id"], name="startup_app_applicant"),
        ]
        permissions = [
            ("review_application", "审核企业开办申请"),
        ]

    def __str__(self) -> str:
        label = self.name or (self.entity.name if self.entity_id else "未命名")
        return f"{self.number or '草稿'} {self.get_kind_display()} {label}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.IN_REVIEW and self.due_at is not None and self.due_at < timezone.now()

    @property
    def display_name(self) -> str:
        return self.name or (self.entity.name if self.entity_id else "（名称未填写）")

    def compose_name(self) -> str:
        return f"{self.name_division}{self.name_trade}{self.name_industry}{self.name_form}"

    def masked_id_no(self) -> str:
        value = self.legal_rep_id_no
        return f"{value[:3]}{'*' * 11}{value[-4:]}" if len(value) == 18 else ("*" * len(value))


class Shareholder(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "自然人"
        COMPANY = "company", "企业法人"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="shareholders")
    name = models.CharField("股东名称/姓名", max_length=100)
    kind = models.CharField("股东类型", max_length=10, choices=Kind.choices, default=Kind.PERSON)
    id_no = EncryptedTextField("证件号码/统一社会信用代码", max_length=18)  # encrypted at rest (#14)
    subscribed_capital = models.DecimalField("认缴出资额（万元）", max_digits=14, decimal_places=4)
    share_pct = models.DecimalField("出资比例（%）", max_digits=6, decimal_places=2)
    contribution_date = models.DateField("出资期限")

    class Meta:
        ordering = ["application", "id"]
        verbose_name = verbose_name_plural = "股东（发起人）"

    def __str__(self) -> str:
        return f"{self.name} {self.share_pct}%"


class CompanionItem(models.Model):
    """One of the "+N" items handled together with the licence (刻章、发票、社保、银行开户、公积金…)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待办理"
        IN_PROGRESS = "in_progress", "办理中"
        DONE = "done", "已办结"
        NOT_NEEDED = "not_needed", "无需办理"

    CATALOGUE = {
        "seal": ("刻制印章", "公安机关备案的印章刻制企业", True),
        "tax": ("申领发票/税务登记", "税务部门", True),
        "social": ("社保登记", "人力资源和社会保障部门", True),
        "bank": ("银行开户", "开户银行", True),
        "fund": ("住房公积金登记", "住房公积金管理中心", True),
        "medical": ("医保登记", "医疗保障部门", False),
    }

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="companion_items")
    code = models.CharField("事项", max_length=12)
    label = models.CharField("名称", max_length=40)
    handler = models.CharField("办理部门", max_length=60, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="办理人",
    )
    updated_at = models.DateTimeField("办理时间", null=True, blank=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="startup_item_unique")]
        verbose_name = verbose_name_plural = "“+N”同步办理事项"

    def __str__(self) -> str:
        return f"{self.label}：{self.get_status_display()}"


class Decision(models.Model):
    """The history of an application: each submission, routing, decision, notice and objection, with reasons."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "提交申请"
        RESUBMITTED = "resubmitted", "补正后重新提交"
        AUTO_APPROVED = "auto_approved", "智慧审批自动核准"
        ROUTED = "routed", "转人工审核"
        NOTICE_STARTED = "notice_started", "简易注销公告"
        OBJECTION = "objection", "收到异议"
        APPROVED = "approved", "核准"
        REJECTED = "rejected", "不予核准"
        RETURNED = "returned", "退回补正"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField("事项", max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("办理人", max_length=150, blank=True)
    message = models.TextField("意见/理由", blank=True)
    reasons = models.JSONField("未通过的规则", default=list, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = verbose_name_plural = "审批记录"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Objection(models.Model):
    """An objection to a simplified deregistration, lodged by anyone during the public notice."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField("异议人", max_length=100)
    contact = EncryptedTextField("联系方式", max_length=60)  # a person's phone or address: encrypted at rest (#14)
    content = models.TextField("异议内容")
    lodged_at = models.DateTimeField("提出时间", default=timezone.now)

    class Meta:
        ordering = ["application", "lodged_at"]
        verbose_name = verbose_name_plural = "简易注销异议"

    def __str__(self) -> str:
        return f"{self.name} {self.lodged_at:%Y-%m-%d}"


class NameRule(models.Model):
    """A word an enterprise name may not use (forbidden) or may use only with approval (restricted). Data, not code."""

    class Kind(models.TextChoices):
        FORBIDDEN = "forbidden", "禁用"
        RESTRICTED = "restricted", "限用（需批准）"

    word = models.CharField("字词", max_length=30, unique=True)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    reason = models.CharField("依据/说明", max_length=200)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["kind", "word"]
        verbose_name = verbose_name_plural = "名称禁限用字词"

    def __str__(self) -> str:
        return f"{self.word}（{self.get_kind_display()}）"


class PhoneVerification(models.Model):
    """A verification code sent by SMS. Only a keyed hash of the code is stored; the phone is encrypted at rest and
    looked up by its blind index (#14)."""

    phone = EncryptedTextField(max_length=20)
    phone_hash = BlindIndexField(source="phone", db_index=True)
    purpose = models.CharField(max_length=20, default="signup")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "短信验证码"

    def __str__(self) -> str:
        masked = f"{self.phone[:3]}****{self.phone[-4:]}" if len(self.phone or "") == 11 else "****"
        return f"{masked} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
