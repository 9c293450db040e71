"""The online trading registers, described once for the workbench, Excel and the API (core.registers)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.core.registers import Column, Register

from . import selectors, services
from .models import OnlineFinding, OnlineShop, Platform

VIEW = "monitoring.view_onlineshop"
MANAGE = "monitoring.manage_online_shops"
CAPTURE = "monitoring.capture_online_evidence"


def _shop(text: str) -> OnlineShop:
    shop = OnlineShop.objects.select_related("entity").filter(url=text.strip()).first()
    if shop is None:
        raise ValueError(f"网址 {text} 不在网店台账中，请先登记网店")
    return shop


SHOPS = Register(
    key="shops", title="网店台账", model=OnlineShop,
    description="本辖区市场主体在各平台开设的网店、自建网站，及其是否在首页显著位置公示营业执照和许可信息（亮照亮证）。",
    columns=(
        Column("platform", "平台", "choice", choices=tuple(Platform.choices)),
        Column("shop_name", "店铺名称"),
        Column("url", "店铺网址", max_length=500, note="以 http:// 或 https:// 开头"),
        Column("entity", "经营主体统一社会信用代码", "entity", note="18 位统一社会信用代码，须已在市场主体名录中"),
        Column("licence_displayed", "亮照亮证", "bool", required=False, note="是 或 否"),
    ),
    create=services.shop_create, queryset=selectors.shops_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("shop_name", "url", "entity__name", "entity__uscc"),
    extra=(("经营主体名称", lambda r: r.entity.name), ("监管单位", lambda r: r.unit.short_name or r.unit.name)),
    example=("taobao", "某某旗舰店", "https://shop.example.cn/", "91410400MA00000000", "是"),
)

FINDINGS = Register(
    key="findings", title="网络交易监测取证", model=OnlineFinding,
    description="登记即由本系统用浏览器打开网址，保存网页源文件和整页截图并计算 SHA-256，记录取证时间（电子数据取证）。"
                "无法访问的网址如实记为“无法访问”，不生成任何截图。已取证的发现可一键移交执法线索。",
    columns=(
        Column("shop", "网店网址（台账）", "ref", parse=_shop, show=lambda r: r.shop.url, max_length=500),
        Column("problem", "发现的问题", max_length=500),
        Column("url", "监测网址", required=False, max_length=500, note="留空则取证网店网址；可填具体商品页"),
    ),
    create=services.finding_capture, queryset=selectors.findings_for, view_perm=VIEW, manage_perm=CAPTURE,
    search=("shop__shop_name", "url", "problem"),
    extra=(("店铺名称", lambda r: r.shop.shop_name), ("取证结果", lambda r: r.get_status_display()),
           ("取证时间", lambda r: f"{r.captured_at:%Y-%m-%d %H:%M:%S}"),
           ("网页 SHA-256", lambda r: r.html_sha256), ("截图 SHA-256", lambda r: r.screenshot_sha256),
           ("线索", lambda r: f"#{r.lead_id}" if r.lead_id else "")),
    link=lambda r: reverse("monitoring:finding", args=[r.pk]),
    correctable=("problem",), update=services.finding_correct,
)

REGISTERS = (SHOPS, FINDINGS)
