"""The whole journey: a lead from an inspection is checked and filed, investigated with evidence and a seizure,
reviewed, notified, decided, served with proof, paid and closed — with real numbered documents on the way."""

import datetime as dt
from decimal import Decimal

from jianguan.core.models import AuditEntry
from jianguan.enforcement import services
from jianguan.enforcement.models import CaseStatus, LeadSource, LeadStatus, PaymentStatus

from .factories import business, lead


def test_inspection_lead_to_closed_case(district_officer, officers, legal, xh_head):
    entity = business()
    the_lead = lead(actor="system", entity=entity, source_kind=LeadSource.INSPECTION, source_type="inspections.task",
                    source_id="77", discovered_on=dt.date(2026, 9, 28), description="双随机抽查：电线绝缘电阻不合格")
    assert the_lead.filing_deadline == dt.date(2026, 10, 23)
    services.lead_start_check(actor=district_officer, lead=the_lead)
    case = services.case_file(actor=xh_head, lead=the_lead, case_type="product_quality", title="销售不合格电线",
                              officers=officers, party_kind="organisation", on=dt.date(2026, 10, 9))
    the_lead.refresh_from_db()
    assert the_lead.status == LeadStatus.FILED and case.entity == entity
    assert case.decision_deadline == dt.date(2027, 1, 7) or case.decision_deadline is None

    services.evidence_add(actor=district_officer, case=case, kind="record", description="现场检查笔录",
                          collected_on=dt.date(2026, 10, 9))
    services.evidence_add(actor=district_officer, case=case, kind="appraisal", description="检验报告：不合格",
                          collected_on=dt.date(2026, 10, 20))
    seizure = services.seizure_decide(actor=district_officer, case=case, measure="seize",
                                      items="不合格电线 200 卷", decided_on=dt.date(2026, 10, 9))
    services.investigation_conclude(actor=district_officer, case=case, report="违法事实清楚", outcome="penalty",
                                    circumstance="normal", proposed_kinds=["fine", "confiscate_goods"],
                                    proposed_fine=Decimal("12000"), goods_value=Decimal("10000"),
                                    on=dt.date(2026, 10, 26))
    services.review_submit(actor=district_officer, case=case, on=dt.date(2026, 10, 26))
    services.review_decide(actor=legal, case=case, result="approved", opinion="同意", on=dt.date(2026, 10, 28))
    notice = services.notice_issue(actor=district_officer, case=case, on=dt.date(2026, 10, 29), served_on=dt.date(2026, 10, 29),
                          method="direct", recipient="法定代表人", proof="送达回证")
    assert notice.hearing_right  # confiscation of goods is a hearing matter
    services.notice_reply(actor=district_officer, case=case, statement="请求从轻处罚", on=dt.date(2026, 11, 2))
    penalty = services.case_decide(actor=xh_head, case=case, kinds=["fine", "confiscate_goods"],
                                   fine_amount=Decimal("12000"), confiscated_items="不合格电线 200 卷",
                                   facts="销售不合格电线 200 卷，货值一万元", legal_basis="《产品质量法》第四十九条",
                                   on=dt.date(2026, 11, 10))
    assert "罚〔2026〕" in penalty.decision_no and penalty.entity == entity
    services.seizure_release(actor=district_officer, seizure=seizure, on=dt.date(2026, 11, 10), disposed=True,
                             note="依决定没收")
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=dt.date(2026, 11, 11), recipient="法定代表人王某", proof="送达回证第 3 号",
                            is_decision=True)
    penalty.refresh_from_db()
    assert penalty.payment_due == dt.date(2026, 11, 26)
    services.payment_record(actor=district_officer, case=case, paid_on=dt.date(2026, 11, 20),
                            amount=Decimal("12000"), receipt_no="豫非税 0001")
    services.case_close(actor=xh_head, case=case, note="罚没款已缴清，没收物品已处理", on=dt.date(2026, 11, 25))
    case.refresh_from_db()
    penalty.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and penalty.payment_status == PaymentStatus.PAID

    from jianguan.enforcement import documents

    approval = documents.document_issue(case=case, kind="filing_approval", actor=district_officer)
    decision = documents.document_issue(case=case, kind="penalty_decision", actor=district_officer)
    closing = documents.document_issue(case=case, kind="closing_approval", actor=xh_head,
                                       inputs={"execution": "罚款 12000 元已于 2026年11月20日缴清"})
    assert approval.number == case.number and decision.number == penalty.decision_no and closing.number

    actions = set(AuditEntry.objects.filter(object_id=str(case.pk), object_type="enforcement.case")
                  .values_list("action", flat=True))
    assert {"enforcement.case.filed", "enforcement.case.investigated", "enforcement.case.decided",
            "enforcement.case.closed"} <= actions
