"""Enforcement: leads (案源), cases with their statutory clocks, compulsory measures, penalties and service.

A lead is where an enforcement case begins (SAMR Order 2, docs/domain §5): it comes from an inspection, a
complaint, a report, monitoring, a referral or is entered by hand; it is checked and, within 15 working days of
discovery (rule ``enforcement.lead_filing_days``), the unit decides whether to file a case. The first fields of
``Lead`` are the stable interface that inspections, complaints and others write through ``services.lead_create``.

A filed case (``Case``) carries the decision clock: 90 days from filing, +30 with the head's approval, further only
by a recorded collective decision, minus the pauses (``ClockPause``). Every period is a rule (``rules.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.fields import EncryptedTextField
from jianguan.core.models import OrgUnit
from jianguan.core.storage import encrypted_media


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
    party_address = EncryptedTextField("当事人地址", max_length=200, blank=True)  # encrypted at rest (#14)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="leads", verbose_name="承办单位")
    description = models.TextField("线索内容")
    discovered_on = models.DateField("发现日期")
    filing_deadline = models.DateField("立案决定期限", null=True, blank=True,
                                       help_text="发现之日起 15 个工作日（规则 enforcement.lead_filing_days）；"
                                                 "日历尚未录入时为暂定日期（按无节假日计算），由每日任务重算")
    calendar_pending = models.BooleanField("期限暂定", default=False,
                                           help_text="期限落在尚未录入节假日安排的年度：按无节假日暂定，录入后由每日作业重算")
    status = models.CharField("状态", max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    # The check and the filing decision (Order 2 art. 18). ``filing_deadline`` above is recomputed from
    # ``discovered_on``, the extension and the pauses (``services.recompute_lead_clock``).
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name="核查人")
    extended = models.BooleanField("经负责人批准延长", default=False)
    extension_reason = models.CharField("延长理由", max_length=300, blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+", verbose_name="延长批准人")
    extension_approved_on = models.DateField("延长批准日期", null=True, blank=True)
    paused_workdays = models.PositiveIntegerField("不计入期限的工作日", default=0, editable=False)
    clock_paused = models.BooleanField("期限暂停中", default=False, editable=False)
    check_note = models.TextField("核查情况", blank=True)
    decided_on = models.DateField("立案决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="决定人")
    decision_note = models.TextField("不予立案/移送理由", blank=True)
    overdue = models.BooleanField("超期", default=False, help_text="由每日作业标记：立案决定期限已过而尚未决定")

    class Meta:
        ordering = ["-discovered_on", "-id"]
        verbose_name = verbose_name_plural = "案源线索"
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], condition=~models.Q(source_id=""),
                                    name="lead_source_unique"),
            models.CheckConstraint(condition=models.Q(entity__isnull=False) | ~models.Q(party_name=""),
                                   name="lead_has_party"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="lead_unit_status"),
                   models.Index(fields=["status", "filing_deadline"], name="lead_status_deadline")]
        permissions = [("handle_lead", "核查案源线索、作出立案决定")]

    def __str__(self) -> str:
        return f"线索 #{self.pk} {self.party}"

    @property
    def party(self) -> str:
        return self.entity.name if self.entity_id else self.party_name

    @property
    def is_open(self) -> bool:
        return self.status in (LeadStatus.NEW, LeadStatus.CHECKING)


# --- the lead's filing clock ------------------------------------------------------------------------------------------
#
# Fields added to Lead below the stable interface (see the class above): the check, the extension and the decision.

class PauseReason(models.TextChoices):
    """Time that does not count towards a statutory period: the lead's (Order 2 art. 18 para. 2: testing, inspection,
    quarantine, appraisal, identification by the rights holder) and the case's (art. 64 para. 2: also suspension,
    hearing, public notice and 责令退还多收价款)."""

    TESTING = "testing", "检测"
    INSPECTION = "inspection", "检验"
    QUARANTINE = "quarantine", "检疫"
    APPRAISAL = "appraisal", "鉴定"
    IDENTIFICATION = "identification", "权利人辨认或者鉴别"
    HEARING = "hearing", "听证"
    SUSPENSION = "suspension", "案件中止"
    PUBLIC_NOTICE = "public_notice", "公告"
    REFUND = "refund", "责令退还多收价款"


LEAD_PAUSE_REASONS = (PauseReason.TESTING, PauseReason.INSPECTION, PauseReason.QUARANTINE, PauseReason.APPRAISAL,
                      PauseReason.IDENTIFICATION)


class PartyKind(models.TextChoices):
    INDIVIDUAL = "individual", "自然人（含个体工商户）"
    ORGANISATION = "organisation", "法人或者其他组织"


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SIMPLIFIED = "simplified", "简易程序（当场处罚）"


class CaseStatus(models.TextChoices):
    FILED = "filed", "已立案（调查取证）"
    INVESTIGATED = "investigated", "调查终结"
    LEGAL_REVIEW = "legal_review", "法制审核中"
    REVIEWED = "reviewed", "法制审核通过"
    NOTIFIED = "notified", "已事先告知"
    HEARING = "hearing", "听证中"
    DECIDED = "decided", "已作出决定"
    SERVED = "served", "已送达（执行中）"
    EXECUTED = "executed", "已执行完毕"
    CLOSED = "closed", "已结案"


OPEN_CASE_STATUSES = (CaseStatus.FILED, CaseStatus.INVESTIGATED, CaseStatus.LEGAL_REVIEW, CaseStatus.REVIEWED,
                      CaseStatus.NOTIFIED, CaseStatus.HEARING)
# Before the decision the decision clock runs; after it the payment and execution clocks do.
ACTIVE_CASE_STATUSES = OPEN_CASE_STATUSES + (CaseStatus.DECIDED, CaseStatus.SERVED)


class Outcome(models.TextChoices):
    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    NOT_ESTABLISHED = "not_established", "违法事实不能成立"
    TRANSFERRED = "transferred", "移送其他机关（含涉嫌犯罪移送司法）"


class PenaltyKind(models.TextChoices):
    """Kinds of administrative penalty (Administrative Penalty Law art. 9)."""

    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_INCOME = "confiscate_income", "没收违法所得"
    CONFISCATE_GOODS = "confiscate_goods", "没收非法财物"
    DOWNGRADE = "downgrade", "降低资质等级"
    LICENCE_SUSPENSION = "licence_suspension", "暂扣许可证件"
    LICENCE_REVOCATION = "licence_revocation", "吊销许可证件"
    RESTRICT_BUSINESS = "restrict_business", "限制开展生产经营活动"
    SUSPENSION = "suspension", "责令停产停业"
    CLOSURE = "closure", "责令关闭"
    RESTRICT_EMPLOYMENT = "restrict_employment", "限制从业"


class Campaign(models.Model):
    """A campaign (专项行动) cases are tagged with: 知识产权保护"护航"、"雷霆"、打假……"""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    is_active = models.BooleanField("进行中", default=True)

    class Meta:
        ordering = ["-is_active", "code"]
        verbose_name = verbose_name_plural = "专项行动"

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """An enforcement case (行政处罚案件) from filing (立案) to closing (结案).

    ``number`` is per unit and year (``平市监立〔2026〕12号``: ``unit``, ``year``, ``seq``), never reused. The decision
    clock (``decision_deadline``) is recomputed by ``services.recompute_case_clock`` from ``filed_on``, the rules of
    the day of filing, the approved extension, the recorded collective decision and the pauses.
    """

    number = models.CharField("立案编号", max_length=60, unique=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cases", verbose_name="承办单位")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.PROTECT, related_name="cases",
                             verbose_name="案源线索")
    procedure = models.CharField("程序", max_length=12, choices=Procedure.choices, default=Procedure.ORDINARY)
    # The party: a registered entity, or who they are when not registered.
    entity = models.ForeignKey("registry.Entity", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="cases", verbose_name="当事人（市场主体）")
    party_name = models.CharField("当事人名称", max_length=200)
    party_kind = models.CharField("当事人类型", max_length=12, choices=PartyKind.choices)
    # encrypted at rest (#14): a natural person's ID number and home address
    party_id_no = EncryptedTextField("证件号码/统一社会信用代码", max_length=30, blank=True)
    party_address = EncryptedTextField("当事人地址", max_length=200, blank=True)
    case_type = models.CharField("案件类型", max_length=30, help_text="规则 enforcement.case_types 中的代码")
    campaigns = models.ManyToManyField(Campaign, blank=True, related_name="cases", verbose_name="专项行动")
    title = models.CharField("案由", max_length=300)
    facts = models.TextField("涉嫌违法事实", blank=True)
    status = models.CharField("状态", max_length=14, choices=CaseStatus.choices, default=CaseStatus.FILED)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="CaseOfficer", related_name="cases",
                                      verbose_name="办案人员")

    # Filing and the decision clock.
    filed_on = models.DateField("立案日期")
    filing_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", verbose_name="立案批准人")
    decision_deadline = models.DateField("处理决定期限", null=True, blank=True)
    extended = models.BooleanField("经负责人批准延长", default=False)
    extension_reason = models.CharField("延长理由", max_length=300, blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+", verbose_name="延长批准人")
    extension_approved_on = models.DateField("延长批准日期", null=True, blank=True)
    collective_extension_days = models.PositiveIntegerField("集体讨论决定再延长（日）", default=0)
    collective_decision_no = models.CharField("集体讨论记录编号", max_length=60, blank=True)
    collective_decided_on = models.DateField("集体讨论日期", null=True, blank=True)
    paused_days = models.PositiveIntegerField("不计入期限的天数", default=0, editable=False)
    clock_paused = models.BooleanField("期限暂停中", default=False, editable=False)
    overdue = models.BooleanField("超期", default=False, help_text="由每日作业标记：处理决定期限已过而尚未决定")
    calendar_pending = models.BooleanField("期限暂定", default=False,
                                           help_text="期限落在尚未录入节假日安排的年度：按无节假日暂定，录入后由每日作业重算")

    # Investigation and review.
    circumstance = models.CharField("情节", max_length=12, blank=True,
                                    help_text="裁量情节：mitigated 减轻 / lighter 从轻 / normal 一般 / heavier 从重")
    illegal_income = models.DecimalField("违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    goods_value = models.DecimalField("违法货值（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    investigation_report = models.TextField("调查终结报告", blank=True)
    investigated_on = models.DateField("调查终结日期", null=True, blank=True)
    outcome = models.CharField("处理意见", max_length=16, choices=Outcome.choices, blank=True)
    proposed_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    proposed_fine = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    outcome_reason = models.TextField("不予处罚/移送理由", blank=True)

    closed_on = models.DateField("结案日期", null=True, blank=True)
    closing_note = models.TextField("结案意见", blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="结案批准人")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "行政处罚案件"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "seq"], name="case_number_per_unit_year"),
        ]
        indexes = [
            # The workbench list: scope (unit) + one filter, newest first, keyset on id.
            models.Index(fields=["unit", "status", "-id"], name="case_unit_status_id"),
            models.Index(fields=["unit", "case_type", "-id"], name="case_unit_type_id"),
            models.Index(fields=["status", "case_type", "-id"], name="case_status_type_id"),
            models.Index(fields=["overdue", "unit", "-id"], name="case_overdue_unit_id"),
            # The sweep and the deadline board: open cases by deadline.
            models.Index(fields=["status", "decision_deadline"], name="case_status_deadline"),
        ]
        permissions = [
            ("handle_case", "办理案件（调查取证、查封扣押、调查终结、告知、送达）"),
            ("approve_case", "审批案件（立案、延期、处罚决定、结案）"),
            ("review_case", "法制审核"),
            ("view_deadline_board", "查看办案期限看板"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    def case_type_label(self) -> str:
        from .rules import case_type_label

        return case_type_label(self.case_type)


class CaseOfficer(models.Model):
    """An officer on a case; the credential is copied at assignment, as the case file records it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    is_lead = models.BooleanField("主办人", default=False)
    credential_no = models.CharField("执法证号", max_length=30)
    assigned_on = models.DateField("指派日期")

    class Meta:
        ordering = ["case", "-is_lead", "id"]
        verbose_name = verbose_name_plural = "办案人员"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_officer_once")]
        indexes = [models.Index(fields=["user", "case"], name="case_officer_user")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id}"


