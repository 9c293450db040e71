"""The applicant fills the wizard step by step over HTTP, submits a clean application and downloads the licence."""

import pytest

from jianguan.startup.models import Application

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_user(client, org):
    factories.industry("51")
    user = factories.applicant()
    client.force_login(user)
    return client, user


def test_wizard_end_to_end(client_user):
    client, user = client_user
    r = client.post("/startup/applications/new/")
    app = Application.objects.get(applicant=user)
    assert r.url == f"/startup/applications/{app.pk}/step/name/"
    assert client.get(r.url).status_code == 200
    base = f"/startup/applications/{app.pk}/step"
    r = client.post(
        f"{base}/name/",
        {
            "name_division": "平顶山市",
            "name_trade": "青松",
            "name_industry": "商贸",
            "name_form": "有限公司",
            "entity_kind": "llc",
            "next": "1",
        },
    )
    assert r.status_code == 302, r.content.decode()
    r = client.post(
        f"{base}/basics/",
        {
            "division": "410402",
            "address": "建设路18号",
            "registered_capital": "100",
            "industry": "51",
            "business_scope": "日用百货销售",
            "next": "1",
        },
    )
    assert r.status_code == 302, r.content.decode()
    people = {
        "legal_rep_name": "王法人",
        "legal_rep_id_no": factories.id_number(1),
        "legal_rep_phone": "13900000009",
        "sh-TOTAL_FORMS": "2",
        "sh-INITIAL_FORMS": "0",
        "sh-MIN_NUM_FORMS": "1",
        "sh-MAX_NUM_FORMS": "50",
        "sh-0-name": "王法人",
        "sh-0-kind": "person",
        "sh-0-id_no": factories.id_number(1),
        "sh-0-subscribed_capital": "100",
        "sh-0-share_pct": "100",
        "sh-0-contribution_date": "2030-12-31",
        "sh-1-kind": "person",
        "next": "1",
    }
    r = client.post(f"{base}/people/", people)
    assert r.status_code == 302, r.content.decode()
    review = client.get(f"{base}/review/").content.decode()
    assert "平顶山市青松商贸有限公司" in review and "可以申报" in review
    r = client.post(f"{base}/review/", {"companion_codes": ["seal", "tax", "bank"]})
    app.refresh_from_db()
    assert r.url == f"/startup/applications/{app.pk}/"
    assert app.state == Application.State.APPROVED
    assert set(app.companion_items.values_list("code", flat=True)) == {"seal", "tax", "bank"}
    assert client.get(f"/startup/applications/{app.pk}/licence.pdf").content.startswith(b"%PDF-")


def test_shares_not_summing_to_100_are_refused_in_the_wizard(client_user):
    client, user = client_user
    app = factories.application(user, shares=())
    people = {
        "legal_rep_name": "王法人",
        "legal_rep_id_no": factories.id_number(1),
        "legal_rep_phone": "13900000009",
        "sh-TOTAL_FORMS": "1",
        "sh-INITIAL_FORMS": "0",
        "sh-MIN_NUM_FORMS": "1",
        "sh-MAX_NUM_FORMS": "50",
        "sh-0-name": "王法人",
        "sh-0-kind": "person",
        "sh-0-id_no": factories.id_number(1),
        "sh-0-subscribed_capital": "100",
        "sh-0-share_pct": "80",
        "sh-0-contribution_date": "2030-12-31",
    }
    r = client.post(f"/startup/applications/{app.pk}/step/people/", people)
    assert r.status_code == 200 and "出资比例合计为 80%，应为 100%" in r.content.decode()
    assert not app.shareholders.exists()


def test_live_name_check_in_the_wizard(client_user):
    client, user = client_user
    factories.entity("平顶山市鹰城商贸有限公司", division="410402", industry_code="51")
    app = factories.application(user, trade="白鹭")
    r = client.get(
        "/startup/name-check/results/",
        {
            "application": app.pk,
            "name_division": "平顶山市",
            "name_trade": "鹰城",
            "name_industry": "商贸",
            "name_form": "有限公司",
            "entity_kind": "llc",
        },
    )
    assert "与『平顶山市鹰城商贸有限公司』近似：字号相同" in r.content.decode()


def test_anonymous_is_sent_to_the_portal_login(client, org):
    r = client.get("/startup/applications/")
    assert r.status_code == 302 and r.url.startswith("/account/login/")


def test_staff_cannot_use_the_applicant_side(login, org):
    client = login(factories.registrar("xh_reg", "410402"))
    assert client.post("/startup/applications/new/").status_code == 302
    assert not Application.objects.exists()
