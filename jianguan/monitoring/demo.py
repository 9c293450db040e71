"""Demo of online trading monitoring: the online shops of some of the city's enterprises (the register only —
monitoring findings are real captures taken by an officer, never demo data). Set-based, one audit entry,
idempotent."""

from __future__ import annotations

import datetime as dt

from jianguan.core.demo import bulk_add, step
from jianguan.registry.models import ENTERPRISE_KINDS, Entity, EntityStatus

from .models import Ad, AdApproval, Medium, OnlineShop, Platform

PLATFORMS = [Platform.TAOBAO, Platform.JD, Platform.PDD, Platform.DOUYIN, Platform.MEITUAN, Platform.OWN_SITE]
SUFFIX = {Platform.TAOBAO: "旗舰店", Platform.JD: "专营店", Platform.PDD: "官方店", Platform.DOUYIN: "直播间",
          Platform.MEITUAN: "外卖店", Platform.OWN_SITE: "官网"}


@step(75, "网络交易监管")
def demo_monitoring(*, today: dt.date, stdout) -> dict:
    if OnlineShop.objects.exists():
        return {"skipped": True}
    entities = Entity.objects.filter(status=EntityStatus.ACTIVE, kind__in=ENTERPRISE_KINDS).order_by("id")[:60]
    shops = []
    for i, e in enumerate(entities):
        platform = PLATFORMS[i % len(PLATFORMS)]
        shops.append(OnlineShop(platform=platform, shop_name=f"{e.name[:20]}{SUFFIX[platform]}",
                                url=f"https://shop{e.pk}.{platform}.example.cn/", entity=e,
                                licence_displayed=i % 5 != 0, unit_id=e.unit_id))
    bulk_add(shops, action="monitoring.demo.shops_loaded")
    return {"shops": len(shops)}


# (category, product, claim, article or "" when lawful)
AD_SAMPLES = [
    ("medical", "某某医院男科门诊", "三天根治，无效退款，治愈率98%", "16"),
    ("medical", "某某口腔诊所种植牙", "专业种植牙，预约可咨询", ""),
    ("drugs", "某某感冒颗粒", "请按药品说明书或者在药师指导下购买和使用", ""),
    ("drugs", "某某降糖胶囊", "服用一个疗程彻底告别胰岛素", "16"),
    ("medical_devices", "某某理疗仪", "专家推荐，治疗颈椎病效果最好", "16"),
    ("health_food", "某某牌蛋白粉", "本品不能代替药物", ""),
    ("health_food", "某某牌灵芝孢子粉", "降血压、防癌抗癌", "18"),
    ("special_medical_food", "某某全营养配方粉", "适用于特定疾病人群的营养支持", ""),
    ("education", "某某考研培训", "不过全额退费，命题老师亲授", "24"),
    ("education", "某某少儿编程", "寓教于乐的编程课程", ""),
    ("finance", "某某理财产品", "保本保息，年化收益12%", "25"),
    ("finance", "某某银行储蓄", "存款利率以网点公告为准", ""),
]
OUTLETS = {Medium.TV: "平顶山电视台公共频道", Medium.RADIO: "平顶山人民广播电台交通广播",
           Medium.PRINT: "平顶山晚报", Medium.OUTDOOR: "建设路与中兴路交叉口户外大屏", Medium.ONLINE: "某某本地生活网"}
TOKEN = {"drugs": "豫药广审", "medical_devices": "豫械广审", "health_food": "豫食健广审",
         "special_medical_food": "豫特医食广审"}
LETTER = {Medium.TV: "视", Medium.RADIO: "声"}


@step(76, "广告监测")
def demo_ads(*, today: dt.date, stdout) -> dict:
    """A year of observed ads (about 360) over the five media, with approvals for the lawful reviewed ones: some ads
    show no approval number or an expired one (第四十六条), some break their category's article."""
    from . import adlaw
    from .services import REVIEW_FAILED, review_check

    if Ad.objects.exists():
        return {"skipped": True}
    entities = list(Entity.objects.filter(status=EntityStatus.ACTIVE, kind__in=ENTERPRISE_KINDS).order_by("id")[:40])
    if not entities:
        return {"ads": 0}
    mediums = list(Medium)
    approvals, ads = {}, []
    year_start = dt.date(today.year, 1, 1)
    days = max((today - year_start).days, 1)
    for i in range(360):
        category, product, claim, article = AD_SAMPLES[i % len(AD_SAMPLES)]
        medium = mediums[(i // len(AD_SAMPLES)) % len(mediums)]
        advertiser = entities[i % len(entities)]
        observed = year_start + dt.timedelta(days=(i * 7) % days)
        number = ""
        cat = adlaw.CATEGORIES[category]
        if cat.review and not (article == "" and i % 5 == 0):  # some lawful-looking ads show no number
            if category == "medical":
                number = f"（豫）医广【{today.year}】第{i:07d}号"
            else:
                number = f"{TOKEN[category]}（{LETTER.get(medium, '文')}）第{today.year % 100:02d}0101-{i:05d}号"
            expired = i % 13 == 0
            approvals[number] = AdApproval(
                number=number, category=category, advertiser=advertiser, product=product,
                valid_from=year_start - dt.timedelta(days=400 if expired else 30),
                valid_until=year_start - dt.timedelta(days=35) if expired else dt.date(today.year, 12, 31),
                unit_id=advertiser.unit_id)
        review, _ = review_check(category=category, advertiser=advertiser, number=number, on=observed,
                                 approvals=approvals)
        final = article or ("46" if review in REVIEW_FAILED else "")
        ads.append(Ad(medium=medium, outlet=OUTLETS[medium], advertiser=advertiser, category=category,
                      product=product, claim=claim, observed_on=observed, approval_no=number, review=review,
                      article=final, violation=bool(final), unit_id=advertiser.unit_id))
    saved = {a.number: a for a in bulk_add(list(approvals.values()), action="monitoring.demo.approvals_loaded")}
    for ad in ads:
        if ad.approval_no in saved and ad.review != "not_required":
            ad.approval = saved[ad.approval_no]
    bulk_add(ads, action="monitoring.demo.ads_loaded")
    return {"ads": len(ads), "approvals": len(saved), "violations": sum(a.violation for a in ads)}