class ClockPause(models.Model):
    """Time excluded from a statutory period (testing, appraisal, hearing, suspension…), on a lead, a case or a
    seizure (Administrative Compulsion Law art. 25: testing, inspection, quarantine, technical appraisal).

    ``ends_on`` empty: the pause is still running and the deadline is held (recomputed daily by the sweep).
    """

    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.CASCADE, related_name="pauses")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="pauses")
    seizure = models.ForeignKey("Seizure", null=True, blank=True, on_delete=models.CASCADE, related_name="pauses",
                                verbose_name="查封扣押（检测、检验、检疫、技术鉴定期间不计入）")
    reason = models.CharField("事由", max_length=16, choices=PauseReason.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    evidence_ref = models.CharField("依据（委托书、检验报告编号，期间告知书文号）", max_length=200, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = verbose_name_plural = "期限中止（不计入期限）"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False, case__isnull=True, seizure__isnull=True)
                | models.Q(lead__isnull=True, case__isnull=False, seizure__isnull=True)
                | models.Q(lead__isnull=True, case__isnull=True, seizure__isnull=False),
                name="pause_on_one_clock"),
            models.CheckConstraint(condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                                   name="pause_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.starts_on}–{self.ends_on or ''}"


class Evidence(models.Model):
    """An evidence record (证据) of the case file (Order 2 arts. 20–30)."""

    class Kind(models.TextChoices):
        DOCUMENTARY = "documentary", "书证"
        PHYSICAL = "physical", "物证"
        AUDIOVISUAL = "audiovisual", "视听资料"
        ELECTRONIC = "electronic", "电子数据"
        WITNESS = "witness", "证人证言"
        STATEMENT = "statement", "当事人的陈述（询问笔录）"
        APPRAISAL = "appraisal", "鉴定意见（检验检测报告）"
        RECORD = "record", "勘验笔录、现场笔录"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("证据种类", max_length=12, choices=Kind.choices)
    description = models.CharField("证据内容", max_length=500)
    collected_on = models.DateField("取证日期")
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="取证人")
    source = models.CharField("来源（提供人、地点）", max_length=200, blank=True)
    file = models.FileField("附件", upload_to="enforcement/evidence/%Y/", blank=True, storage=encrypted_media)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "collected_on", "id"]
        verbose_name = verbose_name_plural = "证据"

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class Seizure(models.Model):
    """A compulsory measure (查封、扣押): 30 days, +30 with the head's approval (Administrative Coercion Law art. 25)."""

    class Measure(models.TextChoices):
        SEAL = "seal", "查封"
        SEIZE = "seize", "扣押"

    class Status(models.TextChoices):
        ACTIVE = "active", "实施中"
        EXTENDED = "extended", "已延长"
        RELEASED = "released", "已解除"
        DISPOSED = "disposed", "已处理（没收/销毁）"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seizures")
    measure = models.CharField("措施", max_length=6, choices=Measure.choices)
    items = models.TextField("场所、设施或者财物清单")
    place = models.CharField("存放地点", max_length=200, blank=True)
    decided_on = models.DateField("决定日期")
    ends_on = models.DateField("期限届满日")
    extended = models.BooleanField("已延长", default=False)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    released_on = models.DateField("解除日期", null=True, blank=True)
    release_note = models.CharField("解除/处理说明", max_length=300, blank=True)
    expired = models.BooleanField("期限已届满未解除", default=False, help_text="由每日作业标记")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["case", "decided_on", "id"]
        verbose_name = verbose_name_plural = "查封扣押"
        indexes = [models.Index(fields=["status", "ends_on"], name="seizure_status_ends")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_measure_display()} {self.decided_on}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.EXTENDED)


