"""Demo of quality improvement: three parks with a year of visits (planned, visited with problems, followed up),
awards, first quality officers, a certification body with certificates, two testing institutions (one expiring
soon) and their reports. Set-based (bulk_create), one transaction, one audit entry; idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import audit
from jianguan.core.demo import step
from jianguan.core.models import OrgUnit
from jianguan.registry.models import ENTERPRISE_KINDS, Entity, EntityStatus, Licence

from . import services
from .models import (
    AwardKind,
    Certificate,
    CertificationBody,
    Park,
    QualityAward,
    QualityOfficer,
    TestingInstitution,
    TestReport,
    Visit,
    VisitStatus,
)

PARKS = [("宝丰县产业集聚区", "410421", 60), ("舞钢市产业集聚区", "410481", 45), ("平顶山高新技术产业开发区", "410411", 80)]
ITEMS = ["电线电缆导体电阻", "绝缘厚度", "燃烧性能", "甲醛释放量", "重金属含量"]


@step(71, "质量提升与认证检测")
def demo_quality(*, today: dt.date, stdout) -> dict:
    if Park.objects.exists():
        return {"skipped": True}
    unit = OrgUnit.objects.get(code="410400ZL")
    officer = get_user_model().objects.filter(username="zl_quality").first()
    firms = Entity.objects.filter(status=EntityStatus.ACTIVE, kind__in=ENTERPRISE_KINDS).order_by("id")
    with transaction.atomic():
        parks = Park.objects.bulk_create([Park(name=n, division_id=d, enterprises=e, unit=unit) for n, d, e in PARKS])
        visits = []
        for park in parks:
            for j, entity in enumerate(firms.filter(division_id=park.division_id)[:12]):
                planned = today - dt.timedelta(days=10 * (12 - j))
                v = Visit(park=park, entity=entity, planned_on=planned, team="质量发展科 王建国、李红梅",
                          unit_id=entity.unit_id)
                if j < 9:  # visited; every third with problems still open, the others followed up
                    v.visited_on = planned
                    v.problem_count = j % 3
                    if v.problem_count:
                        v.problems = "质量管理制度不健全；出厂检验记录不完整"[: 12 * v.problem_count]
                        v.help_given = "派技术专家指导建立出厂检验制度，提供相关标准文本"
                        v.follow_up_due = planned + dt.timedelta(days=30)
                        if j % 2:
                            v.status = VisitStatus.VISITED
                        else:
                            v.status, v.followed_up_on, v.solved = VisitStatus.CLOSED, planned + dt.timedelta(20), 1
                            v.follow_up_note = "已建立出厂检验记录台账"
                    else:
                        v.status = VisitStatus.CLOSED
                visits.append(v)
        Visit.objects.bulk_create(visits)
        some = list(firms[20:32])
        kinds = list(AwardKind.values)
        QualityAward.objects.bulk_create([
            QualityAward(entity=e, kind=kinds[i % len(kinds)], year=today.year - i % 2, document_no=f"演示-质奖-{i + 1:02d}",
                         unit_id=e.unit_id) for i, e in enumerate(some[:6])])
        QualityOfficer.objects.bulk_create([
            QualityOfficer(entity=e, name=n, position="副总经理", appointed_on=today - dt.timedelta(days=200),
                           trained=i % 2 == 0, certificate_no=f"演示-CQO-{i + 1:03d}" if i % 2 == 0 else "",
                           unit_id=e.unit_id)
            for i, (e, n) in enumerate(zip(some[6:10], ["陈志强", "刘海燕", "赵晓明", "孙丽娟"], strict=True))])
        body_firm, lab1, lab2 = some[10], some[11], firms[33]
        kind_body = services.licence_kind("quality.certification_body_licence_kind", "认证机构批准书")
        kind_lab = services.licence_kind("quality.testing_licence_kind", "检验检测机构资质认定证书")
        issued = today - dt.timedelta(days=1500)
        lic_body = Licence.objects.create(entity=body_firm, kind=kind_body, number="CNCA-R-DEMO-001",
                                          issuer="国家认证认可监督管理委员会", issued_on=issued,
                                          valid_until=today + dt.timedelta(days=700), scope="产品认证、质量管理体系认证")
        body = CertificationBody.objects.create(entity=body_firm, approval_no=lic_body.number,
                                                fields_of_work=["产品认证", "质量管理体系认证"],
                                                valid_until=lic_body.valid_until, licence=lic_body,
                                                unit_id=body_firm.unit_id)
        Certificate.objects.bulk_create([
            Certificate(body=body, holder=e, number=f"2026{i + 1:06d}", kind="ccc" if i % 2 else "qms",
                        scope="电线电缆" if i % 2 else "电线电缆的生产", issued_on=today - dt.timedelta(days=100 + i),
                        valid_until=today + dt.timedelta(days=900), unit_id=e.unit_id)
            for i, e in enumerate(firms[40:46])])
        labs = []
        for lab, number, lab_issued in ((lab1, "161612050001", today - dt.timedelta(days=2100)),
                                        (lab2, "171612050002", today - dt.timedelta(days=600))):
            until = services.validity_end(lab_issued, 6)
            lic = Licence.objects.create(entity=lab, kind=kind_lab, number=number, issuer="河南省市场监督管理局",
                                         issued_on=lab_issued, valid_until=until, scope="、".join(ITEMS))
            labs.append(TestingInstitution.objects.create(entity=lab, cma_no=number, scope=ITEMS, issued_on=lab_issued,
                                                          valid_until=until, licence=lic, unit_id=lab.unit_id))
        TestReport.objects.bulk_create([
            TestReport(institution=labs[i % 2], number=f"JC{today.year}-{i + 1:04d}", item=ITEMS[i % len(ITEMS)],
                       sample="BV 2.5mm² 电线" if i % 2 else "人造板", issued_on=today - dt.timedelta(days=5 + i),
                       conclusion="fail" if i == 0 else "pass", purpose="2026 年产品质量监督抽查", unit=unit)
            for i in range(6)])
        audit.record(actor=officer or "demo", action="quality.demo.loaded", object_type="quality", object_id="demo",
                     object_repr="质量提升演示数据", unit=unit, changes={"visits": [None, len(visits)]})
    return {"parks": len(parks), "visits": len(visits)}
