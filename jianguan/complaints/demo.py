"""Demo: a year of complaints and reports against demo businesses, in every state, through the real services.

Idempotent: each demo complaint carries a deterministic form token, so a second run finds it and does nothing.
One portal complaint has a fixed tracking code, printed for the README.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import workdays
from jianguan.core.demo import _person, step
from jianguan.core.models import OrgUnit

from . import services
from .models import Category, Channel, Complaint, Kind, Mediation, Satisfaction, Status

COUNT = 320
SHOWCASE_INDEX = 7
SHOWCASE_CODE = "TRACK8"
STORIES = {
    Category.FOOD: ("购买的{x}已超过保质期", "退货并按规定赔偿", 38),
    Category.PREPAID: ("办理的{x}会员卡余额未用完，门店突然停业", "退还卡内余额", 1600),
    Category.ONLINE: ("网购的{x}与描述不符，商家拒绝七日无理由退货", "退货退款", 420),
    Category.APPLIANCE: ("新买的{x}一周内出现故障，商家拒绝更换", "更换新机", 2300),
    Category.VEHICLE: ("在店里保养车辆时被更换了{x}，收费不明", "退还多收费用", 860),
    Category.HOUSING: ("装修公司使用的{x}与合同约定不符", "按合同整改并赔偿", 5200),
    Category.EDUCATION: ("报名的{x}课程机构不退剩余课时费", "退还剩余课时费", 3800),
    Category.BEAUTY: ("美容院推销{x}项目，消费后出现过敏", "退款并赔偿医疗费", 1200),
    Category.TELECOM: ("宽带{x}套餐被擅自升级扣费", "退还多扣费用", 240),
    Category.MEDICAL: ("药店销售的{x}包装破损", "退货", 95),
    Category.CATERING: ("在店内就餐的{x}中发现异物", "赔偿并整改", 260),
    Category.CLOTHING: ("购买的{x}洗后严重褪色", "退货退款", 330),
    Category.PRICE: ("超市{x}标价与结算价不一致", "退还差价", 25),
}
THINGS = ["酸奶", "健身", "羽绒服", "空调", "机油", "瓷砖", "英语", "水光针", "千兆", "感冒药", "火锅", "运动鞋",
          "鸡蛋", "面包", "洗衣机", "电动车"]
REPORT_STORIES = ["无照经营，店内销售来源不明的{x}", "销售的{x}涉嫌假冒注册商标", "店铺使用未经检定的电子秤称量{x}",
                  "虚假宣传{x}具有治疗功效", "销售过期{x}"]


def _key(i: int) -> str:
    return hashlib.md5(f"jianguan-demo-complaint-{i}".encode()).hexdigest()


def _workday_after(day: dt.date, n: int, today: dt.date) -> dt.date:
    try:
        return min(workdays.add_workdays(day, n), today)
    except workdays.CalendarUnknown:
        return today


def _handlers() -> dict[str, object]:
    """Unit path prefix → a demo complaint handler whose scope covers it."""
    User = get_user_model()
    out = {}
    for user in User.objects.filter(groups__name="complaint_handler", profile__isnull=False).select_related(
            "profile__unit").order_by("username"):
        out.setdefault(user.profile.unit.path, user)
    return out


def _handler_for(unit: OrgUnit, handlers: dict) -> object:
    best = None
    for path, user in handlers.items():
        if unit.path.startswith(path) and (best is None or len(path) > len(best[0])):
            best = (path, user)
    if best is None:
        best = next(iter(sorted(handlers.items())))
    return best[1]


@step(50, "投诉举报")
def demo_complaints(*, today: dt.date, stdout) -> dict:
    from jianguan.registry.models import Entity, EntityStatus

    handlers = _handlers()
    if not handlers:
        stdout.write("  没有投诉举报处理人员账号，跳过")
        return {}
    entity_ids = list(Entity.objects.filter(status=EntityStatus.ACTIVE).order_by("id").values_list("id", flat=True))
    stride = max(1, len(entity_ids) // 97) if entity_ids else 1
    categories = list(STORIES)
    divisions = ["410402", "410403", "410411", "410421", "410482"]
    created = 0
    showcase = None
    for i in range(COUNT):
        with transaction.atomic():
            existing = Complaint.objects.filter(idempotency_key=_key(i)).first()
            if existing is not None:
                if i == SHOWCASE_INDEX:
                    showcase = existing
                continue
            created += 1
            c = _one(i, today, entity_ids, stride, categories, divisions, handlers)
            if i == SHOWCASE_INDEX:
                showcase = c
    if showcase is not None:
        stdout.write(f"  演示投诉 {showcase.number}，查询码 {SHOWCASE_CODE}（门户「投诉举报进度查询」）")
    return {"created": created, "tracking_number": showcase.number if showcase else None,
            "tracking_code": SHOWCASE_CODE}


def _one(i, today, entity_ids, stride, categories, divisions, handlers):
    from jianguan.registry.models import Entity

    is_report = i % 5 == 4
    showcase = i == SHOWCASE_INDEX
    age = 12 if showcase else (i * 360) // COUNT + (i % 3)
    received = today - dt.timedelta(days=age)
    # Hot spots: a few businesses draw many complaints; some businesses are not in the registry.
    entity = None
    if entity_ids and i % 11 != 10:
        pick = entity_ids[((i % 9) * stride) % len(entity_ids)] if i % 3 == 0 else entity_ids[(i * stride) % len(
            entity_ids)]
        entity = Entity.objects.select_related("unit").get(pk=pick)
    thing = THINGS[i % len(THINGS)]
    category = categories[(i * 7) % len(categories)] if i % 4 else categories[i % 3]
    if is_report:
        description = REPORT_STORIES[i % len(REPORT_STORIES)].format(x=thing)
        demand, amount = "依法查处", None
    else:
        story, demand, base = STORIES[category]
        description = story.format(x=thing) + f"。消费时间约在{received - dt.timedelta(days=3):%m月%d日}。"
        amount = Decimal(base + (i * 37) % max(base, 1))
    anonymous = is_report and i % 3 == 0
    complaint, _code, _ = services.complaint_submit(
        actor="public" if i % 3 else "demo", kind=Kind.REPORT if is_report else Kind.COMPLAINT,
        channel=Channel.PORTAL if showcase else [Channel.PORTAL, Channel.PHONE, Channel.PLATFORM, Channel.WALK_IN,
                                                 Channel.LETTER][i % 5],
        description=description, entity=entity, entity_name="" if entity else f"平顶山市{_person(i)[0]}记{thing}店",
        entity_address="" if entity else f"平顶山市新华区中兴路{i}号", division_code="" if entity else
        divisions[i % len(divisions)], person_name="" if anonymous else _person(i + 100),
        person_phone="" if anonymous else f"1380375{i:04d}", anonymous=anonymous, category=category,
        demand=demand, amount=amount, occurred_on=received - dt.timedelta(days=3), received_on=received,
        idempotency_key=_key(i), national_no=f"2026{i:012d}" if i % 5 == 2 else None,
        code=SHOWCASE_CODE if showcase else None, notify=False)
    handler = _handler_for(complaint.unit, handlers)
    if is_report:
        _report_flow(i, complaint, handler, received, today, age)
    else:
        _complaint_flow(i, complaint, handler, received, today, age, showcase)
    return complaint


def _complaint_flow(i, c, handler, received, today, age, showcase):
    if age < 6 and not showcase:
        return
    if i % 13 == 3 and age > 20:  # a transfer between district bureaus, the clock running on
        target = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).exclude(pk=c.unit_id).order_by("code").first()
        c = services.complaint_transfer(actor=handler, complaint=c, to_unit=target, reason="经核实，经营场所位于本辖区外")
    if i % 10 == 2:
        services.complaint_refuse(actor=handler, complaint=c, reason="no_demand" if i % 20 == 2 else "resolved_elsewhere",
                                  on=_workday_after(received, 3, today))
        return
    if i % 23 == 5 and age < 40:
        return  # waiting, past its deadline: shows up as overdue
    accept_on = _workday_after(received, 9 if i % 17 == 0 else 1 + i % 5, today)
    c = services.complaint_accept(actor=handler, complaint=c, on=accept_on)
    method = [Mediation.Method.PHONE, Mediation.Method.ON_SITE, Mediation.Method.ONLINE][i % 3]
    first = _workday_after(accept_on, 2, today)
    services.mediation_record(actor=handler, complaint=c, on=first, method=method,
                              participants=f"投诉人、经营者代表、{handler.get_full_name()}",
                              content="双方陈述事实，经营者表示愿意协商解决。")
    if showcase or age < 50:
        return
    end = _workday_after(accept_on, 10 + i % 20, today)
    if i % 7 == 6:
        services.complaint_terminate(actor=handler, complaint=c, reason="经营者拒绝调解", on=end)
    else:
        amount = c.amount or Decimal("100")
        services.complaint_agree(actor=handler, complaint=c, agreement="经营者退还货款并赔偿",
                                 money_recovered=amount if i % 3 else amount * 2, on=end)
    if age > 80:
        satisfaction = [Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASIC,
                        Satisfaction.UNSATISFIED][i % 4]
        services.complaint_close(actor=handler, complaint=c, satisfaction=satisfaction, on=end)


def _report_flow(i, c, handler, received, today, age):
    if age < 8:
        return
    c = services.report_start_check(actor=handler, complaint=c, on=_workday_after(received, 1, today))
    if age < 40:
        return
    decide_on = _workday_after(received, 8 + i % 6, today)
    outcome = "lead" if (i % 2 == 0 and apps.is_installed("jianguan.enforcement")) else "dismiss"
    c = services.report_decide(actor=handler, complaint=c, outcome=outcome, on=decide_on,
                               note="现场核查，情况属实" if outcome == "lead" else "现场核查，未发现举报所称违法行为")
    if c.status == Status.DISMISSED and not c.anonymous and age > 40:
        c = services.report_notify_reporter(actor=handler, complaint=c, on=_workday_after(decide_on, 2, today))
        services.complaint_close(actor=handler, complaint=c, on=_workday_after(decide_on, 3, today))
