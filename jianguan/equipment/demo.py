"""Demo: the special equipment register of Pingdingshan — a few thousand devices of every family in every state
of their schedule (inspected, due soon, past the application date, overdue, failed), operator certificates,
hazards, two accidents and three campaigns. Set-based: bulk inserts, one schedule pass, one audit entry.
Idempotent: a second run finds the first demo device and does nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import audit, bulk
from jianguan.core.demo import _person, step
from jianguan.registry.models import Entity, EntityKind, EntityStatus

from . import schedule, services
from .models import (
    Accident,
    Campaign,
    Conclusion,
    Device,
    DeviceStatus,
    Hazard,
    Inspection,
    OperatorCertificate,
    StatusChange,
)

# (category, share per 1000, years between inspections for the demo's dates, params maker)
MIX = [
    ("3100", 520, 1), ("3300", 60, 1), ("3200", 20, 1),
    ("2100", 140, 3), ("2300", 60, 3), ("1100", 30, 1), ("1200", 15, 1),
    ("4100", 50, 1), ("4300", 20, 1), ("4800", 15, 1), ("5100", 40, 1),
    ("6200", 8, 1), ("6100", 5, 1), ("8300", 12, 3),
]
COUNT = 4000
BODIES = ["平顶山市特种设备检验所", "河南省特种设备安全检测研究院平顶山分院", "河南省锅炉压力容器检验技术科学研究院"]
MAKERS = ["通力电梯有限公司", "日立电梯（中国）有限公司", "西子奥的斯电梯有限公司", "河南省矿山起重机有限公司",
          "南京天加压力容器有限公司", "郑州锅炉股份有限公司", "杭州叉车集团股份有限公司"]
MAINTAINERS = ["平顶山市安达电梯工程有限公司", "平顶山市鹰城电梯维修有限公司", "河南恒升电梯服务有限公司"]


def _params(category: str, rnd: random.Random) -> dict:
    if category in ("3100", "3200"):
        return {"rated_load": rnd.choice([630, 800, 1000, 1050, 1350]), "rated_speed": rnd.choice(["1", "1.5", "1.75", "2.5"]),
                "floors": rnd.randint(6, 33)}
    if category == "2100":
        return {"design_pressure": rnd.choice(["0.8", "1.0", "1.6", "2.5"]), "volume": rnd.choice(["1", "2", "5", "10"]),
                "medium": rnd.choice(["压缩空气", "蒸汽", "液化石油气", "氮气"]),
                "safety_grade": rnd.choice(["1", "2", "2", "3"])}
    if category == "2300":
        return {"cylinder_kind": rnd.choice(["lpg", "lpg", "general", "inert"]), "volume": "35.5"}
    if category.startswith("1"):
        return {"rated_evaporation": rnd.choice(["2", "4", "6", "10"]), "rated_pressure": rnd.choice(["1.0", "1.25", "1.6"])}
    return {}


MARKER = "31豫D00001(26)"  # the first demo device's registration number: present means the step has run


@step(55, "特种设备")
def demo_equipment(*, today: dt.date, stdout) -> dict:
    if Device.objects.filter(registration_no=MARKER).exists():
        return {"devices": Device.objects.count()}
    rnd = random.Random(17)
    owners = list(Entity.objects.filter(status=EntityStatus.ACTIVE).exclude(kind=EntityKind.INDIVIDUAL)
                  .order_by("id").values("id", "unit_id", "address", "name")[:1500])
    if not owners:
        return {"devices": 0}
    supervisor = get_user_model().objects.filter(username="tz_supervisor").first()
    with transaction.atomic():
        devices, plan = [], []
        shares = [(c, s, y) for c, s, y in MIX]
        total_share = sum(s for _, s, _ in shares)
        serial = 0
        for category, share, years in shares:
            for _ in range(COUNT * share // total_share):
                serial += 1
                owner = owners[rnd.randrange(len(owners))]
                commissioned = today - dt.timedelta(days=rnd.randint(400, 20 * 365))
                code = f"{category}{41040 + serial % 7:05d}{commissioned.year:04d}{serial:05d}"
                building = f"{rnd.randint(1, 18)}号楼{rnd.randint(1, 4)}单元" if category.startswith("3") else \
                    rnd.choice(["锅炉房", "生产车间", "仓库", "空压站", "游乐场"])
                devices.append(Device(
                    code=code, category=category, name="", registration_no=MARKER if serial == 1 else f"{category[:2]}豫D{serial:05d}(26)",
                    registered_on=commissioned + dt.timedelta(days=20), entity_id=owner["id"], unit_id=owner["unit_id"],
                    location=f"{owner['address']}{building}", manufacturer=rnd.choice(MAKERS),
                    installer=rnd.choice(MAKERS), maintainer=rnd.choice(MAINTAINERS) if category.startswith("3") else "",
                    commissioned_on=commissioned, params=_params(category, rnd),
                    status=DeviceStatus.IN_USE, status_changed_on=commissioned))
                roll = rnd.random()
                # 6 % overdue, 3 % failed at the last inspection, 10 % due within a month, the rest on schedule
                if roll < 0.06:
                    last = today - dt.timedelta(days=years * 365 + rnd.randint(5, 200))
                elif roll < 0.09:
                    last = today - dt.timedelta(days=rnd.randint(10, 120))
                elif roll < 0.19:
                    last = today - dt.timedelta(days=years * 365 - rnd.randint(1, 28))
                else:
                    last = today - dt.timedelta(days=rnd.randint(30, years * 365 - 40))
                last = max(last, commissioned + dt.timedelta(days=1))
                plan.append((code, category, last, Conclusion.FAILED if 0.06 <= roll < 0.09 else Conclusion.PASSED,
                             commissioned))
        stopped = devices[5::97]
        for d in stopped:
            d.status, d.status_changed_on = DeviceStatus.STOPPED, today - dt.timedelta(days=60)
        bulk.create(devices, batch_size=1000)
        ids = dict(Device.objects.filter(code__in=[d.code for d in devices]).values_list("code", "id"))
        changes = [StatusChange(device_id=ids[d.code], after=DeviceStatus.IN_USE, on=d.commissioned_on, reason="使用登记")
                   for d in devices]
        changes += [StatusChange(device_id=ids[d.code], before=DeviceStatus.IN_USE, after=DeviceStatus.STOPPED,
                                 on=d.status_changed_on, reason="使用单位申请停用") for d in stopped]
        bulk.create(changes, batch_size=2000)
        inspections = []
        for code, category, last, conclusion, commissioned in plan:
            kinds = schedule.kinds_for(category)
            if category.startswith("1"):
                for kind, back in ((schedule.EXTERNAL, 0), (schedule.INTERNAL, 200), (schedule.HYDROSTATIC, 900)):
                    on = max(last - dt.timedelta(days=back), commissioned + dt.timedelta(days=1))
                    inspections.append(Inspection(device_id=ids[code], kind=kind, inspected_on=on,
                                                  body=BODIES[2], report_no=f"GL{on:%Y}-{ids[code]:06d}{kind[:1].upper()}",
                                                  conclusion=Conclusion.PASSED))
                continue
            kind = kinds[0] if category[:1] != "3" else rnd.choice([schedule.PERIODIC, schedule.SELF_TEST])
            previous = last - dt.timedelta(days=365)
            if previous > commissioned:
                inspections.append(Inspection(device_id=ids[code], kind=kind, inspected_on=previous,
                                              body=rnd.choice(BODIES), report_no=f"DJ{previous:%Y}-{ids[code]:06d}",
                                              conclusion=Conclusion.PASSED))
            inspections.append(Inspection(device_id=ids[code], kind=kind, inspected_on=last, body=rnd.choice(BODIES),
                                          report_no=f"DJ{last:%Y}-{ids[code]:06d}", conclusion=conclusion))
        bulk.create(inspections, batch_size=2000)
        counts = services.recompute_schedules(today=today, device_ids=ids.values())
        # each inspection's next due date, as recording it would have set (the on-time figure reads them)
        _stamp_next_due(ids.values())
        certificates = [OperatorCertificate(
            entity_id=o["id"], unit_id=o["unit_id"], holder=_person(i + 300), number=f"TS{41040000 + i:08d}",
            kind=rnd.choice([k for k, _ in OperatorCertificate.KINDS]),
            issued_on=(issued := today - dt.timedelta(days=rnd.randint(30, 4 * 365 + 60))),
            expires_on=schedule.add_years(issued, 4)) for i, o in enumerate(owners[:400])]
        bulk.create(certificates)
        device_rows = list(Device.objects.filter(id__in=ids.values()).order_by("id").values("id", "unit_id",
                                                                                              "commissioned_on"))
        hazards = []
        for j, row in enumerate(device_rows[3::53]):
            found = today - dt.timedelta(days=rnd.randint(5, 90))
            status = [Hazard.Status.OPEN, Hazard.Status.RECTIFIED, Hazard.Status.VERIFIED][j % 3]
            hazards.append(Hazard(device_id=row["id"], unit_id=row["unit_id"], found_on=found,
                                  description=rnd.choice(["安全保护装置失效", "制动器磨损超标", "安全阀未按期校验",
                                                          "维保记录不全", "紧急报警装置不能正常使用"]),
                                  deadline=found + dt.timedelta(days=30), status=status,
                                  rectified_on=found + dt.timedelta(days=10) if status != Hazard.Status.OPEN else None,
                                  rectification="已更换并经维保单位确认" if status != Hazard.Status.OPEN else "",
                                  verified_on=found + dt.timedelta(days=15) if status == Hazard.Status.VERIFIED else None,
                                  created_by=supervisor))
        bulk.create(hazards)
        Accident.objects.bulk_create([
            Accident(device_id=device_rows[11]["id"], unit_id=device_rows[11]["unit_id"],
                     occurred_on=today - dt.timedelta(days=140), level=Accident.Level.GENERAL, injuries=1,
                     description="电梯困人，救援过程中一名乘客扭伤；原因为门锁回路故障", created_by=supervisor),
            Accident(device_id=device_rows[2900]["id"] if len(device_rows) > 2900 else device_rows[-1]["id"],
                     unit_id=(device_rows[2900] if len(device_rows) > 2900 else device_rows[-1])["unit_id"],
                     occurred_on=today - dt.timedelta(days=300), level=Accident.Level.GENERAL, injuries=2,
                     description="叉车倒车时碰撞作业人员；原因为司机无证操作", created_by=supervisor)])
        from jianguan.core.models import OrgUnit

        tz = OrgUnit.objects.filter(code="410400TZ").first() or OrgUnit.objects.get(code="410400")
        Campaign.objects.bulk_create([
            Campaign(title=f"{today.year}年气瓶安全专项整治", tag="气瓶", categories=["2300"], unit=tz,
                     checklist=["气瓶在检验有效期内", "充装单位持有效许可", "瓶阀和警示标签完好"],
                     starts_on=today - dt.timedelta(days=60), ends_on=today + dt.timedelta(days=60)),
            Campaign(title=f"{today.year}年电梯安全专项整治", tag="电梯", categories=["3100", "3200", "3300"], unit=tz,
                     checklist=["使用标志在有效期内并张贴在轿厢内", "维保记录齐全", "紧急报警装置有效", "安全管理员持证"],
                     starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=90)),
            Campaign(title=f"{today.year}年大型游乐设施专项整治", tag="大型游乐设施", categories=["6000"], unit=tz,
                     checklist=["运营前试运行记录", "安全带和压杠完好", "操作人员持证"],
                     starts_on=today - dt.timedelta(days=20), ends_on=today + dt.timedelta(days=40)),
        ])
        audit.record(actor=supervisor or "demo", action="equipment.demo.loaded", object_type="equipment.device",
                     object_repr=f"演示数据：{len(devices)} 台设备", changes={
                         "devices": [None, len(devices)], "inspections": [None, len(inspections)],
                         "certificates": [None, len(certificates)], "hazards": [None, len(hazards)]})
    orders = _demo_orders(today=today, actor=supervisor or "demo")
    stdout.write(f"  特种设备 {len(devices)} 台，检验记录 {len(inspections)} 条，超期未检 "
                 f"{Device.objects.filter(status='in_use', next_due__lt=today).count()} 台，"
                 f"责令改正通知书 {sum(orders.values())} 份（在期 {orders['open']}、已改正 {orders['corrected']}、"
                 f"逾期移送线索 {orders['escalated']}）")
    return {"devices": len(devices), **counts, **{f"orders_{k}": v for k, v in orders.items()}}


def _demo_orders(*, today: dt.date, actor) -> dict:
    """A few 责令改正通知书 (特种设备安全法 第八十三条第（四）项) over lifts and pressure vessels long overdue, through the
    same service as the button (numbered, Word and PDF, audited): two issued 25 days ago and not complied with,
    handed to enforcement by the daily follow-up (two leads); one corrected by an inspection recorded since; three
    issued this week, running. One query picks the devices; six documents are rendered."""
    picked = list(Device.objects.filter(status=DeviceStatus.IN_USE, next_due__lt=today - dt.timedelta(days=40),
                                        category__in=["3100", "2100"]).order_by("next_due", "id")[:6])
    plan = [(25, "escalated"), (25, "escalated"), (20, "corrected"), (4, "open"), (3, "open"), (2, "open")]
    out = {"open": 0, "corrected": 0, "escalated": 0}
    for device, (ago, fate) in zip(picked, plan, strict=False):
        issued_on = today - dt.timedelta(days=ago)
        services.order_issue(actor=actor, device=device, today=issued_on)
        if fate == "corrected":
            inspected_on = issued_on + dt.timedelta(days=8)
            services.inspection_record(actor=actor, device=device, kind=schedule.kinds_for(device.category)[0],
                                       inspected_on=inspected_on, body=BODIES[0], conclusion=Conclusion.PASSED,
                                       report_no=f"DJ{inspected_on:%Y}-{device.pk:06d}R", today=inspected_on)
        if fate != "escalated":
            out[fate] += 1
    # the daily follow-up of today: the two orders past their deadline become leads
    out["escalated"] = services.orders_escalate(actor=actor, today=today)["escalated"]
    return out


def _stamp_next_due(device_ids) -> None:
    """Give each demo inspection the due date of the next one, computed from the inspections up to it."""
    rows = list(Inspection.objects.filter(device_id__in=list(device_ids)).order_by("device_id", "inspected_on", "id")
                .values("id", "device_id", "inspected_on"))
    nexts = {d: n for d, n in Device.objects.filter(id__in=list(device_ids)).values_list("id", "next_due")}
    updates = []
    for i, row in enumerate(rows):
        following = rows[i + 1] if i + 1 < len(rows) and rows[i + 1]["device_id"] == row["device_id"] else None
        due = schedule.add_years(row["inspected_on"], 1) if following else nexts.get(row["device_id"])
        updates.append((due, row["id"]))
    # One prepared UPDATE run per row (executemany): bulk_update's CASE WHEN per batch cost ~16 s of the step (#16).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {Inspection._meta.db_table} SET next_due = %s WHERE id = %s", updates)
