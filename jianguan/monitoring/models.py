"""Monitoring (监测) that finds violations before a complaint does — here: online trading (网络交易监管).

``OnlineShop`` is the register of the online shops of local entities (platform, shop, URL, the entity behind it, and
whether it displays its business licence and permits — 亮照亮证). ``OnlineFinding`` is one monitoring observation,
preserved as electronic evidence (电子数据取证): the URL as fetched, the time, the page's HTML and a screenshot taken
with chromium, and the SHA-256 of each file. A URL that cannot be fetched is recorded as such (status ``failed``
with the reason) and has no capture. A captured finding is handed to enforcement as a lead in one action.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit


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
    html_file = models.CharField("网页源文件", max_length=300, blank=True)
    html_sha256 = models.CharField("网页源文件 SHA-256", max_length=64, blank=True)
    html_size = models.PositiveIntegerField("网页源文件字节数", default=0)
    screenshot_file = models.CharField("截图文件", max_length=300, blank=True)
    screenshot_sha256 = models.CharField("截图 SHA-256", max_length=64, blank=True)
    screenshot_size = models.PositiveIntegerField("截图字节数", default=0)
    captured_at = models.DateTimeField("取证时间")
    lead = models.ForeignKey("enforcement.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="移交的线索")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-captured_at", "-id"]
        verbose_name = verbose_name_plural = "网络交易监测发现"
        indexes = [models.Index(fields=["unit", "captured_at"], name="monitoring_finding_unit")]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.captured_at:%Y-%m-%d %H:%M}"
