"""一照通行: the business scope names the licences still needed; the low-risk ones the bureau lists (rule
startup.commitment_permits) are granted with the registration on the applicant's commitment, printed on the business
licence, and the licence's QR code opens a public page listing every licence the entity holds."""

import pytest
from django.utils import timezone

from jianguan.registry.models import Licence
from jianguan.startup import licence, permits, services
from jianguan.startup.models import Application

from . import factories

pytestmark = pytest.mark.django_db

TABLE = {"食品销售": "food_business", "食品销售（仅销售预包装食品）": "food_filing", "糕点制造": "food_production"}


def test_the_longest_scope_expression_wins_and_each_kind_is_named_once():
    assert permits.match_scope("糕点制造；食品销售（仅销售预包装食品）；日用百货销售", TABLE) == [
        ("糕点制造", "food_production"), ("食品销售（仅销售预包装食品）", "food_filing")]
    assert permits.match_scope("食品销售；餐具销售；食品销售", TABLE) == [("食品销售", "food_business")]
    assert permits.match_scope("日用百货销售", TABLE) == []


def test_the_scope_tells_which_licences_are_needed_and_which_go_on_commitment(org):
    needed = permits.needed("糕点制造；食品销售（仅销售预包装食品）")
    assert [(p["name"], p["by_commitment"]) for p in needed] == [("食品生产许可证", False),
                                                                  ("仅销售预包装食品备案", True)]
    assert "仅销售预包装食品" in needed[1]["commitment"]


def test_a_committed_permit_is_granted_with_the_registration_and_shown_on_the_licence(org, client):
    user = factories.applicant()
    app = factories.application(user, scope="食品销售（仅销售预包装食品）；糕点制造；日用百货销售",
                                commitment_permits=["food_filing", "food_production"])
    app = services.application_submit(actor=user, application=app)
    assert app.state == Application.State.APPROVED
    year = timezone.localdate().year
    # the food production licence is not a commitment permit: committing to it grants nothing
    held = list(Licence.objects.filter(entity=app.entity).values_list("kind_id", "number", "by_commitment", "issuer"))
    assert held == [("food_filing", f"YB410402{year}000001", True, "新华区市场监督管理局")]

    html = licence.licence_html(app.entity)
    assert f"仅销售预包装食品备案 YB410402{year}000001（告知承诺）" in html
    assert "新华区建设路18号" in html  # the district once in front of the address
    assert licence.public_record_url(app.entity) == f"http://127.0.0.1:8000/entities/{app.entity.uscc}/licences/"

    page = client.get(f"/entities/{app.entity.uscc}/licences/").content.decode()
    assert "仅销售预包装食品备案" in page and f"YB410402{year}000001" in page and "告知承诺" in page
    assert "有效许可 1 项" in page
    assert factories.id_number(1) not in page and "13900000009" not in page  # nothing personal


def test_no_commitment_no_permit_and_the_detail_page_says_what_is_still_needed(org, client):
    user = factories.applicant()
    app = factories.application(user, scope="糕点制造；食品销售（仅销售预包装食品）")
    app = services.application_submit(actor=user, application=app)
    assert not Licence.objects.filter(entity=app.entity).exists()
    client.force_login(user)
    body = client.get(f"/startup/applications/{app.pk}/").content.decode()
    assert "「糕点制造」需要<strong>食品生产许可证</strong>" in body
