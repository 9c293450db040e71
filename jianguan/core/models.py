"""The bureau's organisation, its people, the audit log, the working-day calendar and the rules table."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import BlindIndexField, EncryptedTextField


class Division(models.Model):
    """An administrative division (GB/T 2260)."""

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=50)
    level = models.PositiveSmallIntegerField("级别", choices=[(1, "省"), (2, "市"), (3, "县/区")])
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OrgUnit(models.Model):
    """A unit of the bureau: the city bureau, its departments, district/county bureaus and their stations.

    ``path`` materialises the tree ("410400/410402/41040201/") so scope questions are one indexed prefix lookup.
    """

    class Kind(models.TextChoices):
        CITY = "city", "市局"
        DEPARTMENT = "department", "市局内设机构"
        DISTRICT = "district", "县（市、区）局"
        STATION = "station", "市场监管所"

    code = models.CharField("单位代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    doc_prefix = models.CharField("文号机关代字", max_length=20, blank=True, help_text="如：平市监、新市监")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.PROTECT, verbose_name="行政区划")
    path = models.CharField(max_length=255, editable=False, db_index=True)
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "组织机构"
        permissions = [
            ("access_workbench", "进入工作台"),
            ("manage_org", "管理组织机构和人员"),
            ("manage_calendar", "维护工作日历"),
            ("manage_rules", "维护业务规则参数"),
            ("manage_security", "维护安全策略"),
            ("view_auditentry_log", "查阅审计日志"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        parent_path = self.parent.path if self.parent_id else ""
        self.path = f"{parent_path}{self.code}/"
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def district(self) -> OrgUnit | None:
        """The district/county bureau this unit belongs to (itself for a district bureau)."""
        if self.kind == self.Kind.DISTRICT:
            return self
        if self.kind == self.Kind.STATION and self.parent_id:
            return self.parent
        return None


class StaffProfile(models.Model):
    """What the bureau knows about a member of staff beyond the login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    staff_code = models.CharField("工号", max_length=20, unique=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="staff", verbose_name="所属单位")
    title = models.CharField("职务", max_length=40, blank=True)
    phone = EncryptedTextField("联系电话", max_length=20, blank=True)  # encrypted at rest (#14)
    credential_no = models.CharField("执法证号", max_length=30, blank=True)
    credential_expiry = models.DateField("执法证有效期至", null=True, blank=True)
    specialties = models.CharField("专业领域", max_length=200, blank=True, help_text="逗号分隔，如：食品,特种设备")

    class Meta:
        ordering = ["unit__path", "staff_code"]
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username}（{self.staff_code}）"

    def has_valid_credential(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.credential_no) and self.credential_expiry is not None and self.credential_expiry >= on


class AuditEntry(models.Model):
    """One write, recorded in the same transaction as the write itself.

    Each entry stores the hash of the previous one in the chain (``seq`` order), so altering or deleting any row
    breaks the chain (``jianguan audit verify``). On PostgreSQL an entry is chained just after its transaction
    commits (``audit.seal``); until then ``seq`` and ``hash`` are empty. Entries are never updated or deleted by the
    application, except for that one chaining.
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name="操作人", db_index=False
    )
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name="单位")
    changes = models.JSONField("变更内容", default=dict, blank=True)
    seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL until chained (many, unlike "")

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "审计日志"
        # unique as a constraint, not ``unique=True``: that adds a LIKE index on PostgreSQL, which no one needs for
        # a hash and every batch of entries paid for (#23)
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_unique")]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unchained"),
            # the system's entries have no actor: only the staff's are indexed
            models.Index(fields=["actor"], condition=models.Q(actor__isnull=False), name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"


class WorkdayOverride(models.Model):
    """A date whose status the bureau sets by hand (a new year's holidays, a local adjustment)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选：工作日（含调休上班）；不勾选：休息日/节假日")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "工作日调整"

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_workday else '休息日'} {self.note}"


