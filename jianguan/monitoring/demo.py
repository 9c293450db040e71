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


FEE_BODIES = {
    "gov_affiliated": ["市不动产登记中心服务窗口", "市公共资源交易中心"],
    "association": ["平顶山市建筑业协会", "平顶山市物流行业协会", "平顶山市餐饮行业协会"],
    "bank": ["某某银行平顶山分行", "某某农村商业银行新华支行", "某某银行卫东支行"],
    "utility": ["平顶山市供水公司", "某某燃气有限公司", "某某工业园区转供电物业"],
    "port": ["平顶山港务有限公司"],
}
# (kind, item, description, amount, payers, ordered, refunded)
FEE_FINDINGS = [
    ("bank", "bank_shifted", "贷款抵押登记费、评估费由企业承担", "128600.00", 37, "128600.00", "128600.00"),
    ("bank", "bank_cancelled", "向小微企业收取账户管理费", "15420.00", 62, "15420.00", "9800.00"),
    ("association", "assoc_awards", "以评比达标名义向会员企业收费", "86000.00", 43, "86000.00", "86000.00"),
    ("association", "assoc_forced_join", "强制企业入会收取会费", "42000.00", 21, "42000.00", "0"),
    ("utility", "util_resale", "转供电环节在电价外加收服务费", "233580.50", 118, "233580.50", "150000.00"),
    ("utility", "util_connection", "收取产权分界点以外接入工程费", "67000.00", 9, "0", "0"),
    ("gov_affiliated", "gov_intermediary", "指定中介机构收取测绘服务费", "31000.00", 14, "31000.00", "31000.00"),
]


@step(77, "涉企违规收费检查")
def demo_fees(*, today: dt.date, stdout) -> dict:
    """This year's campaign over the five kinds of bodies: each body's checklist, findings with their amounts, refunds
    ordered and partly confirmed — so the report it sends up has figures."""
    from decimal import Decimal

    from jianguan.core.models import OrgUnit

    from . import fees
    from .models import FeeCampaign, FeeCheck, FeeFinding, FeeRefund

    if FeeCampaign.objects.exists():
        return {"skipped": True}
    city = OrgUnit.objects.filter(code="410400ZF").first() or OrgUnit.objects.order_by("path").first()
    started = max(dt.date(today.year, 4, 1), today - dt.timedelta(days=200))
    campaign = bulk_add([FeeCampaign(title=f"{today.year} 年涉企违规收费专项整治", year=today.year,
                                     kinds=[code for code, _ in fees.KIND_CHOICES], started_on=started,
                                     report_due=dt.date(today.year, 12, 31), unit=city)],
                        action="monitoring.demo.fee_campaign_loaded")[0]
    problems = {(k, i) for k, i, *_ in FEE_FINDINGS}
    checks, n = [], 0
    for kind, bodies in FEE_BODIES.items():
        for body in bodies:
            n += 1
            first = body == bodies[0]
            checklist = {i.code: "problem" if first and (kind, i.code) in problems else "ok"
                         for i in fees.KINDS[kind].items}
            checks.append(FeeCheck(campaign=campaign, kind=kind, body_name=body, checked_on=started
                                   + dt.timedelta(days=7 * n), checklist=checklist, unit=city))
    checks = bulk_add(checks, action="monitoring.demo.fee_checks_loaded")
    first = {c.kind: c for c in reversed(checks)}
    findings = [FeeFinding(fee_check=first[k], item=i, description=d, amount=Decimal(a), payers=p,
                           refund_ordered=Decimal(o), ordered_on=(first[k].checked_on + dt.timedelta(days=5))
                           if Decimal(o) else None, refunded=Decimal(r), unit=city)
                for k, i, d, a, p, o, r in FEE_FINDINGS]
    findings = bulk_add(findings, action="monitoring.demo.fee_findings_loaded")
    refunds = [FeeRefund(finding=f, amount=f.refunded, refunded_on=min(f.ordered_on + dt.timedelta(days=20), today),
                         proof=f"转账凭证 {f.pk:05d}") for f in findings if f.refunded]
    bulk_add(refunds, action="monitoring.demo.fee_refunds_loaded")
    # the charges nobody has refunded yet go to enforcement, through the service (a lead each, audited)
    from django.contrib.auth import get_user_model

    from . import services

    officer = get_user_model().objects.filter(username="jg_price").first()
    leads = [services.fee_finding_to_lead(actor=officer, finding=f) for f in findings if not f.refunded]
    return {"checks": len(checks), "findings": len(findings), "refunds": len(refunds), "leads": len(leads)}


