"""The sampling flow (监督抽查/抽检), shared by every sector (``sectors.py``): product categories with their
standards and test items; annual plans with quotas per district and a verifiable draw (``inspections.draw``, the
same published bundle as the double-random inspections); samples with their chain of custody; lab results per test
item computed against the standard's limits; the unqualified follow-up with its clocks; publication.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.core.storage import encrypted_media
from jianguan.registry.models import Entity


class ProductCategory(models.Model):
    sector = models.CharField("领域", max_length=20, default="product")
    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("产品类别", max_length=60)
    industries = models.JSONField("生产销售者所属行业（国民经济行业代码）", default=list)

    class Meta:
        ordering = ["sector", "code"]
        verbose_name = verbose_name_plural = "抽检产品类别"

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="standards")
    code = models.CharField("标准编号", max_length=40)
    title = models.CharField("标准名称", max_length=120)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = verbose_name_plural = "判定标准"
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="sampling_standard_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class TestItem(models.Model):
    """One test item of a standard: its unit and its limit (a maximum, a minimum or a range)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    name = models.CharField("检验项目", max_length=60)
    unit = models.CharField("单位", max_length=20, help_text="如 %、mg/kg、MPa；无量纲填「—」")
    min_value = models.DecimalField("下限", max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField("上限", max_digits=14, decimal_places=4, null=True, blank=True)
    method = models.CharField("检验方法", max_length=60, blank=True)
    required = models.BooleanField("必检", default=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["standard", "sort", "id"]
        verbose_name = verbose_name_plural = "检验项目"

    def __str__(self) -> str:
        return f"{self.name}（{self.limit_text}）"

    @property
    def limit_text(self) -> str:
        unit = "" if self.unit == "—" else self.unit
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return f"{_n(low)}～{_n(high)} {unit}".strip()
        if high is not None:
            return f"≤ {_n(high)} {unit}".strip()
        if low is not None:
            return f"≥ {_n(low)} {unit}".strip()
        return "报告实测值"

    def conforms(self, value: Decimal) -> bool:
        return (self.min_value is None or value >= self.min_value) and (self.max_value is None or value <= self.max_value)


def _n(value: Decimal) -> str:
    return format(value.normalize(), "f")


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "编制中"
        COMMITTED = "committed", "已冻结名单并公示承诺值"
        DRAWN = "drawn", "已抽取"
        PUBLISHED = "published", "结果已公布"

    sector = models.CharField("领域", max_length=20, default="product")
    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField("计划编号", max_length=30, unique=True)
    title = models.CharField("名称", max_length=120)
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="plans")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="plans")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    beacon = models.TextField("公开随机源", blank=True)
    manifest = models.TextField("抽取清单（规范形式）", blank=True)
    commitment = models.CharField("承诺值", max_length=64, blank=True)
    randomness = models.TextField("随机数", blank=True)
    bundle = models.TextField("抽取结果包", blank=True)
    bundle_sha256 = models.CharField("结果包 SHA-256", max_length=64, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField("结果公布日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = verbose_name_plural = "抽检计划"
        permissions = [
            ("manage_plan", "编制抽检计划、组织抽取、公布结果"),
            ("record_sample", "记录抽样、流转、检验结果和不合格后处理"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def bundle_filename(self) -> str:
        return f"bundle-{self.code}.json"


class Quota(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="quotas")
    district = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="县区")
    quota = models.PositiveIntegerField("抽样数")

    class Meta:
        ordering = ["plan", "district__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "district"], name="sampling_quota_once")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.district_id} {self.quota}"


class Sample(models.Model):
    class Status(models.TextChoices):
        DRAWN = "drawn", "待抽样"
        SAMPLED = "sampled", "已抽样"
        AT_LAB = "at_lab", "检验中"
        QUALIFIED = "qualified", "合格"
        UNQUALIFIED = "unqualified", "不合格"
        CLOSED = "closed", "不合格已处理完毕"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="samples")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="samples", verbose_name="被抽样单位")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    number = models.CharField("样品编号", max_length=40, unique=True)
    stratum = models.CharField("抽取分层", max_length=20, blank=True)
    ticket = models.CharField("抽取签号", max_length=64, blank=True)
    sampler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name="抽样人员")
    resample_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="resamples")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAWN)
    # the sampling record (抽样单)
    product_name = models.CharField("产品名称", max_length=100, blank=True)
    brand_model = models.CharField("商标/规格型号", max_length=100, blank=True)
    batch_no = models.CharField("生产批号", max_length=40, blank=True)
    produced_on = models.DateField("生产日期", null=True, blank=True)
    quantity = models.CharField("抽样数量", max_length=40, blank=True)
    sampled_on = models.DateField("抽样日期", null=True, blank=True)
    seal_no = models.CharField("封样编号", max_length=40, blank=True)
    sampler_signed = models.BooleanField("抽样人员签字", default=False)
    producer_signed = models.BooleanField("被抽样单位签字", default=False)
    photo = models.FileField("现场照片", upload_to="sampling/%Y/", blank=True, storage=encrypted_media)
    # results and follow-up
    tested_on = models.DateField("检验完成日期", null=True, blank=True)
    lab = models.CharField("检验机构", max_length=100, blank=True)
    report_no = models.CharField("检验报告编号", max_length=40, blank=True)
    served_on = models.DateField("检验结果送达日期", null=True, blank=True)
    objection_deadline = models.DateField("异议（复检）申请期限", null=True, blank=True)
    objection_on = models.DateField("提出异议日期", null=True, blank=True)
    retest_conclusion = models.CharField("复检结论", max_length=12, blank=True)
    rectification_deadline = models.DateField("整改期限", null=True, blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    resample_due = models.DateField("复查抽检期限", null=True, blank=True)
    lead_id = models.BigIntegerField("执法线索", null=True, blank=True)
    closed_on = models.DateField("处理完毕日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = verbose_name_plural = "样品"
        indexes = [models.Index(fields=["status", "rectification_deadline"], name="sampling_sample_followup")]

    def __str__(self) -> str:
        return f"{self.number} {self.product_name}"

    @property
    def published(self) -> bool:
        return self.plan.status == Plan.Status.PUBLISHED and self.status in (
            self.Status.QUALIFIED, self.Status.UNQUALIFIED, self.Status.CLOSED)


class Result(models.Model):
    """The value of one test item of a sample (or of its re-test), and whether it conforms — computed."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(TestItem, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("实测值", max_digits=14, decimal_places=4)
    conforms = models.BooleanField("单项判定")
    retest = models.BooleanField("复检", default=False)

    class Meta:
        ordering = ["sample", "retest", "item__sort", "item_id"]
        constraints = [models.UniqueConstraint(fields=["sample", "item", "retest"], name="sampling_result_once")]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class CustodyEvent(models.Model):
    """样品流转: every hand-over of the sample from sealing to the lab."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="custody")
    on = models.DateField("日期")
    handed_by = models.CharField("移交人/单位", max_length=60)
    received_by = models.CharField("接收人/单位", max_length=60)
    seal_intact = models.BooleanField("封样完好", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sample", "on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.handed_by}→{self.received_by}"