class CalendarYear(models.Model):
    """A year whose holidays the bureau has entered by hand (beyond the chinesecalendar package's data)."""

    year = models.PositiveIntegerField("年份", unique=True)
    note = models.CharField(
        "依据", max_length=200, blank=True, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "已维护年度日历"

    def __str__(self) -> str:
        return str(self.year)


class RuleValue(models.Model):
    """A bureau's value for a rule (deadline, ratio, threshold) from a given date. See ``core/rules.py``."""

    key = models.CharField("规则", max_length=100, db_index=True)
    value = models.JSONField("取值")
    effective_from = models.DateField("生效日期")
    note = models.CharField("依据/说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="rule_key_effective_unique")]
        verbose_name = verbose_name_plural = "业务规则参数"

    def __str__(self) -> str:
        return f"{self.key}={self.value} 自{self.effective_from}"


#: How many previous password hashes are kept per account (the upper bound of the history policy).
PASSWORD_HISTORY_KEPT = 24


class SecurityPolicy(models.Model):
    """The security administrator's policies. One row (pk=1)."""

    # Each bound is what a level-3 assessment accepts (GB/T 22239-2019 8.1.4.1: identification, complexity, login
    # failure handling, session end on timeout); outside them the policy would switch the control off.
    min_password_length = models.PositiveSmallIntegerField(
        "密码最小长度", default=10, validators=[MinValueValidator(8), MaxValueValidator(128)])
    min_character_classes = models.PositiveSmallIntegerField(
        "密码字符类别数", default=3, validators=[MinValueValidator(2), MaxValueValidator(4)],
        help_text="大写字母、小写字母、数字、符号四类中至少包含的类别数")
    session_idle_minutes = models.PositiveSmallIntegerField(
        "会话空闲超时（分钟）", default=60, validators=[MinValueValidator(1), MaxValueValidator(480)])
    session_absolute_minutes = models.PositiveSmallIntegerField(
        "会话最长时间（分钟）", default=720, validators=[MinValueValidator(10), MaxValueValidator(1440)],
        help_text="登录后无论是否活动，超过此时间须重新登录")
    max_failed_logins = models.PositiveSmallIntegerField(
        "连续登录失败锁定次数", default=5, validators=[MinValueValidator(3), MaxValueValidator(10)])
    max_failed_logins_per_ip = models.PositiveSmallIntegerField(
        "同一地址登录失败锁定次数", default=20, validators=[MinValueValidator(5), MaxValueValidator(1000)],
        help_text="同一 IP 地址在锁定时长内的失败次数（不论用户名）达到此数即暂停该地址登录")
    lockout_minutes = models.PositiveSmallIntegerField(
        "锁定时长（分钟）", default=15, validators=[MinValueValidator(1), MaxValueValidator(1440)])
    otp_required_for_staff = models.BooleanField(
        "所有工作人员须双因素认证", default=False,
        help_text="系统管理员、安全管理员、安全审计员始终须双因素认证；勾选后其他工作人员登录也须输入身份验证器动态码")
    password_history_count = models.PositiveSmallIntegerField(
        "禁止重复使用最近几次密码", default=5, validators=[MinValueValidator(3), MaxValueValidator(PASSWORD_HISTORY_KEPT)],
        help_text="修改密码时不得与最近这么多次用过的密码（含当前密码）相同")
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天）", default=90, validators=[MinValueValidator(7), MaxValueValidator(180)],
        help_text="密码自设置起超过此天数即过期，登录后须先修改密码才能继续（三员同样适用）")
    single_session = models.BooleanField(
        "每个账号只允许一个会话", default=False,
        help_text="勾选后，账号在一处登录即结束其在其他地方的会话（记入审计日志）")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "安全策略"

    def __str__(self) -> str:
        return "安全策略"

    CACHE_KEY = "jianguan:security-policy"

    @classmethod
    def current(cls) -> SecurityPolicy:
        from django.core.cache import cache

        obj = cache.get(cls.CACHE_KEY)
        if obj is None:
            obj, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, obj, 60)
        return obj

    def save(self, *args, **kwargs):
        from django.core.cache import cache

        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)


class PasswordHistory(models.Model):
    """Each password an account has had (its hash, as stored on the user), newest first: for the history policy
    (no reuse of the last N) and the expiry policy (the newest row is when the password was last set)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="core_pwhist_user_created")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class LoginSession(models.Model):
    """A session opened by a login, so the one-session-per-user policy can end the others."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.CharField(max_length=45, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} {self.ip} {self.created_at:%Y-%m-%d %H:%M}"