@step(78, "打击假冒伪劣")
def demo_counterfeits(*, today: dt.date, stdout) -> dict:
    """A wire-and-cable campaign linking the demo's product-quality cases, failed samples and finished inspections,
    with goods seized (some destroyed, witnessed)."""
    from decimal import Decimal

    from jianguan.core.models import OrgUnit
    from jianguan.enforcement.models import Case
    from jianguan.inspections.models import InspectionTask
    from jianguan.sampling.models import Sample

    from .models import CounterfeitCampaign, SeizedGoods

    if CounterfeitCampaign.objects.exists():
        return {"skipped": True}
    unit = OrgUnit.objects.filter(code="410400ZF").first() or OrgUnit.objects.order_by("path").first()
    started = today - dt.timedelta(days=120)
    campaign = bulk_add([CounterfeitCampaign(title=f"{today.year} 年电线电缆等建材打假专项行动", product_line="电线电缆",
                                             market="全市建材市场", started_on=started, unit=unit)],
                        action="monitoring.demo.counterfeit_loaded")[0]
    cases = list(Case.objects.filter(case_type="product_quality").order_by("id")[:4])
    samples = list(Sample.objects.filter(status__in=["unqualified", "closed"]).order_by("id")[:3])
    tasks = list(InspectionTask.objects.filter(status__in=["confirmed", "published"]).order_by("id")[:3])
    campaign.cases.add(*cases)
    campaign.samples.add(*samples)
    campaign.tasks.add(*tasks)
    lots = [("假冒某品牌 BV2.5 电线", "120", "卷", "36000.00"), ("无厂名厂址电缆", "40", "卷", "18800.00"),
            ("假冒认证标志插座", "15", "箱", "9600.00"), ("伪劣开关面板", "22", "箱", "5280.00")]
    goods = []
    for i, (name, qty, measure, value) in enumerate(lots):
        seized = started + dt.timedelta(days=10 + 7 * i)
        destroyed = seized + dt.timedelta(days=30) if i < 2 else None
        goods.append(SeizedGoods(campaign=campaign, description=name, quantity=Decimal(qty), measure=measure,
                                 value=Decimal(value), seized_on=seized, case=cases[i] if i < len(cases) else None,
                                 destroyed_on=destroyed, destroyed_how="市固体废物处置中心集中粉碎" if destroyed else "",
                                 witnesses="执法队员二人、企业代表一人" if destroyed else "",
                                 unit=cases[i].unit if i < len(cases) else unit))
    bulk_add(goods, action="monitoring.demo.seized_goods_loaded")
    return {"cases": len(cases), "samples": len(samples), "tasks": len(tasks), "goods": len(goods)}


@step(79, "网络交易监测轮次")
def demo_rounds(*, today: dt.date, stdout) -> dict:
    """One round drawn with the verifiable draw (list frozen, commitment, randomness, bundle) and one by plan over
    the shops not displaying their licence — by the online_monitor login, through the services."""
    from django.contrib.auth import get_user_model

    from . import services
    from .models import MonitoringRound

    if MonitoringRound.objects.exists():
        return {"skipped": True}
    actor = get_user_model().objects.filter(username="online_monitor").first()
    shops = list(OnlineShop.objects.order_by("id"))
    if actor is None or len(shops) < 5:
        return {"rounds": 0}
    drawn = services.round_create(actor=actor, code=f"WJ-{today.year}-01", title="网店亮照亮证随机抽查",
                                  method="draw", quota=5)
    drawn = services.round_freeze(actor=actor, rnd=drawn, beacon=f"福利彩票3D {today.year}年第300期开奖号码")
    services.round_draw(actor=actor, rnd=drawn, randomness="385")
    unlicensed = [s for s in shops if not s.licence_displayed][:6]
    if unlicensed:
        services.round_create(actor=actor, code=f"WJ-{today.year}-02", title="未亮照网店重点监测", method="plan",
                              shops=unlicensed)
    return {"rounds": 1 + bool(unlicensed)}
