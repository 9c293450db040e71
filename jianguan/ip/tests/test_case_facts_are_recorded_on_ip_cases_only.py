import pytest

from jianguan.core.audit import AuditEntry
from jianguan.core.errors import ValidationFailed
from jianguan.enforcement.tests.factories import filed_case
from jianguan.ip import services
from jianguan.ip.models import CaseFacts

pytestmark = pytest.mark.django_db


def test_facts_are_saved_normalised_and_audited(ip_case, district_officer):
    services.case_facts_save(actor=district_officer, case=ip_case, right_kind="trademark",
                             registration_no="第4409718号", right_holder="平顶山某酒业股份有限公司", goods="白酒",
                             goods_seized_qty=120, goods_seized_unit="瓶")
    facts = CaseFacts.objects.get(case=ip_case)
    assert facts.registration_no == "4409718"
    assert facts.goods_seized_qty == 120
    assert AuditEntry.objects.filter(action="ip.case_facts.saved", object_id=str(ip_case.pk)).count() == 1
    # Saving the same facts again writes nothing (a double click).
    services.case_facts_save(actor=district_officer, case=ip_case, right_kind="trademark",
                             registration_no="4409718", right_holder="平顶山某酒业股份有限公司", goods="白酒",
                             goods_seized_qty=120, goods_seized_unit="瓶")
    assert AuditEntry.objects.filter(action="ip.case_facts.saved").count() == 1


def test_wrong_patent_number_is_refused_on_its_field(ip_case, district_officer):
    with pytest.raises(ValidationFailed) as exc:
        services.case_facts_save(actor=district_officer, case=ip_case, right_kind="patent",
                                 registration_no="ZL201080063196.5", right_holder="某公司")
    assert exc.value.field == "registration_no"
    assert not CaseFacts.objects.exists()


def test_a_food_case_cannot_carry_ip_facts(xh_officers, district_officer):
    case = filed_case(actor=district_officer, officers=xh_officers, case_type="food")
    with pytest.raises(ValidationFailed, match="不是知识产权案件"):
        services.case_facts_save(actor=district_officer, case=case, right_kind="trademark",
                                 registration_no="4409718", right_holder="某公司")


def test_form_shows_the_error_in_chinese(ip_case, district_officer, login):
    response = login(district_officer).post(f"/workbench/ip/cases/{ip_case.pk}/", {
        "right_kind": "patent", "registration_no": "ZL201080063196.5", "right_holder": "某公司",
        "goods_seized_qty": "0", "goods_seized_unit": "件"})
    assert response.status_code == 200
    assert "校验位有误" in response.content.decode()


def test_an_officer_of_another_district_gets_404(ip_case, other_district_officer, login):
    assert login(other_district_officer).get(f"/workbench/ip/cases/{ip_case.pk}/").status_code == 404


def test_the_ip_case_list_counts_sorts_and_exports_its_facts(ip_case, district_officer, login):
    from jianguan.core.tests.xlsx import rows

    services.case_facts_save(actor=district_officer, case=ip_case, right_kind="trademark",
                             registration_no="4409718", right_holder="平顶山某酒业股份有限公司", goods="白酒",
                             goods_seized_qty=120, goods_seized_unit="瓶")
    client = login(district_officer)
    body = client.get("/workbench/ip/cases/", {"sort": "-number"}).content.decode()
    assert 'data-testid="list-total">1<' in body and "办案期限最近的在前" not in body and ip_case.number in body
    assert ip_case.number not in client.get("/workbench/ip/cases/", {"q": "不存在"}).content.decode()
    got = rows(client.get("/workbench/ip/cases/", {"export": "xlsx", "q": "4409718"}))
    assert got[0][:4] == ("立案编号", "当事人", "案由", "专项行动")
    assert got[1][0] == ip_case.number and got[1][5] == "平顶山某酒业股份有限公司" and got[1][6] == "120 瓶"
    assert AuditEntry.objects.filter(action="list.exported", object_id="ip.cases").exists()
