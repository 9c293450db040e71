"""Credit supervision: annual reports, instant information, the abnormal and serious lists, credit repair,
notices to entities and the credit risk classes."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.fields import EncryptedTextField
from jianguan.core.models import OrgUnit
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
        permissions = [("recompute_risk", "重新计算信用风险分类")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.risk_class}"

    @property
    def reasons_text(self) -> str:
        """"D: 列入经营异常名录 +30; 持有高风险许可 +15" — the class and every point that made it."""
        from .risk import reasons_text

        return reasons_text(self.risk_class, self.reasons)


class EntityRiskHistory(models.Model):
    """A change of an entity's risk class (a row only when the class changed, never for a mere recomputation)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="risk_history")
    risk_class = models.CharField("风险分类", max_length=1, choices=RiskClass.choices)
    previous_class = models.CharField("原分类", max_length=1, choices=RiskClass.choices, blank=True)
    score = models.IntegerField("分值")
    reasons = models.JSONField("依据", default=list)
    classified_on = models.DateField("分类日期")
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    class Meta:
        ordering = ["entity", "-computed_at", "-id"]
        indexes = [models.Index(fields=["entity", "computed_at"], name="credit_riskhist_entity")]
        verbose_name = verbose_name_plural = "信用风险分类变化记录"

    def __str__(self) -> str:
        return f"{self.entity_id} {self.previous_class or '-'}→{self.risk_class} {self.classified_on}"


# --- annual reports -------------------------------------------------------------------------------------------------

MONEY = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}
FINANCIAL_FIELDS = ("total_assets", "total_liabilities", "revenue", "profit", "net_profit", "tax")


class AnnualReport(models.Model):
    """One version of an entity's annual report (年度报告) for ``year``.

    A correction before the end of the filing window adds a new version and leaves the old one as history; the
    current version has ``is_current``. Parts marked public are shown on the publicity system; the others
    (personal contact data, and whatever the enterprise chose not to publish) only to staff.
    """

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="annual_reports", verbose_name="市场主体")
    year = models.PositiveSmallIntegerField("报告年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    filed_on = models.DateField("报送日期")
    filed_at = models.DateTimeField("报送时间", default=timezone.now)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="报送账号")
    late = models.BooleanField("逾期补报", default=False)
    # basic and contact data (public, except the contact person's phone and e-mail); the address (an individual
    # business's is often its operator's home) and the phone are encrypted at rest (#14)
    address = EncryptedTextField("通信地址", max_length=200)
    postal_code = models.CharField("邮政编码", max_length=6, blank=True)
    phone = EncryptedTextField("联系电话", max_length=20)
    email = models.CharField("电子邮箱", max_length=100, blank=True)
    operating_status = models.CharField("经营状态", max_length=20, default="开业",
                                        choices=[(s, s) for s in ("开业", "歇业", "停业", "清算")])
    employees = models.PositiveIntegerField("从业人数", default=0)
    # financials (万元) — enterprises may choose whether to publish them
    total_assets = models.DecimalField("资产总额（万元）", **MONEY)
    total_liabilities = models.DecimalField("负债总额（万元）", **MONEY)
    revenue = models.DecimalField("营业总收入（万元）", **MONEY)
    profit = models.DecimalField("利润总额（万元）", **MONEY)
    net_profit = models.DecimalField("净利润（万元）", **MONEY)
    tax = models.DecimalField("纳税总额（万元）", **MONEY)
    financials_all_zero = models.BooleanField("财务数据全为零", default=False, db_index=True)
    # social insurance (public)
    insured_employees = models.PositiveIntegerField("参加城镇职工基本养老保险人数", default=0)
    # websites and online shops, outward investment, guarantees (free text, one per line)
    websites = models.TextField("网站或网店", blank=True, help_text="每行一个：名称 网址")
    investments = models.TextField("对外投资", blank=True, help_text="每行一个：被投资企业名称 统一社会信用代码")
    guarantees = models.TextField("对外提供保证担保", blank=True, help_text="每行一个：债权人 主债权数额（万元） 期限")
    # which optional parts are public (企业自主选择是否公示)
    public_employees = models.BooleanField("公示从业人数", default=True)
    public_financials = models.BooleanField("公示资产状况信息", default=False)
    public_guarantees = models.BooleanField("公示对外担保信息", default=False)

    class Meta:
        ordering = ["entity", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "year", "version"], name="credit_report_version_unique"),
            models.UniqueConstraint(fields=["entity", "year"], condition=models.Q(is_current=True),
                                    name="credit_report_current_unique"),
        ]
        indexes = [models.Index(fields=["year", "is_current", "entity"], name="credit_report_year")]
        verbose_name = verbose_name_plural = "年度报告"
        permissions = [("send_report_reminder", "发送年报催报提醒")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.year}年度报告 v{self.version}"

    def compute_all_zero(self) -> bool:
        return all((getattr(self, f) or Decimal(0)) == 0 for f in FINANCIAL_FIELDS)

    def save(self, *args, **kwargs):
        self.financials_all_zero = self.compute_all_zero()
        super().save(*args, **kwargs)


