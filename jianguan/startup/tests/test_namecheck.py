"""Name check: structure, forbidden and restricted words, similarity within division and industry, explanations."""

import pytest

from jianguan.startup import namecheck
from jianguan.startup.namecheck import NameParts, parse_name

from . import factories


def test_parse_splits_the_four_parts():
    assert parse_name("平顶山市鹰城商贸有限公司") == NameParts("平顶山市", "鹰城", "商贸", "有限公司")
    assert parse_name("平顶山市新华区青松网络科技有限公司") == NameParts(
        "平顶山市新华区", "青松", "网络科技", "有限公司"
    )
    assert parse_name("叶县昆阳食品股份有限公司") == NameParts("叶县", "昆阳", "食品", "股份有限公司")


def test_missing_form_is_a_structure_problem():
    problems = namecheck.structure_problems(parse_name("平顶山市鹰城商贸"))
    assert "缺少组织形式（如“有限公司”）" in problems


def test_missing_division_and_latin_trade_name_are_problems():
    problems = namecheck.structure_problems(NameParts("", "AB", "商贸", "有限公司"))
    assert any("缺少行政区划" in p for p in problems)
    assert any("规范汉字" in p for p in problems)


def test_form_must_suit_the_entity_kind():
    problems = namecheck.structure_problems(parse_name("平顶山市鹰城商贸股份有限公司"), entity_kind="llc")
    assert any("与企业类型不符" in p for p in problems)


def test_forbidden_and_restricted_words_are_explained():
    rules = [("中国", "forbidden", "须经国务院批准"), ("银行", "restricted", "须经金融监管部门批准")]
    forbidden, restricted = namecheck.word_problems("平顶山市中国鹰城银行有限公司", rules)
    assert forbidden == ["含有禁用字词「中国」：须经国务院批准"]
    assert restricted == ["含有限用字词「银行」：须经金融监管部门批准"]


def test_one_character_difference_is_detected():
    assert namecheck.within_one_edit("鹰城", "鹰域")
    assert namecheck.within_one_edit("鹰城", "鹰城天")
    assert not namecheck.within_one_edit("鹰城", "鹰城")
    assert not namecheck.within_one_edit("鹰城", "天地")


def test_candidate_fragments_cover_every_one_character_variant():
    for trade, variant in [("鹰城天", "鹰地天"), ("鹰城天", "鹰城地"), ("鹰城", "鹰域"), ("鹰城天", "鹰城")]:
        assert any(f in variant for f in namecheck.candidate_fragments(trade)), (trade, variant)


@pytest.mark.django_db
def test_forbidden_word_from_the_data_migration_fails_the_check(org):
    result = namecheck.check_name(
        parse_name("平顶山市中华商贸有限公司"), entity_kind="llc", division_code="410402", industry_code=None
    )
    assert not result.clean
    assert any("禁用字词「中华」" in p for p in result.problems)


@pytest.mark.django_db
def test_same_trade_name_in_same_division_and_industry_is_similar_with_explanation(org):
    factories.entity("平顶山市鹰城商贸有限公司", division="410402", industry_code="51")
    result = namecheck.check_name(
        parse_name("平顶山市鹰城贸易有限公司"), entity_kind="llc", division_code="410402", industry_code="51"
    )
    assert [h.explanation for h in result.similar] == ["与『平顶山市鹰城商贸有限公司』近似：字号相同"]


@pytest.mark.django_db
def test_trade_name_one_character_apart_is_similar(org):
    factories.entity("新华区鹰域商贸有限公司", division="410402", industry_code="51")
    result = namecheck.check_name(
        parse_name("新华区鹰城商贸有限公司"), entity_kind="llc", division_code="410402", industry_code="51"
    )
    assert [h.explanation for h in result.similar] == ["与『新华区鹰域商贸有限公司』近似：字号仅差一字"]


@pytest.mark.django_db
def test_same_trade_name_in_another_division_is_fine(org):
    factories.entity("卫东区鹰城商贸有限公司", division="410403", industry_code="51")
    result = namecheck.check_name(
        parse_name("新华区鹰城商贸有限公司"), entity_kind="llc", division_code="410402", industry_code="51"
    )
    assert result.similar == []
    assert result.clean


@pytest.mark.django_db
def test_same_trade_name_in_another_industry_or_deregistered_is_fine(org):
    factories.entity("新华区鹰城科技有限公司", division="410402", industry_code="65")
    factories.entity("新华区鹰城商贸有限公司", division="410402", industry_code="51", status="deregistered")
    result = namecheck.check_name(
        parse_name("新华区鹰城商贸有限公司"), entity_kind="llc", division_code="410402", industry_code="51"
    )
    assert result.similar == []


@pytest.mark.django_db
def test_city_level_name_is_checked_across_the_city(org):
    factories.entity("平顶山市鹰城商贸有限公司", division="410403", industry_code="51")
    result = namecheck.check_name(
        parse_name("平顶山市鹰城商贸有限公司"), entity_kind="llc", division_code="410402", industry_code="51"
    )
    assert result.similar and result.similar[0].reason == "字号相同"


@pytest.mark.django_db
def test_similarity_lookup_is_a_bounded_number_of_queries(org, django_assert_max_num_queries):
    for i in range(30):
        factories.entity(f"新华区鹰城{chr(0x4E00 + i)}商贸有限公司", division="410402", industry_code="51")
    with django_assert_max_num_queries(2):
        namecheck.find_similar(parts=parse_name("新华区鹰城商贸有限公司"), division_code="410402", industry_code="51")


@pytest.mark.django_db
def test_public_name_check_page_shows_the_explanation(client, org):
    factories.entity("平顶山市鹰城商贸有限公司", division="410402", industry_code="51")
    r = client.get(
        "/startup/name-check/results/", {"name": "平顶山市鹰城贸易有限公司", "division": "410402", "industry": "51"}
    )
    assert r.status_code == 200
    assert "与『平顶山市鹰城商贸有限公司』近似：字号相同" in r.content.decode()
    page = client.get("/startup/name-check/", {"name": "平顶山市青松商贸有限公司", "industry": "51"})
    assert "可以申报" in page.content.decode()


@pytest.mark.django_db
def test_public_name_check_api_needs_no_token(client, org):
    r = client.get("/api/v1/startup/name-check", {"name": "平顶山市中国商贸有限公司"})
    assert r.status_code == 200
    body = r.json()
    assert body["trade"] == "中国" and not body["clean"]