class LegalReview(models.Model):
    """Legal review (法制审核) before a decision (Order 2 art. 60); about 10 working days."""

    class Result(models.TextChoices):
        APPROVED = "approved", "同意"
        RETURNED = "returned", "退回补充调查或者修改"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    submitted_on = models.DateField("送审日期")
    due_on = models.DateField("审核期限", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="审核人")
    result = models.CharField("审核结论", max_length=10, choices=Result.choices, blank=True)
    opinion = models.TextField("审核意见", blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)

    class Meta:
        ordering = ["case", "submitted_on", "id"]
        verbose_name = verbose_name_plural = "法制审核"

    def __str__(self) -> str:
        return f"{self.case_id} {self.submitted_on}"


class PriorNotice(models.Model):
    """The prior notice (行政处罚事先告知) of the intended penalty, with the party's statement and hearing rights."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    notified_on = models.DateField("告知日期")
    proposed_kinds = models.JSONField("拟处罚种类", default=list)
    proposed_fine = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    hearing_right = models.BooleanField("告知听证权利", default=False)
    reply_deadline = models.DateField("陈述申辩/申请听证期限", null=True, blank=True,
                                      help_text="自告知书送达之日起 5 个工作日；送达前为空")
    served_on = models.DateField("告知书送达日期", null=True, blank=True)
    service = models.ForeignKey("Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="送达记录")
    statement = models.TextField("当事人陈述申辩", blank=True)
    statement_on = models.DateField("陈述申辩日期", null=True, blank=True)
    waived = models.BooleanField("当事人放弃陈述申辩和听证", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "notified_on", "id"]
        verbose_name = verbose_name_plural = "事先告知"

    def __str__(self) -> str:
        return f"{self.case_id} {self.notified_on}"


class Hearing(models.Model):
    """A hearing (听证), requested by the party within the period of the notice; its time pauses the clock."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    requested_on = models.DateField("申请日期")
    scheduled_on = models.DateField("举行日期", null=True, blank=True)
    notice_served_on = models.DateField("听证通知书送达日期", null=True, blank=True)
    earliest_on = models.DateField("最早可举行日期", null=True, blank=True, help_text="听证通知书送达后满 7 个工作日")
    place = models.CharField("地点", max_length=200, blank=True)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name="听证主持人")
    held_on = models.DateField("听证结束日期", null=True, blank=True)
    minutes = models.TextField("听证笔录摘要", blank=True)
    report = models.TextField("听证报告（主持人意见）", blank=True)

    class Meta:
        ordering = ["case", "requested_on", "id"]
        verbose_name = verbose_name_plural = "听证"

    def __str__(self) -> str:
        return f"{self.case_id} {self.requested_on}"


