"""Epidemic supplies and prices (防疫用品和价格监测): listed goods with their pricing unit, monitored outlets, their
price reports (staff entry, Excel import, the outlet's own portal account, API), and alerts when a price rises faster
than the rule allows (哄抬价格), each handed over once per spike as an enforcement lead with the series as evidence.
Mask and protective-clothing quality sampling is a sector of the shared sampling flow (``apps.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity


class GoodsCategory(models.TextChoices):
    STAPLE = "staple", "粮油肉蛋菜"
    MASK = "mask", "口罩和防护用品"
    MEDICINE = "medicine", "药品和消毒用品"


class Goods(models.Model):
    code = models.CharField("商品代码", max_length=12, unique=True)
    name = models.CharField("商品名称", max_length=60)
    category = models.CharField("类别", max_length=10, choices=GoodsCategory.choices)
    spec = models.CharField("规格等级", max_length=60, blank=True)
    price_unit = models.CharField("计价单位", max_length=20, help_text="如 元/500克、元/只、元/盒")
    sort = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("监测中", default=True)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = verbose_name_plural = "监测商品"

    def __str__(self) -> str:
        return f"{self.name}（{self.price_unit}）"


class OutletKind(models.TextChoices):
    SUPERMARKET = "supermarket", "超市"
    MARKET = "market", "农贸市场"
    PHARMACY = "pharmacy", "药店"
    OTHER = "other", "其他零售"


class Outlet(models.Model):
    entity = models.OneToOneField(Entity, on_delete=models.PROTECT, related_name="price_outlet",
                                  verbose_name="监测点（经营者）")
    kind = models.CharField("类型", max_length=12, choices=OutletKind.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entity__name"]
        verbose_name = verbose_name_plural = "价格监测点"
        permissions = [("manage_outlet", "登记监测点、录入和导入价格"), ("handle_alert", "处理价格异常预警")]

    def __str__(self) -> str:
        return self.entity.name


class ReportSource(models.TextChoices):
    STAFF = "staff", "工作人员录入"
    PORTAL = "portal", "监测点自行报送"


class PriceReport(models.Model):
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="reports", verbose_name="监测点")
    goods = models.ForeignKey(Goods, on_delete=models.PROTECT, related_name="reports", verbose_name="商品")
    price = models.DecimalField("价格", max_digits=10, decimal_places=2)
    price_unit = models.CharField("计价单位", max_length=20)
    reported_on = models.DateField("价格日期")
    source = models.CharField("来源", max_length=8, choices=ReportSource.choices, default=ReportSource.STAFF)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_on", "goods__sort", "id"]
        verbose_name = verbose_name_plural = "价格报送"
        constraints = [models.UniqueConstraint(fields=["outlet", "goods", "reported_on"], name="prices_report_once")]
        indexes = [models.Index(fields=["goods", "reported_on"], name="prices_goods_day")]

    def __str__(self) -> str:
        return f"{self.outlet_id} {self.goods_id} {self.reported_on} {self.price}"


class PriceAlert(models.Model):
    """One spike of one outlet's price of one goods: open while its reports stay above the limit."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="alerts", verbose_name="监测点")
    goods = models.ForeignKey(Goods, on_delete=models.PROTECT, related_name="+", verbose_name="商品")
    started_on = models.DateField("异常开始日期")
    last_on = models.DateField("最近异常日期")
    ended_on = models.DateField("回落日期", null=True, blank=True)
    base_price = models.DecimalField("比较基准价（窗口内最低价）", max_digits=10, decimal_places=2)
    base_on = models.DateField("基准价日期")
    peak_price = models.DecimalField("最高价", max_digits=10, decimal_places=2)
    window_days = models.PositiveSmallIntegerField("比较天数")
    limit_ratio = models.DecimalField("允许涨幅", max_digits=5, decimal_places=4)
    series = models.JSONField("价格序列（证据）", default=list)
    lead = models.ForeignKey("enforcement.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="执法线索")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = verbose_name_plural = "价格异常预警"
        constraints = [models.UniqueConstraint(fields=["outlet", "goods"], condition=models.Q(ended_on__isnull=True),
                                               name="prices_alert_one_open"),
                       models.UniqueConstraint(fields=["outlet", "goods", "started_on"], name="prices_alert_spike")]

    def __str__(self) -> str:
        return f"{self.outlet} {self.goods.name} {self.started_on}"

    @property
    def rise_percent(self):
        return (self.peak_price - self.base_price) * 100 / self.base_price
