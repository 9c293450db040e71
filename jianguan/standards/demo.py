"""Demo of standardization: enterprises' standards of every kind, leader designations, two pilot projects with
milestones (one late), local standards at several stages. Set-based, one transaction, one audit entry;
idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import audit
from jianguan.core.demo import step
from jianguan.core.models import OrgUnit
from jianguan.registry.models import ENTERPRISE_KINDS, Entity, EntityStatus

from .models import EnterpriseStandard, Leader, LocalStandard, Milestone, PilotProject, Stage

STANDARDS = [("national", "GB/T 19001-2016", "质量管理体系 要求", "adopted"),
             ("industry", "JB/T 10696.1-2007", "电线电缆机械物理性能试验方法", "adopted"),
             ("local", "DB41/T 1234-2016", "宝丰酒酿造技术规范", "led"),
             ("group", "T/HNAS 012-2021", "郏县红牛肉分割规范", "led"),
             ("enterprise", "Q/PDSDL 001-2023", "中压电力电缆", "adopted"),
             ("national", "GB/T 12706.1-2020", "额定电压1kV到35kV挤包绝缘电力电缆", "participated")]


@step(72, "标准化")
def demo_standards(*, today: dt.date, stdout) -> dict:
    if LocalStandard.objects.exists():
        return {"skipped": True}
    unit = OrgUnit.objects.get(code="410400BZ")
    officer = get_user_model().objects.filter(username="bz_officer").first()
    firms = list(Entity.objects.filter(status=EntityStatus.ACTIVE, kind__in=ENTERPRISE_KINDS).order_by("id")[50:62])
    with transaction.atomic():
        EnterpriseStandard.objects.bulk_create([
            EnterpriseStandard(entity=e, kind=k, number=n, title=t, role=r, unit_id=e.unit_id,
                               declared_on=today - dt.timedelta(days=20 * (i + 1)))
            for i, (e, (k, n, t, r)) in enumerate(zip(firms, STANDARDS, strict=False))])
        Leader.objects.bulk_create([
            Leader(entity=e, product=p, standard_number=n, year=today.year, evaluator="中国标准化研究院（演示）",
                   unit_id=e.unit_id)
            for e, p, n in zip(firms[6:8], ["中压电力电缆", "尼龙66切片"], ["Q/PDSDL 001-2023", "Q/PDSSH 002-2022"],
                               strict=True)])
        pilots = PilotProject.objects.bulk_create([
            PilotProject(name="鲁山县香菇种植标准化示范区", level="provincial", field="agriculture",
                         undertaker="鲁山县农业农村局", starts_on=today - dt.timedelta(days=300),
                         ends_on=today + dt.timedelta(days=400), unit=unit),
            PilotProject(name="平顶山市政务服务标准化试点", level="city", field="public",
                         undertaker="平顶山市政务服务和大数据管理局", starts_on=today - dt.timedelta(days=500),
                         ends_on=today + dt.timedelta(days=100), unit=unit)])
        Milestone.objects.bulk_create([
            Milestone(project=p, name=name, due_on=p.starts_on + dt.timedelta(days=days),
                      done_on=p.starts_on + dt.timedelta(days=days - 5) if done else None)
            for p in pilots for name, days, done in (("建立标准体系", 90, True), ("标准宣贯培训", 200, True),
                                                      ("自评估", 280, False), ("申请验收", 380, False))])
        LocalStandard.objects.bulk_create([
            LocalStandard(title="鲁山香菇栽培技术规程", drafter="鲁山县食用菌研究所", unit=unit,
                          proposed_on=today - dt.timedelta(days=400), stage=Stage.PUBLISHED,
                          comments_from=today - dt.timedelta(days=250), comments_until=today - dt.timedelta(days=215),
                          comments_received=17, reviewed_on=today - dt.timedelta(days=200),
                          number=f"DB4104/T 1-{today.year}", published_on=today - dt.timedelta(days=120)),
            LocalStandard(title="汝瓷烧制工艺规范", drafter="汝州市汝瓷协会", unit=unit, stage=Stage.COMMENTS,
                          proposed_on=today - dt.timedelta(days=150), comments_from=today - dt.timedelta(days=10),
                          comments_until=today + dt.timedelta(days=25)),
            LocalStandard(title="城市社区网格化服务规范", drafter="平顶山市民政局", unit=unit, stage=Stage.DRAFTING,
                          proposed_on=today - dt.timedelta(days=60)),
            LocalStandard(title="电梯维护保养服务质量评价", drafter="平顶山市特种设备检验所", unit=unit,
                          proposed_on=today - dt.timedelta(days=10))])
        audit.record(actor=officer or "demo", action="standards.demo.loaded", object_type="standards",
                     object_id="demo", object_repr="标准化演示数据", unit=unit, changes={"pilots": [None, len(pilots)]})
    return {"standards": min(len(firms), len(STANDARDS)), "pilots": len(pilots)}
