"""Routing: the supervising unit of a registered business; else the district bureau of the division given; else
the city bureau's consumer-protection department."""

import pytest

from jianguan.complaints import services

from .factories import business, complaint

pytestmark = pytest.mark.django_db


def test_a_registered_business_goes_to_its_supervising_station(org):
    c, _ = complaint(entity=business("41040302"))
    assert c.unit.code == "41040302"
    assert c.division_id == "410403"


def test_an_unknown_business_is_routed_by_division_to_the_district_bureau(org):
    c, _ = complaint(entity_name="湛河区路边摊", division_code="410411")
    assert c.entity is None
    assert c.unit.code == "410411"
    assert c.entity_name == "湛河区路边摊"


def test_an_unknown_business_without_division_goes_to_the_consumer_department(org):
    c, _ = complaint(entity_name="不知道在哪的网店", division_code="")
    assert c.unit.code == "410400XB"


def test_the_business_is_found_by_code_or_exact_name(org):
    shop = business(name="平顶山市焦店超市有限公司")
    assert services.find_entity(uscc=shop.uscc.lower()) == shop
    assert services.find_entity(name="平顶山市焦店超市有限公司") == shop
    assert services.find_entity(name="焦店超市") is None
