"""Filing a case from a lead (立案) needs a head of the unit's approval (Order 2 art. 19): an officer requests, a
head approves or returns it; the case is filed on the day of approval and the printed 立案审批表 carries the head's
name as 机关负责人审批意见 — never the officer's."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError
from jianguan.enforcement import documents, services
from jianguan.enforcement.models import Case, FilingRequest, LeadStatus

from .factories import lead


def _request(officer, officers, the_lead, on=dt.date(2026, 3, 4)):
    return services.filing_request(actor=officer, lead=the_lead, case_type="product_quality", title="销售不合格产品",
                                   officers=officers, party_kind="organisation", on=on)


def test_officer_requests_and_head_approves_with_the_case_filed_on_approval(district_officer, officers, xh_head):
    the_lead = lead(actor=district_officer)
    req = _request(district_officer, officers, the_lead)
    assert not Case.objects.exists() and req.status == FilingRequest.Status.PENDING
    case = services.filing_approve(actor=xh_head, request=req, on=dt.date(2026, 3, 5))
    assert case.filed_on == dt.date(2026, 3, 5) and case.filing_approved_by == xh_head
    the_lead.refresh_from_db()
    assert the_lead.status == LeadStatus.FILED
    # a second click returns the same case
    assert services.filing_approve(actor=xh_head, request=req, on=dt.date(2026, 3, 5)) == case
    ctx = documents.context_for(case, "filing_approval", number=case.number, issued_on=case.filed_on)
    assert ctx["opinion_leader"].startswith("同意立案。新华区局负责人，")
    assert "district_officer" not in ctx["opinion_leader"] and "新华区执法员" not in ctx["opinion_leader"]
    assert "新华区执法员" in ctx["opinion_officer"]


def test_an_officer_cannot_approve_and_a_head_can_return(district_officer, officers, xh_head):
    the_lead = lead(actor=district_officer)
    req = _request(district_officer, officers, the_lead)
    with pytest.raises(DomainError) as refused:
        services.filing_approve(actor=officers[1], request=req)
    assert refused.value.code == "not_head"
    with pytest.raises(DomainError):
        services.filing_return(actor=xh_head, request=req, note="  ")
    services.filing_return(actor=xh_head, request=req, note="证据不足，补充核查")
    req.refresh_from_db()
    assert req.status == FilingRequest.Status.RETURNED and req.decided_by == xh_head
    with pytest.raises(DomainError):
        services.filing_approve(actor=xh_head, request=req)
    # the lead stays open for a new request
    assert _request(district_officer, officers, the_lead).status == FilingRequest.Status.PENDING


def test_the_filing_service_refuses_an_officer_as_approver(district_officer, officers):
    """Not only the page and the API: the service itself refuses to file with an officer as the approver, whether
    the officer files alone or names another officer as approver, and nothing is written."""
    the_lead = lead(actor=district_officer)
    for approver in (None, officers[1]):
        with pytest.raises(DomainError) as exc:
            services.case_file(actor=district_officer, lead=the_lead, case_type="product_quality",
                               title="销售不合格产品", officers=officers, party_kind="organisation",
                               on=dt.date(2026, 3, 4), approver=approver)
        assert exc.value.code == "not_head" and "负责人" in exc.value.message
    the_lead.refresh_from_db()
    assert not Case.objects.exists() and the_lead.status != LeadStatus.FILED


def test_a_head_of_another_district_cannot_approve_filing(district_officer, officers):
    from .factories import head

    wd_head = head("wd_head", "410403")
    with pytest.raises(DomainError) as exc:
        services.case_file(actor=district_officer, lead=lead(actor=district_officer), case_type="product_quality",
                           title="销售不合格产品", officers=officers, party_kind="organisation",
                           on=dt.date(2026, 3, 4), approver=wd_head)
    assert exc.value.code == "not_head" and not Case.objects.exists()


def test_an_officer_records_a_filing_the_head_approved_and_the_form_names_the_head(district_officer, officers,
                                                                                    xh_head):
    case = services.case_file(actor=district_officer, lead=lead(actor=district_officer), case_type="product_quality",
                              title="销售不合格产品", officers=officers, party_kind="organisation",
                              on=dt.date(2026, 3, 4), approver=xh_head)
    assert case.filing_approved_by == xh_head and case.created_by == district_officer
    ctx = documents.context_for(case, "filing_approval", number=case.number, issued_on=case.filed_on)
    assert xh_head.first_name in str(ctx["opinion_leader"])
    assert district_officer.first_name not in str(ctx["opinion_leader"])


def test_the_lead_page_offers_request_to_officers_and_approve_or_return_to_heads(district_officer, officers,
                                                                                 xh_head, login, client):
    the_lead = lead(actor=district_officer)
    page = login(district_officer).get(f"/workbench/enforcement/leads/{the_lead.pk}/").content.decode()
    assert 'data-testid="form-request_filing"' in page and 'data-testid="form-file"' not in page
    _request(district_officer, officers, the_lead)
    client.force_login(xh_head)
    page = client.get(f"/workbench/enforcement/leads/{the_lead.pk}/").content.decode()
    assert 'data-testid="form-approve_filing"' in page and 'data-testid="form-return_filing"' in page
    response = client.post(f"/workbench/enforcement/leads/{the_lead.pk}/approve_filing/",
                           {"approve_filing-note": "同意立案", "approve_filing-on": "2026-03-05"})
    case = Case.objects.get(lead=the_lead)
    assert response.status_code == 302 and case.filing_approved_by == xh_head
