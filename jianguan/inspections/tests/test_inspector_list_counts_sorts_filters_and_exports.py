"""The inspector list (检查人员名录库, #15: every list on core.lists): the total, by unit and staff number, sorting on
its columns, the filter of who is never drawn (credential expired or missing) and a search, the export of exactly the
filtered rows with whether each may be drawn and why not, audited; queries that do not grow with the inspectors."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows
from jianguan.inspections import services

from . import factories

pytestmark = pytest.mark.django_db
URL = "/workbench/inspections/inspectors/"


def codes(body: str, wanted) -> list[str]:
    return sorted((c for c in wanted if f">{c}<" in body), key=lambda c: body.index(f">{c}<"))


def test_the_inspector_list_counts_sorts_filters_and_exports(xh, login):
    factories.inspector("insp_old", credential="expired", name="过期检查员")
    factories.inspector("insp_none", credential=False, name="无证人员")
    services.conflict_declare(actor=xh["a"], entity=xh["entities"][0], reason="近亲属在该企业任职")
    everyone = ["I-insp_a", "I-insp_b", "I-insp_none", "I-insp_old"]
    client = login(xh["head"])
    body = client.get(URL).content.decode()
    assert 'data-testid="list-total">4<' in body and "按单位和工号" in body
    assert codes(body, everyone) == everyone
    assert codes(client.get(URL, {"sort": "-staff_code"}).content.decode(), everyone) == everyone[::-1]
    assert 'data-testid="list-problem"' in client.get(URL, {"sort": "password"}).content.decode()
    invalid = client.get(URL, {"state": "invalid"}).content.decode()
    assert codes(invalid, everyone) == ["I-insp_none", "I-insp_old"] and "执法证已过期" in invalid
    assert codes(client.get(URL, {"state": "valid"}).content.decode(), everyone) == ["I-insp_a", "I-insp_b"]
    assert codes(client.get(URL, {"q": "过期"}).content.decode(), everyone) == ["I-insp_old"]
    got = rows(client.get(URL, {"export": "xlsx", "sort": "-conflicts"}))
    assert got[0] == ("工号", "姓名", "单位", "执法证号", "有效期至", "专业领域", "回避声明", "可否抽取")
    assert got[1][0] == "I-insp_a" and got[1][6] == 1 and got[1][7] == "可抽取"
    by_code = {r[0]: r for r in got[1:]}
    assert by_code["I-insp_none"][7] == "不参加抽取：无行政执法证"
    assert AuditEntry.objects.filter(action="list.exported", object_id="inspections.inspectors").exists()


def test_the_queries_do_not_grow_with_the_inspectors(xh, login, django_assert_max_num_queries):
    client = login(xh["head"])
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for n in range(6):
        factories.inspector(f"insp_more{n}", name=f"检查员{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">8<' in client.get(URL).content.decode()


def test_the_demo_inspectors_specialties_are_words_not_role_codes():
    from jianguan.core.demo import SPECIALTIES
    from jianguan.core.roles import ROLES

    sector_roles = {r.code for r in ROLES if r.code.endswith("supervisor")}
    assert sector_roles <= set(SPECIALTIES) and all(not v.isascii() for v in SPECIALTIES.values())
