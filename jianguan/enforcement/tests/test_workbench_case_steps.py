"""The workbench: a lead is filed from its page, each step's form is on the case page when its turn comes, a
refused step shows the reason (409) and changes nothing, and the home card and menu lead to the board."""

import datetime as dt

from jianguan.enforcement.models import Case, CaseStatus

from .factories import filed_case, lead, to_decided


def test_file_a_lead_from_its_page(client, district_officer, officers, xh_head):
    the_lead = lead(actor=district_officer)
    client.force_login(district_officer)
    page = client.get(f"/workbench/enforcement/leads/{the_lead.pk}/")
    assert page.status_code == 200 and 'data-testid="form-request_filing"' in page.content.decode()
    r = client.post(f"/workbench/enforcement/leads/{the_lead.pk}/request_filing/", {
        "request_filing-case_type": "product_quality", "request_filing-title": "销售不合格电线",
        "request_filing-party_kind": "organisation", "request_filing-officers": [u.pk for u in officers],
        "request_filing-on": "2026-03-04"})
    assert r.status_code == 302 and not Case.objects.filter(lead=the_lead).exists()
    client.force_login(xh_head)
    r = client.post(f"/workbench/enforcement/leads/{the_lead.pk}/approve_filing/", {
        "approve_filing-note": "同意立案", "approve_filing-on": "2026-03-05"})
    client.force_login(district_officer)
    case = Case.objects.get(lead=the_lead)
    assert r.status_code == 302 and r["Location"] == f"/workbench/enforcement/cases/{case.pk}/"
    detail = client.get(r["Location"]).content.decode()
    assert case.number in detail and "2026年6月3日" in detail and 'data-testid="form-conclude"' in detail


def test_filing_with_one_officer_shows_the_reason(client, district_officer):
    the_lead = lead(actor=district_officer)
    client.force_login(district_officer)
    r = client.post(f"/workbench/enforcement/leads/{the_lead.pk}/request_filing/", {
        "request_filing-case_type": "food", "request_filing-title": "t", "request_filing-party_kind": "organisation",
        "request_filing-officers": [district_officer.pk], "request_filing-on": "2026-03-05"})
    assert r.status_code == 409 and "办案人员不得少于 2 人" in r.content.decode()
    assert not Case.objects.filter(lead=the_lead).exists()


def test_conclude_through_the_form_and_refused_fine(client, district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers, case_type="metrology")
    client.force_login(district_officer)
    url = f"/workbench/enforcement/cases/{case.pk}/act/conclude/"
    base = {"conclude-report": "调查终结", "conclude-outcome": "penalty", "conclude-circumstance": "normal",
            "conclude-proposed_kinds": ["fine"], "conclude-on": "2026-03-20"}
    refused = client.post(url, {**base, "conclude-proposed_fine": "20001"})
    assert refused.status_code == 409 and "超过法定最高限额" in refused.content.decode()
    assert client.post(url, {**base, "conclude-proposed_fine": "5000"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATED
    page = client.get(f"/workbench/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="form-review_submit"' in page and 'data-testid="discretion"' in page


def test_decided_case_page_shows_penalty_documents_and_service(client, district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers)
    penalty = to_decided(case, actor=district_officer, legal=legal)
    client.force_login(district_officer)
    page = client.get(f"/workbench/enforcement/cases/{case.pk}/").content.decode()
    assert penalty.decision_no in page and 'data-testid="documents"' in page and 'data-testid="form-service"' in page
    r = client.post(f"/workbench/enforcement/cases/{case.pk}/act/service/", {
        "service-document_title": "行政处罚决定书", "service-is_decision": "on", "service-method": "direct",
        "service-served_on": "2026-04-10", "service-recipient": "法定代表人", "service-proof": "送达回证第 1 号"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SERVED


def test_reviewer_alone_sees_the_review_form(client, district_officer, officers, legal):
    from decimal import Decimal

    from jianguan.enforcement import services

    case = filed_case(actor=district_officer, officers=officers)
    services.investigation_conclude(actor=district_officer, case=case, report="r", outcome="penalty",
                                    proposed_kinds=["fine"], proposed_fine=Decimal("20000"),
                                    goods_value=Decimal("10000"), on=dt.date(2026, 3, 20))
    services.review_submit(actor=district_officer, case=case, on=dt.date(2026, 3, 20))
    client.force_login(district_officer)
    assert 'data-testid="form-review"' not in client.get(f"/workbench/enforcement/cases/{case.pk}/").content.decode()
    assert client.post(f"/workbench/enforcement/cases/{case.pk}/act/review/", {}).status_code == 403
    client.force_login(legal)
    assert 'data-testid="form-review"' in client.get(f"/workbench/enforcement/cases/{case.pk}/").content.decode()


def test_home_card_menu_and_board_days_left(client, district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    Case.objects.filter(pk=case.pk).update(overdue=True)
    client.force_login(district_officer)
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="enforcement-due"' in home and case.number in home
    assert "/workbench/enforcement/board/" in home
    board = client.get("/workbench/enforcement/board/").content.decode()
    assert case.number in board and "超期" in board


def test_simplified_page(client, district_officer, officers):
    client.force_login(district_officer)
    assert client.get("/workbench/enforcement/simplified/").status_code == 200
    r = client.post("/workbench/enforcement/simplified/", {
        "case_type": "metrology", "title": "使用未经检定的计量器具", "party_kind": "individual",
        "party_name": "李某", "kinds": ["fine"], "fine_amount": "500", "facts": "f", "legal_basis": "b",
        "officers": [u.pk for u in officers], "recipient": "李某"})
    assert r.status_code == 409 and "简易程序罚款不得超过 ¥200" in r.content.decode()


def test_register_a_lead_by_hand(client, district_officer):
    from jianguan.enforcement.models import Lead

    client.force_login(district_officer)
    assert client.get("/workbench/enforcement/leads/new/").status_code == 200
    bad = client.post("/workbench/enforcement/leads/new/", {"source_kind": "manual", "description": "无照经营",
                                                            "discovered_on": "2026-03-02"})
    assert bad.status_code == 422 and "当事人名称" in bad.content.decode()
    r = client.post("/workbench/enforcement/leads/new/", {
        "source_kind": "monitoring", "party_name": "某网店", "description": "网络监测发现虚假宣传",
        "discovered_on": "2026-03-02"})
    lead = Lead.objects.get(party_name="某网店")
    assert r.status_code == 302 and lead.filing_deadline == dt.date(2026, 3, 23)
    assert lead.unit.code == "410402" and lead.created_by == district_officer