# --- instant information --------------------------------------------------------------------------------------------


class InstantInfo(models.Model):
    """Instant information (即时信息) an enterprise must publish within 20 working days of it arising."""

    class Kind(models.TextChoices):
        CAPITAL = "capital", "股东认缴和实缴出资"
        EQUITY = "equity", "股权变更"
        LICENCE = "licence", "行政许可取得、变更、延续"
        IP_PLEDGE = "ip_pledge", "知识产权出质登记"
        PENALTY = "penalty", "受到行政处罚"

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="instant_infos", verbose_name="市场主体")
    kind = models.CharField("信息类别", max_length=16, choices=Kind.choices)
    content = models.TextField("信息内容")
    arose_on = models.DateField("信息形成日期")
    due_on = models.DateField("应公示截止日")
    published_on = models.DateField("公示日期", null=True, blank=True)
    ordered_on = models.DateField("责令限期公示日期", null=True, blank=True)
    order_due_on = models.DateField("责令公示期限", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entity", "-arose_on", "-id"]
        indexes = [models.Index(fields=["published_on", "order_due_on"], name="credit_instant_due")]
        verbose_name = verbose_name_plural = "即时信息"
        permissions = [("order_instant_info", "责令限期公示即时信息")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_kind_display()} {self.arose_on}"

    @property
    def overdue(self) -> bool:
        return self.published_on is None and self.due_on < timezone.localdate()


# --- the lists ------------------------------------------------------------------------------------------------------


class ListKind(models.TextChoices):
    ABNORMAL = "abnormal", "经营异常名录"
    ABNORMAL_STATUS = "abnormal_status", "经营异常状态（个体工商户）"
    SERIOUS = "serious", "严重违法失信名单"


class Ground(models.TextChoices):
    # 经营异常名录管理办法 art. 4: the four grounds
    REPORT_NOT_FILED = "report_not_filed", "未按规定期限公示年度报告"
    INSTANT_NOT_PUBLISHED = "instant_not_published", "未在责令的期限内公示有关企业信息"
    FALSE_INFORMATION = "false_information", "公示企业信息隐瞒真实情况、弄虚作假"
    UNREACHABLE = "unreachable", "通过登记的住所或者经营场所无法联系"
    # 市场监督管理严重违法失信名单管理办法 (SAMR Order 44) arts. 2, 5–13
    FOOD_DRUG_SAFETY = "s_food_drug", "严重危害人民群众身体健康和生命安全（食品、药品、特种设备等领域）"
    FAIR_COMPETITION = "s_competition", "严重破坏公平竞争秩序和社会主义市场经济秩序"
    PUBLIC_INTEREST = "s_public_interest", "拒不履行法定义务，严重影响市场监管部门公信力"
    FALSE_REGISTRATION = "s_false_registration", "提交虚假材料、隐瞒重要事实取得市场主体登记（情节严重）"
    ABNORMAL_THREE_YEARS = "s_abnormal_3y", "被列入经营异常名录届满3年仍未履行相关义务"
    OTHER_SERIOUS = "s_other", "其他严重违法失信行为"


ABNORMAL_GROUNDS = (Ground.REPORT_NOT_FILED, Ground.INSTANT_NOT_PUBLISHED, Ground.FALSE_INFORMATION,
                    Ground.UNREACHABLE)
SERIOUS_GROUNDS = (Ground.FOOD_DRUG_SAFETY, Ground.FAIR_COMPETITION, Ground.PUBLIC_INTEREST,
                   Ground.FALSE_REGISTRATION, Ground.ABNORMAL_THREE_YEARS, Ground.OTHER_SERIOUS)


class EntryStatus(models.TextChoices):
    PROPOSED = "proposed", "拟列入（待审批）"
    ACTIVE = "active", "列入中"
    REMOVED = "removed", "已移出"
    REJECTED = "rejected", "不予列入"


LIVE_STATUSES = (EntryStatus.PROPOSED, EntryStatus.ACTIVE)


class ListEntry(models.Model):
    """An entity's entry on the abnormal operation list or the serious illegal and dishonest list.

    At most one live (proposed or active) entry per (entity, list, ground). A serious-list entry starts as a
    proposal and is listed on approval; an abnormal-list entry is listed by the decision itself.
    """

    # no index of its own: credit_list_entity_ground leads with it
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="list_entries", verbose_name="市场主体",
                               db_index=False)
    list_kind = models.CharField("名录", max_length=16, choices=ListKind.choices)
    ground = models.CharField("列入事由", max_length=24, choices=Ground.choices)
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE)
    facts = models.TextField("事实和依据", blank=True)
    report_year = models.PositiveSmallIntegerField("未报年度", null=True, blank=True)
    instant_info = models.ForeignKey(InstantInfo, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="list_entries", verbose_name="未公示的即时信息", db_index=False)
    penalty_ref = models.CharField("处罚决定书文号", max_length=60, blank=True)
    source_entry = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="successors", verbose_name="原经营异常名录记录", db_index=False)
    ground_arose_on = models.DateField("事由发生日期")
    listing_due_on = models.DateField("最迟列入日期", null=True, blank=True, help_text="事由发生之日起10个工作日")
    deciding_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="作出决定机关")
    proposed_on = models.DateField("提请日期", null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="提请人", db_index=False)
    listed_on = models.DateField("列入日期", null=True, blank=True, db_index=True)
    decision_no = models.CharField("列入决定书文号", max_length=40, blank=True, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="决定人", db_index=False)
    term_ends_on = models.DateField("列入期限届满日", null=True, blank=True)
    reminder_on = models.DateField("届满3年前公告提醒日期", null=True, blank=True)
    removal_requested_on = models.DateField("移出申请或者查实事由消除日期", null=True, blank=True)
    removal_requested_how = models.CharField("移出期限起算事由", max_length=12, blank=True,
                                             choices=[("application", "收到移出申请"), ("cure_found", "查实列入事由已消除")])
    removal_due_on = models.DateField("最迟移出日期", null=True, blank=True,
                                      help_text="自收到申请之日或者查实之日起5个工作日（规则 credit.abnormal.removal_workdays）")
    removal_overdue = models.BooleanField("移出超期", default=False,
                                          help_text="最迟移出日期已过仍在名录：每日任务 credit-abnormal-removal-overdue 标记")
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal_reason = models.CharField("移出原因", max_length=200, blank=True)
    removal_no = models.CharField("移出决定书文号", max_length=40, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="移出决定人", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "list_kind", "ground"],
                                    condition=models.Q(status__in=["proposed", "active"]),
                                    name="credit_list_live_unique"),
        ]
        indexes = [
            models.Index(fields=["list_kind", "status", "entity"], name="credit_list_kind_status"),
            models.Index(fields=["entity", "ground", "report_year"], name="credit_list_entity_ground"),
            # credit_list_status_listed — the lists' default order within a status (listed_on DESC NULLS LAST,
            # proposed_on DESC NULLS LAST, id DESC): created by migration credit 0006 itself, because SQLite's
            # CREATE INDEX has no NULLS LAST (#23)
            # the home card's removal clocks (due within days, or overdue): the few entries with a removal date,
            # not a scan of every active entry
            models.Index(fields=["removal_due_on"], condition=models.Q(removal_due_on__isnull=False),
                         name="credit_list_removal_due"),
            # the optional keys and the overdue flag, indexed only where set: a listing writes them empty, and an
            # index entry per empty value was work for each of the July listing's two million rows (#23)
            *[models.Index(fields=[f], condition=models.Q(**{f"{f}__isnull": False}), name=f"credit_list_{f}")
              for f in ("instant_info", "source_entry", "proposed_by", "decided_by", "removed_by")],
            models.Index(fields=["removal_overdue"], condition=models.Q(removal_overdue=True),
                         name="credit_list_overdue"),
        ]
        verbose_name = verbose_name_plural = "名录记录"
        permissions = [
            ("decide_listing", "作出列入/移出经营异常名录决定"),
            ("propose_serious", "提请列入严重违法失信名单"),
            ("approve_serious", "审批列入/移出严重违法失信名单"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_list_kind_display()} {self.get_ground_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == EntryStatus.ACTIVE


# --- credit repair --------------------------------------------------------------------------------------------------


class RepairKind(models.TextChoices):
    LIST_REMOVAL = "list_removal", "申请移出名录（名单）"
    PENALTY_PUBLICATION = "penalty_publication", "申请提前停止公示行政处罚信息"


class PenaltySector(models.TextChoices):
    FOOD = "food", "食品"
    DRUG = "drug", "药品"
    EQUIPMENT = "equipment", "特种设备"
    OTHER = "other", "其他领域"


class RepairStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "准予修复"
    REJECTED = "rejected", "不予修复"


class RepairApplication(models.Model):
    """An application for credit repair (信用修复): removal from a list, or ending penalty publication early."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="repairs", verbose_name="市场主体")
    kind = models.CharField("修复类型", max_length=20, choices=RepairKind.choices)
    list_entry = models.ForeignKey(ListEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="repairs",
                                   verbose_name="名录记录")
    penalty_ref = models.CharField("行政处罚决定书文号", max_length=60, blank=True)
    penalty_sector = models.CharField("处罚领域", max_length=12, choices=PenaltySector.choices, blank=True)
    penalty_published_on = models.DateField("处罚信息公示日期", null=True, blank=True)
    applied_on = models.DateField("申请日期")
    statement = models.TextField("申请理由及信用承诺")
    status = models.CharField("状态", max_length=10, choices=RepairStatus.choices, default=RepairStatus.PENDING)
    deciding_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="受理机关")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="决定人")
    decision_no = models.CharField("决定书文号", max_length=40, blank=True)
    decision_reason = models.CharField("决定理由", max_length=200, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="申请账号")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["status", "applied_on"], name="credit_repair_status")]
        verbose_name = verbose_name_plural = "信用修复申请"
        permissions = [("decide_repair", "作出信用修复决定")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_kind_display()} {self.get_status_display()}"


# --- notices --------------------------------------------------------------------------------------------------------


class Notice(models.Model):
    """A notice to an entity (告知书、提醒、公告): the record that it was told, and what it was told."""

    class Kind(models.TextChoices):
        LISTED = "listed", "列入决定告知"
        REMOVED = "removed", "移出决定告知"
        REPORT_REMINDER = "report_reminder", "年报催报提醒"
        INSTANT_ORDER = "instant_order", "责令限期公示通知"
        SERIOUS_REMINDER = "serious_reminder", "届满3年前公告提醒"
        SERIOUS_PROPOSED = "serious_proposed", "拟列入严重违法失信名单告知"
        REPAIR_DECISION = "repair_decision", "信用修复决定告知"

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="credit_notices", verbose_name="市场主体",
                               db_index=False)  # credit_notice_entity leads with it
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("内容")
    doc_no = models.CharField("文号", max_length=40, blank=True)
    sent_on = models.DateField("发出日期")
    is_public = models.BooleanField("向社会公告", default=False)
    list_entry = models.ForeignKey(ListEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    repair = models.ForeignKey(RepairApplication, null=True, blank=True, on_delete=models.PROTECT, db_index=False,
                               related_name="notices")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["entity", "sent_on"], name="credit_notice_entity"),
                   models.Index(fields=["repair"], condition=models.Q(repair__isnull=False),
                                name="credit_notice_repair")]
        verbose_name = verbose_name_plural = "告知与提醒"

    def __str__(self) -> str:
        return f"{self.entity_id} {self.title}"
