"""The online trading registers, described once for the workbench, Excel and the API (core.registers)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.core.registers import Column, Register

from . import adlaw, selectors, services
from .models import Ad, AdApproval, Medium, OnlineFinding, OnlineShop, Platform

VIEW = "monitoring.view_onlineshop"
MANAGE = "monitoring.manage_online_shops"
CAPTURE = "monitoring.capture_online_evidence"
VIEW_ADS = "monitoring.view_ad"
MONITOR_ADS = "monitoring.monitor_ads"
VIEW_FEES = "monitoring.view_feecampaign"
CHECK_FEES = "monitoring.check_fees"
VIEW_FAKES = "monitoring.view_counterfeitcampaign"
MANAGE_FAKES = "monitoring.manage_counterfeit_campaigns"


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



def _category_error(text: str) -> str:
    return (f"“{text}”没有对应的{adlaw.LAW}条款规则，不能登记；可登记的类别："
            + "、".join(label for _, label in adlaw.CATEGORY_CHOICES))


def _parse_category(text: str) -> str:
    text = text.strip()
    for code, label in adlaw.CATEGORY_CHOICES:
        if text in (code, label):
            return code
    raise ValueError(_category_error(text))


def _parse_article(text: str) -> str:
    text = text.strip()
    for article in adlaw.ARTICLES.values():
        if text in (article.code, article.title, article.label, f"第{article.code}条"):
            return article.code
    raise ValueError(f"“{text}”不是本系统规则中的{adlaw.LAW}条款，应为："
                     + "、".join(a.title for a in adlaw.ARTICLES.values()))


def _category_label(code: str) -> str:
    found = adlaw.CATEGORIES.get(code)
    return found.label if found else code


APPROVALS = Register(
    key="approvals", title="广告审查批准文号", model=AdApproval,
    description="医疗、药品、医疗器械、保健食品、特殊医学用途配方食品广告发布前须经审查（广告法 第四十六条）。"
                "登记批准文号及其有效期，监测到的广告据此核对。",
    columns=(
        Column("number", "批准文号", max_length=60, note="如 豫药广审（视）第260101-00012号"),
        Column("category", "广告类别", "ref", parse=_parse_category, show=lambda r: _category_label(r.category),
               note="、".join(adlaw.CATEGORIES[c].label for c in adlaw.REVIEW_CATEGORIES)),
        Column("advertiser", "广告主统一社会信用代码", "entity"),
        Column("product", "商品或服务"),
        Column("valid_from", "有效期自", "date"),
        Column("valid_until", "有效期至", "date"),
    ),
    create=services.approval_create, queryset=selectors.approvals_for, view_perm=VIEW_ADS, manage_perm=MONITOR_ADS,
    search=("number", "product", "advertiser__name"),
    extra=(("广告主名称", lambda r: r.advertiser.name),),
    example=("豫药广审（视）第260101-00012号", "药品", "91410400MA00000000", "某某颗粒", "2026-01-01", "2026-12-31"),
)

ADS = Register(
    key="ads", title="广告监测记录", model=Ad,
    description="监测到的广告（电视、广播、报刊、户外、互联网）：广告主、类别、宣称内容及违反的广告法条款。"
                "须事先审查的广告自动核对批准文号，未通过核对的按广告法 第四十六条认定。违法广告可一键移交执法线索。",
    columns=(
        Column("medium", "媒介", "choice", choices=tuple(Medium.choices)),
        Column("outlet", "发布媒体或地点", note="如 平顶山电视台公共频道、某路口户外大屏、某网站"),
        Column("advertiser", "广告主统一社会信用代码", "entity"),
        Column("category", "广告类别", "ref", parse=_parse_category, show=lambda r: r.category_label,
               note="、".join(label for _, label in adlaw.CATEGORY_CHOICES)),
        Column("product", "商品或服务"),
        Column("claim", "广告内容（宣称）", max_length=1000),
        Column("observed_on", "监测日期", "date"),
        Column("approval_no", "标明的批准文号", required=False, max_length=60),
        Column("article", "违反条款", "ref", required=False, parse=_parse_article,
               show=lambda r: r.article_obj.title if r.article_obj else "", note="如 第十六条；合法广告留空"),
    ),
    create=services.ad_record, queryset=selectors.ads_for, view_perm=VIEW_ADS, manage_perm=MONITOR_ADS,
    search=("advertiser__name", "product", "claim", "outlet"),
    extra=(("广告主名称", lambda r: r.advertiser.name), ("审查核对", lambda r: r.get_review_display()),
           ("涉嫌违法", lambda r: "是" if r.violation else "否"),
           ("线索", lambda r: f"#{r.lead_id}" if r.lead_id else "")),
    link=lambda r: reverse("monitoring:ad", args=[r.pk]),
    example=("tv", "平顶山电视台公共频道", "91410400MA00000000", "医疗", "某某医院男科门诊", "三天根治，无效退款",
             "2026-03-02", "", "第十六条"),
)

REGISTERS = (SHOPS, FINDINGS, ADS, APPROVALS)
