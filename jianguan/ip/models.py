"""Intellectual property (知识产权): the IP facts of enforcement cases and the registers the IP department keeps.

The cases themselves stay in ``enforcement`` (case types ``trademark``, ``patent_counterfeit``,
``counterfeit_goods``; campaigns 护航, 雷霆 are ``enforcement.Campaign``): this app adds what only IP cases have —
the right infringed, its registration number and holder, the goods seized — and counts them per campaign. The
time the right holder takes to identify the goods (权利人辨认) is an ``enforcement.ClockPause`` with reason
``identification``, so the case clock excludes it exactly as it excludes testing.

Every register row has a ``unit`` (the supervising unit of its enterprise, or the unit that keeps it): scope is
``core.scope`` on that field.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit

IP_CASE_TYPES = ("trademark", "patent_counterfeit", "counterfeit_goods")


class RightKind(models.TextChoices):
    TRADEMARK = "trademark", "注册商标专用权"
    PATENT = "patent", "专利权"
    GI = "gi", "地理标志"


class CaseFacts(models.Model):
    """The IP facts of an enforcement case (one per case)."""

    case = models.OneToOneField("enforcement.Case", on_delete=models.CASCADE, related_name="ip_facts",
                                verbose_name="案件")
    right_kind = models.CharField("被侵犯的权利", max_length=10, choices=RightKind.choices)
    registration_no = models.CharField("权利登记号（商标注册号/专利号/地理标志公告号）", max_length=40)
    right_holder = models.CharField("权利人", max_length=200)
    goods = models.CharField("涉案商品", max_length=300, blank=True)
    goods_seized_qty = models.PositiveIntegerField("查扣侵权商品数量", default=0)
    goods_seized_unit = models.CharField("计量单位", max_length=10, default="件")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "知识产权案件要素"
        indexes = [models.Index(fields=["right_kind", "registration_no"], name="ip_facts_right")]
        permissions = [("record_ip_facts", "登记知识产权案件要素、权利人辨认期间"),
                       ("view_ip_statistics", "查看、导出知识产权专项行动统计")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.registration_no}"


class GIKind(models.TextChoices):
    PRODUCT = "product", "地理标志保护产品"
    CERTIFICATION_MARK = "certification_mark", "地理标志证明商标"
    COLLECTIVE_MARK = "collective_mark", "地理标志集体商标"


class GIProduct(models.Model):
    """A geographical indication of the city: its protected area is a list of division codes (GB/T 2260)."""

    name = models.CharField("地理标志名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=20, choices=GIKind.choices)
    registration_no = models.CharField("公告号/商标注册号", max_length=60)
    holder = models.CharField("申请人/注册人", max_length=200)
    area = models.JSONField("产地范围（行政区划代码）", default=list)
    area_note = models.CharField("产地范围说明", max_length=300, blank=True)
    approved_on = models.DateField("批准/注册日期")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="登记单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "地理标志"
        permissions = [("manage_ip_registers", "维护知识产权台账（地理标志、优势示范企业、质押融资、商标代理机构）")]

    def __str__(self) -> str:
        return self.name


class GIUser(models.Model):
    """An enterprise authorised to use a GI's special mark (地理标志专用标志合法使用人); only inside the area."""

    product = models.ForeignKey(GIProduct, on_delete=models.PROTECT, related_name="users", verbose_name="地理标志")
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+", verbose_name="使用人")
    approved_on = models.DateField("核准/备案日期")
    announcement_no = models.CharField("公告/备案号", max_length=60, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product__name", "id"]
        verbose_name = verbose_name_plural = "地理标志专用标志使用人"
        constraints = [models.UniqueConstraint(fields=["product", "entity"], name="gi_user_once")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.entity_id}"


class EnterpriseLevel(models.TextChoices):
    NATIONAL_DEMONSTRATION = "national_demo", "国家知识产权示范企业"
    NATIONAL_ADVANTAGE = "national_adv", "国家知识产权优势企业"
    PROVINCIAL_DEMONSTRATION = "province_demo", "省知识产权示范企业"
    PROVINCIAL_ADVANTAGE = "province_adv", "省知识产权优势企业"


class IPEnterprise(models.Model):
    """A recognition of an enterprise as IP advantage or demonstration enterprise (优势/示范企业), once per level
    and year."""

    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+", verbose_name="企业")
    level = models.CharField("认定类别", max_length=14, choices=EnterpriseLevel.choices)
    year = models.PositiveSmallIntegerField("认定年度")
    document_no = models.CharField("认定文件文号", max_length=80)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "level", "id"]
        verbose_name = verbose_name_plural = "知识产权优势示范企业"
        constraints = [models.UniqueConstraint(fields=["entity", "level", "year"], name="ip_enterprise_once")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_level_display()} {self.year}"


class PatentPledge(models.Model):
    """A patent pledge financing (专利权质押融资) the bureau supported, with its registration number."""

    pledge_no = models.CharField("质押登记号", max_length=40, unique=True)
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+", verbose_name="出质人")
    patents = models.JSONField("出质专利号", default=list)
    pledgee = models.CharField("质权人（金融机构）", max_length=200)
    amount = models.DecimalField("融资金额（万元）", max_digits=12, decimal_places=2)
    registered_on = models.DateField("质押登记日期")
    ends_on = models.DateField("质押期限届满", null=True, blank=True)
    subsidised = models.BooleanField("享受贴息等支持", default=False)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = verbose_name_plural = "专利权质押融资"

    def __str__(self) -> str:
        return self.pledge_no


class TrademarkAgency(models.Model):
    """A trademark agency filed with the CNIPA (商标代理机构备案). Its filing is also a registry licence of kind
    ``trademark_agency``, which is what makes it a double-random inspection object (plans filter on licence
    kinds)."""

    entity = models.OneToOneField("registry.Entity", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="代理机构")
    filing_no = models.CharField("备案号", max_length=40, unique=True)
    filed_on = models.DateField("备案日期")
    licence = models.OneToOneField("registry.Licence", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="名录登记（许可证）")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["filing_no"]
        verbose_name = verbose_name_plural = "商标代理机构"

    def __str__(self) -> str:
        return self.filing_no
