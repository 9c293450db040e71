"""Fee checks (涉企违规收费): a campaign over chosen kinds of bodies, a checklist per kind answered item by item,
findings with the amount charged unlawfully, refunds ordered and confirmed (never more than found, a repeat does no
harm), and the statistics the campaign reports up (page, Excel, API) — hand-counted."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.core.scope import EVERYTHING
from jianguan.core.tests.factories import staff
from jianguan.enforcement.tests.factories import business
from jianguan.ip.tests.xlsx import read
from jianguan.monitoring import fees, selectors, services
from jianguan.monitoring.models import FeeRefund
from jianguan.workplan import metrics

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def inspector(org):
    return staff("xh_price", "410402", ["price_inspector"], credential=False, name="新华区价格检查员")


@pytest.fixture
def campaign(inspector):
    return services.fee_campaign_create(actor=inspector, title="2026 年涉企违规收费专项整治", year=2026,
                                        kinds=["bank", "association"], started_on=D(2026, 4, 1),
                                        report_due=D(2026, 11, 30))


def _all(kind, **answers):
    return {i.code: answers.get(i.code, "ok") for i in fees.KINDS[kind].items}


@pytest.fixture
def bank_check(inspector, campaign):
    return services.fee_check_record(actor=inspector, campaign=campaign, kind="bank", body_name="某某银行新华支行",
                                     entity=business(), checked_on=D(2026, 5, 6),
                                     checklist=_all("bank", bank_shifted="problem"))


def test_checklist_must_be_answered_item_by_item_for_a_kind_of_the_campaign(inspector, campaign):
    with pytest.raises(ValidationFailed, match="不检查“港口口岸”"):
        services.fee_check_record(actor=inspector, campaign=campaign, kind="port", body_name="某港务公司",
                                  checked_on=D(2026, 5, 6), checklist=_all("port"))
    partial = _all("bank")
    del partial["bank_display"]
    with pytest.raises(ValidationFailed, match="未逐项填写：未在营业场所和网站公示服务项目和价格"):
        services.fee_check_record(actor=inspector, campaign=campaign, kind="bank", body_name="某银行",
                                  checked_on=D(2026, 5, 6), checklist=partial)


def test_a_finding_needs_a_problem_item_and_a_refund_larger_than_found_is_refused(inspector, bank_check):
    with pytest.raises(ValidationFailed, match="未记为发现问题"):
        services.fee_finding_record(actor=inspector, check=bank_check, item="bank_display", description="x",
                                    amount=Decimal("1"))
    finding = services.fee_finding_record(actor=inspector, check=bank_check, item="bank_shifted",
                                          description="贷款抵押登记费由企业承担", amount=Decimal("12800.00"), payers=16)
    with pytest.raises(ValidationFailed, match="大于查实的违规收费金额1.28万元"):
        services.refund_order(actor=inspector, finding=finding, amount=Decimal("12800.01"), on=D(2026, 5, 10))
    with pytest.raises(ValidationFailed, match="尚未责令清退"):
        services.refund_confirm(actor=inspector, finding=finding, amount=Decimal("100"), refunded_on=D(2026, 5, 20),
                                proof="转账 001")
    services.refund_order(actor=inspector, finding=finding, amount=Decimal("12800.00"), on=D(2026, 5, 10))
    services.refund_confirm(actor=inspector, finding=finding, amount=Decimal("8000"), refunded_on=D(2026, 5, 20),
                            proof="转账凭证 001")
    services.refund_confirm(actor=inspector, finding=finding, amount=Decimal("8000"), refunded_on=D(2026, 5, 20),
                            proof="转账凭证 001")  # the same confirmation twice: one refund
    assert FeeRefund.objects.count() == 1
    with pytest.raises(ValidationFailed, match="超出违规收费金额：查实1.28万元，已清退8,000元"):
        services.refund_confirm(actor=inspector, finding=finding, amount=Decimal("4800.01"),
                                refunded_on=D(2026, 5, 25), proof="转账凭证 002")
    services.refund_confirm(actor=inspector, finding=finding, amount=Decimal("4800"), refunded_on=D(2026, 5, 25),
                            proof="转账凭证 002")
    finding.refresh_from_db()
    assert finding.refunded == Decimal("12800.00")


def test_statistics_for_the_report_hand_counted_page_excel_api(inspector, campaign, bank_check, login, client):
    assoc = services.fee_check_record(actor=inspector, campaign=campaign, kind="association", body_name="某某行业协会",
                                      checked_on=D(2026, 6, 1), checklist=_all("association"))
    assert assoc.unit.code == "410402"
    f1 = services.fee_finding_record(actor=inspector, check=bank_check, item="bank_shifted", description="抵押登记费",
                                     amount=Decimal("12800"), payers=16)
    f2 = services.fee_finding_record(actor=inspector, check=bank_check, item="bank_shifted", description="评估费",
                                     amount=Decimal("3000"), payers=4)
    services.refund_order(actor=inspector, finding=f1, amount=Decimal("12800"), on=D(2026, 6, 2))
    services.refund_order(actor=inspector, finding=f2, amount=Decimal("3000"), on=D(2026, 6, 2))
    services.refund_confirm(actor=inspector, finding=f1, amount=Decimal("12800"), refunded_on=D(2026, 6, 9),
                            proof="凭证 1")
    rows, total = selectors.fee_statistics(inspector, campaign)
    bank = next(r for r in rows if r.label == "商业银行")
    assert (bank.checks, bank.with_problems, bank.findings, bank.payers) == (1, 1, 2, 20)
    assert (bank.amount, bank.ordered, bank.refunded, bank.outstanding) == (15800, 15800, 12800, 3000)
    assert (total.checks, total.with_problems, total.refunded) == (2, 1, 12800)

    c = login(inspector)
    page = c.get(f"/workbench/monitoring/fees/{campaign.pk}/").content.decode()
    assert 'data-testid="fee-refunded"' in page and "12,800" in page  # 元 with thousands separated
    sheet = read(c.get(f"/workbench/monitoring/fees/{campaign.pk}/export.xlsx").content)
    header = sheet[2]
    total_row = next(r for r in sheet if r[0] == "合计")
    assert total_row[header.index("已清退金额（元）")] == 12800 and total_row[header.index("未清退金额（元）")] == 3000
    findings = read(c.get(f"/workbench/monitoring/fees/{campaign.pk}/export.xlsx").content, sheet=1)
    assert len(findings) == 3 and findings[1][0] == "某某银行新华支行"

    from jianguan.core.services import api_token_create

    headers = {"Authorization": f"Bearer {api_token_create(actor=inspector, name='t')[1]}"}
    listed = client.get("/api/v1/monitoring/fees/campaigns?year=2026", headers=headers).json()
    assert [(c["id"], c["checks"]) for c in listed] == [(campaign.pk, 2)]
    api = client.get(f"/api/v1/monitoring/fees/campaigns/{campaign.pk}/statistics", headers=headers).json()
    assert Decimal(api["total"]["refunded"]) == 12800
    refused = client.post(f"/api/v1/monitoring/fees/findings/{f2.pk}/confirm",
                          {"amount": "3000.01", "on": "2026-06-10", "proof": "凭证 2"},
                          content_type="application/json", headers=headers)
    assert refused.status_code == 422 and "超出违规收费金额" in refused.json()["error"]["message"]
    ok = client.post(f"/api/v1/monitoring/fees/findings/{f2.pk}/confirm",
                     {"amount": "3000", "on": "2026-06-10", "proof": "凭证 2"},
                     content_type="application/json", headers=headers)
    assert ok.status_code == 200 and Decimal(ok.json()["refunded"]) == 3000
    ctx = metrics.Context(scope=EVERYTHING, year=2026, today=D(2026, 12, 5))
    assert metrics.compute("monitoring.fees_refunded", ctx).value == Decimal("15800")


def test_workbench_flow_scope_and_query_count(inspector, campaign, bank_check, login, django_assert_max_num_queries):
    c = login(inspector)
    new = c.post(f"/workbench/monitoring/fees/{campaign.pk}/checks/new/?kind=association",
                 {"kind": "association", "body_name": "某某商会", "checked_on": "2026-06-01",
                  **_all("association", assoc_awards="problem")})
    assert new.status_code == 302
    check = campaign.checks.get(body_name="某某商会")
    c.post(f"/workbench/monitoring/fees/checks/{check.pk}/findings/",
           {"item": "assoc_awards", "description": "评比达标收费", "amount": "5,000", "payers": "10"})
    finding = check.findings.get()
    c.post(f"/workbench/monitoring/fees/findings/{finding.pk}/order/", {"amount": "6000", "on": "2026-06-02"})
    finding.refresh_from_db()
    assert finding.refund_ordered == 0  # larger than found: refused, message shown
    page = c.get(f"/workbench/monitoring/fees/checks/{check.pk}/").content.decode()
    assert "大于查实的违规收费金额" in page
    for i in range(6):
        services.fee_check_record(actor=inspector, campaign=campaign, kind="bank", body_name=f"银行{i}",
                                  checked_on=D(2026, 5, 6), checklist=_all("bank"))
    with django_assert_max_num_queries(18):
        assert c.get(f"/workbench/monitoring/fees/{campaign.pk}/").status_code == 200
    assert 'data-testid="fees-card"' in c.get("/workbench/").content.decode()
    other = login(staff("wd_price", "410403", ["price_inspector"], credential=False))
    assert other.get(f"/workbench/monitoring/fees/checks/{check.pk}/").status_code == 404
    assert other.post(f"/workbench/monitoring/fees/findings/{finding.pk}/order/",
                      {"amount": "1", "on": "2026-06-02"}).status_code == 404
    assert login(staff("xh_insp2", "41040201", ["inspector"])).get("/workbench/monitoring/fees/").status_code == 403


def test_a_finding_becomes_a_lead_once_from_page_or_api(inspector, campaign, bank_check, login, client):
    from jianguan.core.services import api_token_create
    from jianguan.enforcement.models import Lead, LeadSource

    finding = services.fee_finding_record(actor=inspector, check=bank_check, item="bank_shifted",
                                          description="贷款抵押登记费由企业承担", amount=Decimal("12800"), payers=16)
    services.refund_order(actor=inspector, finding=finding, amount=Decimal("12800"), on=D(2026, 5, 10))
    c = login(inspector)
    c.post(f"/workbench/monitoring/fees/findings/{finding.pk}/lead/")
    c.post(f"/workbench/monitoring/fees/findings/{finding.pk}/lead/")  # double click
    lead = Lead.objects.get()
    finding.refresh_from_db()
    assert finding.lead_id == lead.pk and lead.entity_id == bank_check.entity_id
    assert lead.source_kind == LeadSource.INSPECTION and lead.discovered_on == D(2026, 5, 6)
    assert "商业银行“某某银行新华支行”贷款时将应由银行承担的费用转嫁给企业" in lead.description
    assert "查实违规收费1.28万元，涉及企业 16 家；责令清退1.28万元（2026-05-10），已清退0元" in lead.description
    page = c.get(f"/workbench/monitoring/fees/checks/{bank_check.pk}/").content.decode()
    assert 'data-testid="fee-lead"' in page and f"#{lead.pk}" in page and 'data-testid="fee-to-lead"' not in page

    unregistered = services.fee_check_record(actor=inspector, campaign=campaign, kind="association",
                                             body_name="某某行业协会", checked_on=D(2026, 6, 1),
                                             checklist=_all("association", assoc_awards="problem"))
    second = services.fee_finding_record(actor=inspector, check=unregistered, item="assoc_awards",
                                         description="评比达标收费", amount=Decimal("5000"), payers=10)
    headers = {"Authorization": f"Bearer {api_token_create(actor=inspector, name='t')[1]}"}
    first = client.post(f"/api/v1/monitoring/fees/findings/{second.pk}/lead", headers=headers).json()
    again = client.post(f"/api/v1/monitoring/fees/findings/{second.pk}/lead", headers=headers).json()
    assert first["lead"] == again["lead"] and Lead.objects.count() == 2
    assert Lead.objects.get(pk=first["lead"]).party_name == "某某行业协会"  # no registry entity: named as the party
    other = login(staff("wd_price2", "410403", ["price_inspector"], credential=False))
    assert other.post(f"/workbench/monitoring/fees/findings/{second.pk}/lead/").status_code == 404


def test_a_fully_refunded_finding_offers_no_refund_form_and_refuses_another(inspector, bank_check, login, client):
    """Once the whole amount found is paid back the page drops the 责令清退/确认清退 forms (a badge instead); a stale
    page or the API asking for another refund gets a clear 409 and nothing is written; the last confirmation
    submitted again (a double click) still does no harm."""
    from jianguan.core.audit import AuditEntry
    from jianguan.core.errors import Conflict
    from jianguan.core.services import api_token_create

    finding = services.fee_finding_record(actor=inspector, check=bank_check, item="bank_shifted",
                                          description="贷款抵押登记费由企业承担", amount=Decimal("12800"), payers=16)
    services.refund_order(actor=inspector, finding=finding, amount=Decimal("12800"), on=D(2026, 5, 10))
    services.refund_confirm(actor=inspector, finding=finding, amount=Decimal("8000"), refunded_on=D(2026, 5, 20),
                            proof="转账凭证 001")
    c = login(inspector)
    page = c.get(f"/workbench/monitoring/fees/checks/{bank_check.pk}/").content.decode()
    assert 'data-testid="fee-confirm"' in page and 'data-testid="fee-fully-refunded"' not in page  # 4800 to go

    last = {"amount": "4800", "on": "2026-05-25", "proof": "转账凭证 002"}
    assert c.post(f"/workbench/monitoring/fees/findings/{finding.pk}/confirm/", last).status_code == 302
    page = c.get(f"/workbench/monitoring/fees/checks/{bank_check.pk}/").content.decode()
    assert 'data-testid="fee-fully-refunded"' in page
    assert 'data-testid="fee-confirm"' not in page and "确认清退</button>" not in page
    assert f"/fees/findings/{finding.pk}/order/" not in page  # nothing left to order either

    refunds, last_audit = FeeRefund.objects.count(), AuditEntry.objects.order_by("pk").last().pk
    assert c.post(f"/workbench/monitoring/fees/findings/{finding.pk}/confirm/", last).status_code == 302  # 2nd click
    assert "已确认清退" in c.get(f"/workbench/monitoring/fees/checks/{bank_check.pk}/").content.decode()
    with pytest.raises(Conflict, match=r"该问题已全额清退（查实1.28万元，已清退1.28万元），不能再确认清退"):
        services.refund_confirm(actor=inspector, finding=finding, amount=Decimal("0.01"), refunded_on=D(2026, 6, 1),
                                proof="转账凭证 003")
    with pytest.raises(Conflict, match="不能再责令清退"):
        services.refund_order(actor=inspector, finding=finding, amount=Decimal("12800"), on=D(2026, 6, 1))
    services.refund_order(actor=inspector, finding=finding, amount=Decimal("12800"), on=D(2026, 5, 10))  # same: no-op

    stale = c.post(f"/workbench/monitoring/fees/findings/{finding.pk}/confirm/",
                   {"amount": "100", "on": "2026-06-01", "proof": "转账凭证 004"}, follow=True)
    assert f"问题 #{finding.pk}：该问题已全额清退" in stale.content.decode()
    headers = {"Authorization": f"Bearer {api_token_create(actor=inspector, name='t')[1]}"}
    refused = client.post(f"/api/v1/monitoring/fees/findings/{finding.pk}/confirm",
                          {"amount": "100", "on": "2026-06-01", "proof": "转账凭证 005"},
                          content_type="application/json", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "fully_refunded" and "已全额清退" in refused.json()["error"]["message"]
    again = client.post(f"/api/v1/monitoring/fees/findings/{finding.pk}/confirm", last,
                        content_type="application/json", headers=headers)
    assert again.status_code == 200 and Decimal(again.json()["refunded"]) == 12800

    finding.refresh_from_db()
    assert finding.refunded == Decimal("12800") and finding.ordered_on == D(2026, 5, 10)
    assert FeeRefund.objects.count() == refunds  # nothing written by the refused or repeated calls
    assert not AuditEntry.objects.filter(action__startswith="monitoring.fee_finding", pk__gt=last_audit).exists()