class PaymentStatus(models.TextChoices):
    NONE = "none", "无罚没款"
    PENDING = "pending", "待缴纳"
    PAID = "paid", "已缴纳"
    OVERDUE = "overdue", "逾期未缴纳"
    ENFORCEMENT = "enforcement", "已申请强制执行"
    ENFORCED = "enforced", "强制执行完毕"


class Penalty(models.Model):
    """The penalty decision (行政处罚决定) of a case.

    ``entity`` (related_name ``penalties``) feeds the credit record and the risk indicator ``penalties_3y``, which
    read ``enforcement_penalty.entity_id`` and ``decided_on``. Publication (``published_on``,
    ``publication_deadline``, ``publication_ends_on``) is written by ``publication.py``.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="penalty")
    entity = models.ForeignKey("registry.Entity", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="penalties", verbose_name="当事人（市场主体）")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="penalties", verbose_name="决定机关")
    party_name = models.CharField("当事人名称", max_length=200)
    party_kind = models.CharField("当事人类型", max_length=12, choices=PartyKind.choices)
    decision_no = models.CharField("决定书文号", max_length=60, unique=True)
    decided_on = models.DateField("决定日期")
    kinds = models.JSONField("处罚种类", default=list, help_text="PenaltyKind 代码列表")
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, default=0)
    confiscated_amount = models.DecimalField("没收违法所得（元）", max_digits=14, decimal_places=2, default=0)
    confiscated_items = models.CharField("没收非法财物", max_length=500, blank=True)
    suspension_days = models.PositiveIntegerField("停产停业/暂扣天数", null=True, blank=True)
    facts = models.TextField("违法事实")
    legal_basis = models.TextField("处罚依据")
    is_light = models.BooleanField("简易程序或仅警告、通报批评、较小数额罚款（公示 3 个月）", default=False)
    is_heavy = models.BooleanField("较重行政处罚（可听证）", default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="批准人")
    collective = models.BooleanField("经集体讨论决定", default=False)

    # Service of the decision: on the spot, or within 7 working days when the party is absent (APL art. 61).
    service_due = models.DateField("决定书送达期限", null=True, blank=True)
    service_due_provisional = models.BooleanField(
        "送达期限暂定", default=False, help_text="期限所在年份的节假日尚未录入：按无节假日计算，录入后由每日任务重算")
    service_overdue = models.BooleanField("逾期未送达", default=False, help_text="由每日作业标记")
    served_late = models.BooleanField("超过 7 个工作日送达", default=False)

    # Payment (15 days) and execution.
    payment_status = models.CharField("缴纳状态", max_length=12, choices=PaymentStatus.choices,
                                      default=PaymentStatus.NONE)
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    payment_due_provisional = models.BooleanField(
        "缴款期限暂定", default=False, help_text="期限末日所在年份的节假日尚未录入：按无节假日计算，录入后由每日任务重算")
    paid_on = models.DateField("缴纳日期", null=True, blank=True)
    paid_amount = models.DecimalField("已缴金额（元）", max_digits=14, decimal_places=2, default=0)
    receipt_no = models.CharField("缴款票据号", max_length=60, blank=True)
    enforcement_applied_on = models.DateField("申请强制执行日期", null=True, blank=True)
    enforcement_note = models.CharField("执行情况", max_length=300, blank=True)

    # Publication (publication.py).
    published_on = models.DateField("公示日期", null=True, blank=True)
    publication_deadline = models.DateField("公示期限", null=True, blank=True)
    publication_ends_on = models.DateField("公示截止日期", null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = verbose_name_plural = "行政处罚决定"
        indexes = [
            models.Index(fields=["entity", "decided_on"], name="penalty_entity_decided"),
            models.Index(fields=["payment_status", "payment_due"], name="penalty_payment_due"),
            models.Index(fields=["published_on", "publication_ends_on"], name="penalty_published"),
        ]

    def __str__(self) -> str:
        return self.decision_no

    @property
    def is_published(self) -> bool:
        today = timezone.localdate()
        return (self.published_on is not None and self.published_on <= today
                and (self.publication_ends_on is None or today <= self.publication_ends_on))

    def kind_labels(self) -> str:
        labels = dict(PenaltyKind.choices)
        return "、".join(labels.get(k, k) for k in self.kinds)

    @property
    def amount_due(self):
        return (self.fine_amount or 0) + (self.confiscated_amount or 0)


class Service(models.Model):
    """Service of a document on the party (送达) with its proof (送达回证、邮寄回执、电子送达记录、公告)."""

    class Method(models.TextChoices):
        DIRECT = "direct", "直接送达"
        LEFT = "left", "留置送达"
        ELECTRONIC = "electronic", "电子送达"
        MAIL = "mail", "邮寄送达"
        ENTRUSTED = "entrusted", "委托送达"
        ANNOUNCEMENT = "announcement", "公告送达"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    document_title = models.CharField("送达文书", max_length=100)
    document_no = models.CharField("文书编号", max_length=60, blank=True)
    method = models.CharField("送达方式", max_length=12, choices=Method.choices)
    sent_on = models.DateField("交邮或者发出公告日期", null=True, blank=True,
                               help_text="邮寄：在途时间不计入期间；公告：自发出公告之日起经过 30 日视为送达")
    served_on = models.DateField("送达日期")
    recipient = models.CharField("受送达人/签收人", max_length=100)
    proof = models.CharField("送达凭证", max_length=200, help_text="送达回证编号、邮件单号、电子送达记录或公告载体")
    proof_file = models.FileField("凭证扫描件", upload_to="enforcement/service/%Y/", blank=True,
                                  storage=encrypted_media)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "served_on", "id"]
        verbose_name = verbose_name_plural = "送达记录"

    def __str__(self) -> str:
        return f"{self.case_id} {self.document_title} {self.served_on}"


class FilingRequest(models.Model):
    """An officer's request to file a case from a lead (立案审批表), approved or returned by a head of the unit
    (Order 2 art. 19: 经市场监督管理部门负责人批准，予以立案). The case exists only once approved; its filing date is
    the day of approval and the approver's name is what the printed form carries as 机关负责人审批意见."""

    class Status(models.TextChoices):
        PENDING = "pending", "待负责人审批"
        APPROVED = "approved", "已批准立案"
        RETURNED = "returned", "已退回"

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="filing_requests")
    data = models.JSONField("拟立案内容", help_text="案件类型、案由、当事人类型、办案人员、专项行动、逾期立案理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    requested_on = models.DateField("申请日期")
    opinion = models.CharField("承办人意见", max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="审批人")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    case = models.OneToOneField("Case", null=True, blank=True, on_delete=models.PROTECT, related_name="filing_request")

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = verbose_name_plural = "立案审批"
        constraints = [models.UniqueConstraint(fields=["lead"], condition=models.Q(status="pending"),
                                               name="one_pending_filing_request_per_lead")]

    def __str__(self) -> str:
        return f"线索 #{self.lead_id} 立案审批（{self.get_status_display()}）"
