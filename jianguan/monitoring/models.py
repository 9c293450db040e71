"""Monitoring (监测) that finds violations before a complaint does — here: online trading (网络交易监管).

``OnlineShop`` is the register of the online shops of local entities (platform, shop, URL, the entity behind it, and
whether it displays its business licence and permits — 亮照亮证). ``OnlineFinding`` is one monitoring observation,
preserved as electronic evidence (电子数据取证): the URL as fetched, the time, the page's HTML and a screenshot taken
with chromium, and the SHA-256 and size of each file (of the plaintext: the evidence's fingerprints, quoted in the
lead). The two files are encrypted at rest (#14: a shop page may show its operator's name and licence photo):
written through ``core.storage.encrypted_media``, their names kept in ``EncryptedMediaPathField``s. A URL that cannot be fetched is recorded as such (status ``failed``
with the reason) and has no capture. A captured finding is handed to enforcement as a lead in one action.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.core.storage import EncryptedMediaPathField


class Platform(models.TextChoices):
    TAOBAO = "taobao", "淘宝/天猫"
    JD = "jd", "京东"
    PDD = "pdd", "拼多多"
    DOUYIN = "douyin", "抖音"
    KUAISHOU = "kuaishou", "快手"
    MEITUAN = "meituan", "美团"
    WECHAT = "wechat", "微信小程序/公众号"
    OWN_SITE = "own_site", "自建网站"
    OTHER = "other", "其他平台"


class OnlineShop(models.Model):
    platform = models.CharField("平台", max_length=20, choices=Platform.choices)
    shop_name = models.CharField("店铺名称", max_length=200)
    url = models.URLField("店铺网址", max_length=500)
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="online_shops",
                               verbose_name="经营主体")
    licence_displayed = models.BooleanField("亮照亮证", default=False)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["platform", "shop_name", "id"]
        verbose_name = verbose_name_plural = "网店台账"
        constraints = [models.UniqueConstraint(fields=["url"], name="monitoring_shop_url_unique")]
        indexes = [models.Index(fields=["unit", "platform"], name="monitoring_shop_unit")]
        permissions = [("manage_online_shops", "维护网店台账"),
                       ("capture_online_evidence", "网络交易监测取证、移交线索")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.shop_name}"


class CaptureStatus(models.TextChoices):
    CAPTURED = "captured", "已取证"
    FAILED = "failed", "无法访问（未取证）"


class OnlineFinding(models.Model):
    shop = models.ForeignKey(OnlineShop, on_delete=models.PROTECT, related_name="findings", verbose_name="网店")
    url = models.URLField("监测网址", max_length=500)
    problem = models.CharField("发现的问题", max_length=500)
    status = models.CharField("取证结果", max_length=10, choices=CaptureStatus.choices)
    failure = models.CharField("无法访问的原因", max_length=300, blank=True)
    http_status = models.PositiveIntegerField("HTTP 状态码", null=True, blank=True)
    page_title = models.CharField("页面标题", max_length=300, blank=True)
    html_file = EncryptedMediaPathField("网页源文件", max_length=300, blank=True)
    html_sha256 = models.CharField("网页源文件 SHA-256", max_length=64, blank=True)
    html_size = models.PositiveIntegerField("网页源文件字节数", default=0)
    screenshot_file = EncryptedMediaPathField("截图文件", max_length=300, blank=True)
    screenshot_sha256 = models.CharField("截图 SHA-256", max_length=64, blank=True)
    screenshot_size = models.PositiveIntegerField("截图字节数", default=0)
    captured_at = models.DateTimeField("取证时间")
    lead = models.ForeignKey("enforcement.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="移交的线索")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey("MonitoringRound", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="findings", verbose_name="监测轮次")

    class Meta:
        ordering = ["-captured_at", "-id"]
        verbose_name = verbose_name_plural = "网络交易监测发现"
        indexes = [models.Index(fields=["unit", "captured_at"], name="monitoring_finding_unit")]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.captured_at:%Y-%m-%d %H:%M}"


# --- advertising monitoring (广告监测) -------------------------------------------------------------------------------


class Medium(models.TextChoices):
    TV = "tv", "电视"
    RADIO = "radio", "广播"
    PRINT = "print", "报刊"
    OUTDOOR = "outdoor", "户外"
    ONLINE = "online", "互联网"


class Review(models.TextChoices):
    NOT_REQUIRED = "not_required", "无须审查"
    APPROVED = "approved", "批准文号有效"
    MISSING = "missing", "未标明批准文号"
    MALFORMED = "malformed", "批准文号不是本类别的"
    UNKNOWN = "unknown", "查无此批准文号"
    MISMATCH = "mismatch", "批准文号与广告主或类别不符"
    EXPIRED = "expired", "批准文号不在有效期内"


class AdApproval(models.Model):
    """An approval of an ad's content before publication (广告审查批准文号 / 医疗广告审查证明)."""

    number = models.CharField("批准文号", max_length=60)
    category = models.CharField("广告类别", max_length=30)
    advertiser = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="广告主")
    product = models.CharField("商品或服务", max_length=200)
    valid_from = models.DateField("有效期自")
    valid_until = models.DateField("有效期至")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-valid_until", "id"]
        verbose_name = verbose_name_plural = "广告审查批准文号"
        constraints = [models.UniqueConstraint(fields=["number"], name="monitoring_approval_number_unique")]

    def __str__(self) -> str:
        return self.number