class LoginFailure(models.Model):
    """Failed logins per username, for the lockout policy."""

    username = models.CharField(max_length=150, unique=True)
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.username}: {self.count}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token: a staff token (``jg_…``) or an enterprise account's (``qy_…``, accepted only by the endpoints
    where an enterprise acts on its own entity). Only its SHA-256 is stored; the raw value is shown once at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return "jg_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Sequence(models.Model):
    """A named counter (document numbers per unit and year, code serials). Never goes back, never reuses a value."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号序列"

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class PublicProfile(models.Model):
    """A member of the public with an account: a person (applicant, consumer) or an enterprise tied to its code.

    Public accounts never get a StaffProfile and never reach the workbench.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "个人"
        ENTERPRISE = "enterprise", "企业"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_profile")
    kind = models.CharField("账号类型", max_length=12, choices=Kind.choices, default=Kind.PERSON)
    entity = models.ForeignKey("registry.Entity", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="accounts", verbose_name="对应市场主体")
    phone = EncryptedTextField("手机号码", max_length=20, blank=True)  # encrypted at rest (#14)
    phone_hash = BlindIndexField(source="phone", db_index=True)  # "is this number registered?" (portal.signup)
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "公众账号"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user.username}"


class RegisterEvent(models.Model):
    """One correction, withdrawal or restoration of a register row (core.registers): the row's history."""

    class Kind(models.TextChoices):
        CORRECTED = "corrected", "更正"
        WITHDRAWN = "withdrawn", "撤回"
        RESTORED = "restored", "恢复"

    register = models.CharField("台账", max_length=80, db_index=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField("操作", max_length=10, choices=Kind.choices)
    reason = models.TextField("理由")
    changes = models.JSONField("更正内容", default=list, blank=True,
                               help_text="[{column, header, before, after}]：每一处改动的列及改动前后")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "台账更正与撤回记录"
        indexes = [models.Index(fields=["content_type", "object_id"], name="register_event_row")]
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.register}#{self.object_id} {self.get_kind_display()}"


class RegisterWithdrawal(models.Model):
    """A register row currently withdrawn (撤回): kept, hidden from lists, the public side and exports by default."""

    register = models.CharField("台账", max_length=80)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    reason = models.TextField("撤回理由")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("撤回时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "已撤回的台账记录"
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="register_withdrawal_row")]

    def __str__(self):
        return f"{self.register}#{self.object_id} 已撤回"


class Notification(models.Model):
    """A message to a member of staff in the workbench (the bell): everything sent to staff by SMS is also kept
    here, so it can be read, found again and marked read (``core.notify.notify_staff``)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name="接收人")
    message = models.CharField("内容", max_length=300)
    link = models.CharField("链接", max_length=300, blank=True)
    source = models.CharField("来源", max_length=40, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    sms_sent = models.BooleanField("已发短信", default=False)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "站内通知"
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message[:40]


class Aggregate(models.Model):
    """The last city-wide computation of a per-unit aggregate (``core.aggregates``): counts that a page would
    otherwise recompute from millions of rows on every view. Kept only where computing it is slow."""

    key = models.CharField(max_length=100, primary_key=True)
    data = models.JSONField(default=list)
    computed_at = models.DateTimeField()
    took_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "统计快照"

    def __str__(self) -> str:
        return f"{self.key} {self.computed_at:%Y-%m-%d %H:%M}"


class SmsOutbox(models.Model):
    """A text message waiting for the SMS gateway (``core.notify.queue_sms``): written in the transaction of the act
    it tells of, so none is sent for an act rolled back and none is lost for one committed. A few at a time go out as
    soon as their transaction commits; a batch (the July listing: 2,000,000 at province scale) is drained by
    ``jianguan sms send`` and the daily sweep at the gateway's pace, failures retried."""

    phone = EncryptedTextField("手机号码", max_length=20)
    message = models.TextField("内容")
    source = models.CharField("来源", max_length=40, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    last_error = models.CharField("最近一次失败原因", max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "待发短信"
        indexes = [models.Index(fields=["id"], condition=models.Q(sent_at__isnull=True), name="sms_outbox_unsent")]

    def __str__(self) -> str:
        return f"{self.source} #{self.pk}"
