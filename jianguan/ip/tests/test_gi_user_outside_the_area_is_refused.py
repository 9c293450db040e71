import datetime as dt

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.ip import services
from jianguan.ip.models import GIUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def hongniu(ip_officer):
    return services.gi_product_create(actor=ip_officer, name="郏县红牛", kind="product", registration_no="2011年第1号",
                                      holder="郏县人民政府", area=["410425"], approved_on=dt.date(2011, 5, 1))


def test_enterprise_inside_the_area_is_registered(hongniu, ip_officer, entity_in):
    inside = entity_in("410425")
    services.gi_user_create(actor=ip_officer, product=hongniu, entity=inside, approved_on=dt.date(2026, 3, 1))
    assert GIUser.objects.get().unit.code == "410425"


def test_enterprise_outside_the_area_is_refused_naming_both(hongniu, ip_officer, entity_in):
    outside = entity_in("410421")
    with pytest.raises(ValidationFailed, match="不在“郏县红牛”的产地范围内") as exc:
        services.gi_user_create(actor=ip_officer, product=hongniu, entity=outside, approved_on=dt.date(2026, 3, 1))
    assert exc.value.field == "entity"
    assert not GIUser.objects.exists()


def test_city_wide_area_covers_every_county(ip_officer, entity_in):
    product = services.gi_product_create(actor=ip_officer, name="平顶山某特产", kind="collective_mark",
                                         registration_no="12345678", holder="某协会", area=["410400"],
                                         approved_on=dt.date(2020, 1, 1))
    assert services.in_area("410482", product.area)
    assert not services.in_area("410101", product.area)


def test_unknown_division_code_in_the_area_is_refused(ip_officer):
    with pytest.raises(ValidationFailed, match="999999"):
        services.gi_product_create(actor=ip_officer, name="某地标", kind="product", registration_no="1",
                                   holder="某", area=["999999"], approved_on=dt.date(2020, 1, 1))


def test_same_user_twice_is_refused(hongniu, ip_officer, entity_in):
    inside = entity_in("410425")
    services.gi_user_create(actor=ip_officer, product=hongniu, entity=inside, approved_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationFailed, match="已是"):
        services.gi_user_create(actor=ip_officer, product=hongniu, entity=inside, approved_on=dt.date(2026, 4, 1))


def test_entry_form_shows_the_refusal_on_the_user_field(hongniu, ip_officer, entity_in, login):
    outside = entity_in("410421")
    response = login(ip_officer).post("/workbench/ip/gi_users/new/", {
        "product": "郏县红牛", "entity": outside.uscc, "approved_on": "2026-03-01"})
    assert response.status_code == 200
    assert "不在“郏县红牛”的产地范围内" in response.content.decode()
    assert not GIUser.objects.exists()