class Ad(models.Model):
    """One ad observed in monitoring: where, whose, what it claims; its review check and the article it breaks."""

    medium = models.CharField("媒介", max_length=10, choices=Medium.choices)
    outlet = models.CharField("发布媒体或地点", max_length=200)
    advertiser = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="广告主")
    category = models.CharField("广告类别", max_length=30)
    product = models.CharField("商品或服务", max_length=200)
    claim = models.CharField("广告内容（宣称）", max_length=1000)
    observed_on = models.DateField("监测日期")
    approval_no = models.CharField("标明的批准文号", max_length=60, blank=True)
    approval = models.ForeignKey(AdApproval, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review = models.CharField("审查核对", max_length=15, choices=Review.choices)
    article = models.CharField("违反条款", max_length=4, blank=True)
    violation = models.BooleanField("涉嫌违法", default=False)
    lead = models.ForeignKey("enforcement.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="移交的线索")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_on", "-id"]
        verbose_name = verbose_name_plural = "广告监测记录"
        indexes = [models.Index(fields=["unit", "observed_on"], name="monitoring_ad_unit"),
                   models.Index(fields=["observed_on", "medium", "category"], name="monitoring_ad_stats")]
        permissions = [("monitor_ads", "广告监测登记、移交线索")]

    def __str__(self) -> str:
        return f"{self.product}（{self.observed_on}）"

    @property
    def category_label(self) -> str:
        from .adlaw import CATEGORIES

        found = CATEGORIES.get(self.category)
        return found.label if found else self.category

    @property
    def article_obj(self):
        from .adlaw import ARTICLES

        return ARTICLES.get(self.article)


# --- fee checks (涉企违规收费) -----------------------------------------------------------------------------------------


class FeeCampaign(models.Model):
    """A campaign of checks on charges imposed on enterprises; its figures are what it reports up."""

    title = models.CharField("专项行动名称", max_length=200)
    year = models.PositiveIntegerField("年度")
    kinds = models.JSONField("检查对象类型", default=list)
    started_on = models.DateField("开始日期")
    report_due = models.DateField("报送截止日期")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-started_on", "-id"]
        verbose_name = verbose_name_plural = "涉企收费检查专项行动"
        permissions = [("check_fees", "涉企违规收费检查、责令清退")]

    def __str__(self) -> str:
        return self.title


class FeeCheck(models.Model):
    """One charging body checked in a campaign, with the checklist of its kind (item code → ok / problem / na)."""

    campaign = models.ForeignKey(FeeCampaign, on_delete=models.PROTECT, related_name="checks")
    kind = models.CharField("对象类型", max_length=20)
    body_name = models.CharField("被检查单位", max_length=200)
    entity = models.ForeignKey("registry.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="市场主体")
    checked_on = models.DateField("检查日期")
    checklist = models.JSONField("检查清单", default=dict)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="检查单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["campaign", "kind", "body_name", "id"]
        verbose_name = verbose_name_plural = "涉企收费检查"
        constraints = [models.UniqueConstraint(fields=["campaign", "body_name"], name="monitoring_feecheck_body")]

    def __str__(self) -> str:
        return self.body_name


class FeeFinding(models.Model):
    """A charge found unlawful: the amount charged, the enterprises that paid, the refund ordered (清退), and the
    enforcement lead it was handed over as (refunding returns the money; whether to penalise is enforcement's call)."""

    fee_check = models.ForeignKey(FeeCheck, on_delete=models.PROTECT, related_name="findings",
                                  verbose_name="检查记录")
    item = models.CharField("检查项目", max_length=30)
    description = models.CharField("问题描述", max_length=500)
    amount = models.DecimalField("违规收费金额（元）", max_digits=14, decimal_places=2)
    payers = models.PositiveIntegerField("涉及企业（家）", default=0)
    refund_ordered = models.DecimalField("责令清退金额（元）", max_digits=14, decimal_places=2, default=0)
    ordered_on = models.DateField("责令清退日期", null=True, blank=True)
    refunded = models.DecimalField("已清退金额（元）", max_digits=14, decimal_places=2, default=0)
    lead = models.ForeignKey("enforcement.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="移交的线索")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="检查单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fee_check", "id"]
        verbose_name = verbose_name_plural = "违规收费问题"

    def __str__(self) -> str:
        return self.description

    @property
    def fully_refunded(self) -> bool:
        """The whole amount found has been paid back: nothing more to order or confirm."""
        return self.refunded >= self.amount

    @property
    def awaiting_refund(self) -> bool:
        """An order stands with part of it not yet confirmed as paid back (the 确认清退 form is offered only then)."""
        return self.ordered_on is not None and self.refunded < self.refund_ordered


class FeeRefund(models.Model):
    """A refund confirmed (清退到位): the amount paid back to the enterprises, when, and the proof seen."""

    finding = models.ForeignKey(FeeFinding, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField("清退金额（元）", max_digits=14, decimal_places=2)
    refunded_on = models.DateField("清退日期")
    proof = models.CharField("清退凭证", max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["refunded_on", "id"]
        verbose_name = verbose_name_plural = "清退确认"

    def __str__(self) -> str:
        return f"{self.refunded_on} {self.amount}"


# --- counterfeits (假冒伪劣) ------------------------------------------------------------------------------------------


class CounterfeitCampaign(models.Model):
    """A campaign against fakes and counterfeits of one product line or one market: it links the inspections,
    sampling failures and cases that belong to it, and keeps the goods seized and destroyed."""

    title = models.CharField("行动名称", max_length=200)
    product_line = models.CharField("产品类别", max_length=100)
    market = models.CharField("市场或区域", max_length=200, blank=True)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    tasks = models.ManyToManyField("inspections.InspectionTask", blank=True, related_name="+",
                                   verbose_name="检查任务")
    samples = models.ManyToManyField("sampling.Sample", blank=True, related_name="+", verbose_name="不合格样品")
    cases = models.ManyToManyField("enforcement.Case", blank=True, related_name="+", verbose_name="案件")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = verbose_name_plural = "打击假冒伪劣行动"
        permissions = [("manage_counterfeit_campaigns", "打击假冒伪劣行动：关联检查、抽检、案件，登记查扣和销毁")]

    def __str__(self) -> str:
        return self.title


class SeizedGoods(models.Model):
    """Goods seized in a campaign (查扣), and their destruction (销毁) once decided: how, where, who witnessed."""

    campaign = models.ForeignKey(CounterfeitCampaign, on_delete=models.PROTECT, related_name="goods")
    description = models.CharField("物品名称", max_length=200)
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=2)
    measure = models.CharField("单位", max_length=20)
    value = models.DecimalField("货值金额（元）", max_digits=14, decimal_places=2, default=0)
    seized_on = models.DateField("查扣日期")
    case = models.ForeignKey("enforcement.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="所属案件")
    destroyed_on = models.DateField("销毁日期", null=True, blank=True)
    destroyed_how = models.CharField("销毁方式和地点", max_length=200, blank=True)
    witnesses = models.CharField("监销人员", max_length=200, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="查扣单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seized_on", "id"]
        verbose_name = verbose_name_plural = "查扣物品"

    def __str__(self) -> str:
        return f"{self.description} {self.quantity}{self.measure}"


# --- online monitoring rounds (监测轮次) ------------------------------------------------------------------------------


class RoundMethod(models.TextChoices):
    PLAN = "plan", "按计划指定"
    DRAW = "draw", "可验证随机抽取"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "待冻结名单"
    COMMITTED = "committed", "已公示承诺值，待录入随机数"
    READY = "ready", "监测中"


class MonitoringRound(models.Model):
    """A round of online-trading monitoring: the shops to capture, named by plan or drawn with the verifiable draw
    (``inspections.draw``: the list of shops frozen and its commitment published before the public randomness)."""

    code = models.CharField("轮次编号", max_length=40, unique=True)
    title = models.CharField("名称", max_length=200)
    method = models.CharField("确定对象方式", max_length=10, choices=RoundMethod.choices)
    platform = models.CharField("平台（抽取范围）", max_length=20, blank=True)
    quota = models.PositiveIntegerField("抽取店铺数", default=0)
    status = models.CharField("状态", max_length=12, choices=RoundStatus.choices)
    beacon = models.CharField("公开随机源", max_length=200, blank=True)
    manifest = models.TextField("抽取清单", blank=True)
    commitment = models.CharField("承诺值", max_length=64, blank=True)
    randomness = models.CharField("随机数", max_length=200, blank=True)
    bundle = models.TextField("抽取结果包", blank=True)
    bundle_sha256 = models.CharField("结果包 SHA-256", max_length=64, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    created_at = models.DateTimeField(default=timezone.now)
    frozen_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "网络交易监测轮次"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class RoundShop(models.Model):
    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="targets")
    shop = models.ForeignKey(OnlineShop, on_delete=models.PROTECT, related_name="+")
    ticket = models.CharField("抽取签号", max_length=64, blank=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "shop"], name="monitoring_round_shop")]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.shop_id}"
