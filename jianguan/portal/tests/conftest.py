"""The public world: an entity whose private data is known (so tests can prove it never leaks), with a licence, an
annual report, an abnormal listing, a published inspection result, three complaints, and an individual business."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.complaints import services as complaint_services
from jianguan.complaints.models import Channel, Kind
from jianguan.core.models import OrgUnit
from jianguan.credit import services as credit_services
from jianguan.credit.models import EntityRisk, Ground
from jianguan.credit.tests import factories as credit_factories
from jianguan.inspections import services as inspection_services
from jianguan.inspections.tests import factories as insp
from jianguan.registry.models import EntityKind
from jianguan.registry.tests.factories import EntityFactory, LicenceFactory

SECRETS = {
    "legal_rep_id_no": "410402198807061357",
    "phone": "13987654321",
    "report_phone": "15911112222",
    "report_email": "boss.private@example.com",
    "complainant_name": "李投诉人",
    "complainant_phone": "13600001111",
    "complainant_address": "河南省平顶山市湛河区秘密小区8号楼2单元301室",
    "complainant_email": "complainer@example.com",
    "operator_name": "王小明",
    "operator_id_no": "410402199202023579",
    "operator_phone": "13722223333",
    "risk_reason_marker": "风险分类内部依据",
}


@pytest.fixture
def world(org, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    today = timezone.localdate()
    head = insp.head()
    insp.inspector("insp_a", name="检查员甲")
    insp.inspector("insp_b", name="检查员乙")
    unit = OrgUnit.objects.get(code="41040201")
    company = EntityFactory(unit=unit, name="平顶山市鹰城放心粮油有限公司", legal_rep="赵大成",
                            legal_rep_id_no=SECRETS["legal_rep_id_no"], phone=SECRETS["phone"])
    EntityRisk.objects.create(entity=company, risk_class="B", score=0, reasons=[SECRETS["risk_reason_marker"]])
    shop = EntityFactory(unit=unit, kind=EntityKind.INDIVIDUAL, name="平顶山市新华区小明便利店",
                         legal_rep=SECRETS["operator_name"], legal_rep_id_no=SECRETS["operator_id_no"],
                         phone=SECRETS["operator_phone"])
    EntityRisk.objects.create(entity=shop, risk_class="D", score=0)
    LicenceFactory(entity=company, number="JY14104020012345")
    credit_factories.report(company, today.year - 1, phone=SECRETS["report_phone"], email=SECRETS["report_email"])
    officer = credit_factories.credit_officer()
    credit_services.list_enter(actor=officer, entity=shop, ground=Ground.UNREACHABLE,
                               facts=f"拨打登记电话{SECRETS['operator_phone']}无人接听", today=today)
    # one batch drawing the company (class B, quota 1) and not the shop (class D, quota 0)
    batch = insp.batch(head, insp.plan(head, quota_overrides={"B": 1, "D": 0}), step="published")
    task = insp.conclude(batch.tasks.get(), "corrected", notes=f"现场负责人电话{SECRETS['phone']}")
    inspection_services.results_publish(actor=head, tasks=[task])
    for i in range(3):
        complaint_services.complaint_submit(
            actor="public", kind=Kind.COMPLAINT, channel=Channel.PORTAL, entity=company,
            description=f"购买的食用油过期（第{i + 1}次）", person_name=SECRETS["complainant_name"],
            person_phone=SECRETS["complainant_phone"], person_address=SECRETS["complainant_address"],
            person_email=SECRETS["complainant_email"], received_on=today - dt.timedelta(days=10 + i), notify=False)
    return {"company": company, "shop": shop, "task": task, "batch": batch, "head": head, "today": today}


@pytest.fixture
def enterprise(world):
    return credit_factories.enterprise_account(world["company"], username="ent_company")
