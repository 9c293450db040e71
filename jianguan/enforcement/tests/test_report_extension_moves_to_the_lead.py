"""A report's check extended by the head hands its extension to the lead it becomes (Order 2 art. 18): the lead's
filing deadline is the extended one, and the case can be filed within it."""

import datetime as dt

import pytest

from jianguan.complaints import services as complaint_services
from jianguan.complaints.tests.factories import handler, report
from jianguan.core.errors import TransitionNotAllowed
from jianguan.enforcement import services
from jianguan.enforcement.models import Lead, LeadStatus

from .factories import business


def test_the_extension_of_the_report_check_is_handed_to_the_lead(officers, xh_head, district_officer):
    xh = handler()
    c, _ = report(entity=business(), received_on=dt.date(2026, 2, 10))
    complaint_services.report_start_check(actor=xh, complaint=c, on=dt.date(2026, 2, 11))
    c = complaint_services.report_extend_check(actor=xh, complaint=c, reason="需调取平台交易数据", approver=xh_head,
                                               on=dt.date(2026, 3, 6))
    assert c.check_due == dt.date(2026, 3, 30)  # 15 + 15 working days from 10 Feb (hand count: 3/9 + 15)
    c = complaint_services.report_decide(actor=xh, complaint=c, outcome="lead", note="涉嫌销售假冒商品",
                                         on=dt.date(2026, 3, 16))
    lead = Lead.objects.get(pk=c.lead_id)
    assert lead.extended and lead.extension_approved_by == xh_head
    assert lead.extension_approved_on == dt.date(2026, 3, 6)
    assert lead.filing_deadline == dt.date(2026, 3, 30)
    # A second extension is refused (once only), and the lead is not overdue on 20 March.
    with pytest.raises(TransitionNotAllowed, match="已经延长过一次"):
        services.lead_extend(actor=xh_head, lead=lead, reason="再延", on=dt.date(2026, 3, 20))
    case = services.case_file(actor=district_officer, lead=lead, case_type="trademark", title="销售假冒商品",
                              officers=officers, party_kind="organisation", on=dt.date(2026, 3, 20),
                              approver=xh_head)
    lead.refresh_from_db()
    assert case.lead == lead and lead.status == LeadStatus.FILED


def test_only_a_head_may_extend_the_filing_period(officers, xh_head, district_officer):
    lead = services.lead_create(actor=district_officer, source_kind="manual", entity=business(),
                                unit=xh_head.profile.unit, description="现场发现", discovered_on=dt.date(2026, 2, 10))
    with pytest.raises(TransitionNotAllowed, match="须经本单位负责人批准"):
        services.lead_extend(actor=district_officer, lead=lead, reason="案情复杂", on=dt.date(2026, 3, 2))
    lead = services.lead_extend(actor=district_officer, lead=lead, reason="案情复杂", approver=xh_head,
                                on=dt.date(2026, 3, 2))
    assert lead.extension_approved_by == xh_head and lead.filing_deadline == dt.date(2026, 3, 30)


def test_the_lead_api_explains_the_extended_deadline(officers, xh_head, district_officer, client):
    lead = services.lead_create(actor=district_officer, source_kind="manual", entity=business(),
                                unit=xh_head.profile.unit, description="现场发现", discovered_on=dt.date(2026, 2, 10))
    services.lead_extend(actor=xh_head, lead=lead, reason="案情复杂", on=dt.date(2026, 3, 2))
    client.force_login(district_officer)
    data = client.get(f"/api/v1/enforcement/leads/{lead.pk}").json()
    explained = data["deadline_explained"]
    assert explained["start_on"] == "2026-02-10" and explained["days"] == 15 and explained["total"] == 30
    assert explained["due_on"] == "2026-03-30" and "第十八条" in explained["article"]
    assert "新华区局负责人" in explained["extensions"][0]["reason"]
    page = client.get(f"/workbench/enforcement/leads/{lead.pk}/").content.decode()
    assert 'data-testid="deadline-explained"' in page and "第十八条" in page


def test_only_a_head_extends_the_case_clock_and_a_seizure(officers, xh_head, district_officer):
    from .factories import filed_case

    case = filed_case(actor=district_officer, officers=officers)
    with pytest.raises(TransitionNotAllowed, match="延长办案期限须经本单位负责人批准"):
        services.case_extend(actor=district_officer, case=case, reason="案情复杂", on=dt.date(2026, 4, 1))
    seizure = services.seizure_decide(actor=district_officer, case=case, measure="seize", items="插座",
                                      decided_on=dt.date(2026, 3, 6))
    with pytest.raises(TransitionNotAllowed, match="延长查封扣押期限须经本单位负责人批准"):
        services.seizure_extend(actor=district_officer, seizure=seizure, on=dt.date(2026, 3, 20))
    assert services.case_extend(actor=xh_head, case=case, reason="案情复杂", on=dt.date(2026, 4, 1)).extended
    assert services.seizure_extend(actor=xh_head, seizure=seizure, on=dt.date(2026, 3, 20)).extended
