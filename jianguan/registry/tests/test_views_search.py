"""The entity list finds by code (exact, normalised), name fragment, legal representative and address, and filters
by unit, status, kind and industry."""

import pytest

from jianguan.core.models import OrgUnit
from jianguan.registry.models import EntityKind, EntityStatus

from .factories import EntityFactory, IndustryFactory, catering

pytestmark = pytest.mark.django_db


@pytest.fixture
def entities(org):
    return {
        "yingcheng": EntityFactory(name="平顶山鹰城百货有限公司", legal_rep="王建国", address="新华区建设路10号"),
        "xiangyun": EntityFactory(
            name="新华区祥云饭店",
            kind=EntityKind.INDIVIDUAL,
            legal_rep="李红梅",
            address="新华区中兴路8号",
            industry=catering(),
        ),
        "closed": EntityFactory(
            name="平顶山老鹰城商行有限公司",
            legal_rep="王建华",
            address="焦店镇人民路3号",
            status=EntityStatus.DEREGISTERED,
            unit=OrgUnit.objects.get(code="41040202"),
        ),
    }


def names(client, query: str) -> set[str]:
    r = client.get(f"/workbench/registry/{query}")
    assert r.status_code == 200
    return {e.name for e in r.context["page"].items}


@pytest.fixture
def client_(login, district_officer):
    return login(district_officer)


def test_code_is_an_exact_lookup(client_, entities):
    code = entities["yingcheng"].uscc
    assert names(client_, f"?q={code}") == {"平顶山鹰城百货有限公司"}


def test_code_is_normalised_lower_case_and_full_width(client_, entities):
    code = entities["yingcheng"].uscc
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert names(client_, f"?q={code.lower()}") == {"平顶山鹰城百货有限公司"}
    assert names(client_, f"?q=%20{full_width}%20") == {"平顶山鹰城百货有限公司"}


def test_code_is_recognised_whatever_field_is_chosen(client_, entities):
    assert names(client_, f"?q={entities['xiangyun'].uscc}&field=address") == {"新华区祥云饭店"}


def test_name_fragment_in_chinese(client_, entities):
    assert names(client_, "?q=鹰城") == {"平顶山鹰城百货有限公司", "平顶山老鹰城商行有限公司"}
    assert names(client_, "?q=祥云&field=name") == {"新华区祥云饭店"}


def test_legal_rep_exact_and_prefix(client_, entities):
    assert names(client_, "?q=王建国&field=legal_rep") == {"平顶山鹰城百货有限公司"}
    assert names(client_, "?q=王建&field=legal_rep") == {"平顶山鹰城百货有限公司", "平顶山老鹰城商行有限公司"}
    assert names(client_, "?q=建国&field=legal_rep") == set()  # not a prefix


def test_address_fragment(client_, entities):
    assert names(client_, "?q=中兴路&field=address") == {"新华区祥云饭店"}


def test_the_chosen_field_only_is_searched(client_, entities):
    assert names(client_, "?q=建设路&field=name") == set()


def test_filters(client_, entities):
    assert names(client_, "?status=deregistered") == {"平顶山老鹰城商行有限公司"}
    assert names(client_, "?kind=individual") == {"新华区祥云饭店"}
    assert names(client_, "?unit=41040202") == {"平顶山老鹰城商行有限公司"}
    assert names(client_, "?unit=410402") == {e.name for e in entities.values()}  # a district includes its stations
    assert names(client_, "?q=鹰城&status=active") == {"平顶山鹰城百货有限公司"}


def test_industry_section_includes_its_divisions(client_, entities):
    assert names(client_, "?industry=62") == {"新华区祥云饭店"}
    assert names(client_, "?industry=H") == {"新华区祥云饭店"}
    assert names(client_, "?industry=F") == {"平顶山鹰城百货有限公司", "平顶山老鹰城商行有限公司"}


def test_unit_filter_offers_only_units_in_scope(client_, entities):
    choices = dict(client_.get("/workbench/registry/").context["form"].fields["unit"].choices)
    assert "41040201" in choices and "410402" in choices
    assert "410403" not in choices and "41040301" not in choices


def test_results_show_the_columns_and_a_flag_for_a_code_to_review(client_, org):
    IndustryFactory()
    EntityFactory(
        name="存量问题代码商店",
        uscc="91350203M0001QAY9B",
        uscc_problem="第18位校验码应为『X』，实为『B』",
        kind=EntityKind.INDIVIDUAL,
        legal_rep="赵经营",
    )
    body = client_.get("/workbench/registry/?q=问题代码").content.decode()
    assert "91350203M0001QAY9B" in body and "个体工商户" in body and "赵经营" in body  # operator in full for staff
    assert "代码待复核" in body and 'title="第18位校验码应为『X』，实为『B』"' in body
    assert "存续（在业）" in body and "2020-05-01" in body and "西高皇所" in body


def test_nothing_found_says_so(client_, entities):
    assert "没有符合条件的市场主体" in client_.get("/workbench/registry/?q=不存在的名称").content.decode()


def test_a_bad_filter_value_is_ignored_not_an_error(client_, entities):
    r = client_.get("/workbench/registry/?status=bogus&after=abc")
    assert r.status_code == 200


def test_a_bad_filter_does_not_drop_the_search_text(client_, entities):
    assert names(client_, "?q=祥云&status=bogus") == {"新华区祥云饭店"}
