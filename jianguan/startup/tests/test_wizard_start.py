"""Starting an application: 新的设立登记 reopens the open draft; the name check ends with 用此名称申报; the industry
list holds only industries a market entity can register in; shareholder blocks come on demand; the review step
offers the commitment permits the scope needs."""

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.startup import forms, services
from jianguan.startup.models import Application

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_user(client, org):
    factories.industry("51")
    user = factories.applicant()
    client.force_login(user)
    return client, user


def test_a_second_new_application_reopens_the_open_draft(client_user):
    client, user = client_user
    first = client.post("/startup/applications/new/")
    second = client.post("/startup/applications/new/")
    app = Application.objects.get(applicant=user)
    assert first.url == second.url == f"/startup/applications/{app.pk}/step/name/"
    assert "已为您打开" in client.get(second.url).content.decode()
    services.application_submit(actor=user, application=factories.application(user, trade="松柏"))
    assert Application.objects.filter(applicant=user).count() == 2  # a submitted one is not reopened


def test_the_name_check_ends_with_declaring_that_name(client_user):
    client, user = client_user
    body = client.get("/startup/name-check/", {"name": "平顶山市青松商贸有限公司", "division": "410402",
                                                "industry": "51"}).content.decode()
    assert "用此名称申报" in body and 'value="平顶山市青松商贸有限公司"' in body
    client.post("/startup/applications/new/", {"name": "平顶山市青松商贸有限公司", "division": "410402",
                                               "industry": "51"})
    app = Application.objects.get(applicant=user)
    assert (app.name_division, app.name_trade, app.name_industry, app.name_form) == ("平顶山市", "青松", "商贸",
                                                                                     "有限公司")
    assert (app.division_id, app.industry_id) == ("410402", "51")
    # the same button on another name puts that name into the open draft
    client.post("/startup/applications/new/", {"name": "平顶山市松柏商贸有限公司"})
    assert Application.objects.get(applicant=user).name == "平顶山市松柏商贸有限公司"


def test_only_industries_of_market_entities_are_offered(client_user):
    _client, user = client_user
    codes = set(forms.industries().values_list("code", flat=True))
    assert {"51", "52", "90"} <= codes  # 90 娱乐业 (section R) is a market activity
    assert not codes & {"91", "92", "93", "94", "95", "96", "97"}  # 党政机关、群众团体、国际组织
    app = factories.application(user)
    with pytest.raises(ValidationFailed, match="不属于市场主体登记范围"):
        services.application_update(actor=user, application=app, industry_id="92")


def test_one_shareholder_block_to_start_and_more_on_demand(client_user):
    client, user = client_user
    app = factories.application(user, shares=())
    body = client.get(f"/startup/applications/{app.pk}/step/people/").content.decode()
    assert 'name="sh-TOTAL_FORMS" value="1"' in body
    assert 'id="add-shareholder"' in body and 'name="sh-__prefix__-name"' in body
    assert "startup/shareholders.js" in body


def test_the_review_step_offers_the_commitment_permit_and_keeps_the_choice(client_user):
    client, user = client_user
    app = factories.application(user, scope="食品销售（仅销售预包装食品）；糕点制造")
    review = client.get(f"/startup/applications/{app.pk}/step/review/").content.decode()
    assert "食品生产许可证" in review and 'name="commitment_permits" value="food_filing"' in review
    assert 'value="food_production"' not in review  # not a commitment permit: told, not offered
    client.post(f"/startup/applications/{app.pk}/step/review/",
                {"companion_codes": ["seal"], "commitment_permits": ["food_filing"]})
    app.refresh_from_db()
    assert app.state == Application.State.APPROVED and app.commitment_permits == ["food_filing"]
    assert app.entity.licences.get().kind_id == "food_filing"
