"""The workbench and API of drug supervision: the drug supervisor (yp_) sees the home card and the registers, creates
a campaign (its tagged plan), reviews a report on its page and through the API; another district sees nothing of it;
a food supervisor has no drug permission; list pages keep their query count."""

import datetime as dt

import pytest

from jianguan.core.models import OrgUnit
from jianguan.core.services import api_token_create
from jianguan.core.tests.factories import staff
from jianguan.drugs.models import Campaign, EventStatus
from jianguan.registry.tests.factories import EntityFactory

from .factories import event, pharmacy, supervisor

pytestmark = pytest.mark.django_db


def test_supervisor_sees_the_card_and_creates_a_campaign(org, login):
    actor = supervisor()
    event(actor=actor)
    client = login(actor)
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="drugs-card"' in home and "待审核评价的不良反应/事件报告 1 份" in home
    city = OrgUnit.objects.get(code="410400")
    resp = client.post("/workbench/drugs/campaigns/", {"kind": "tcm", "year": "2026", "unit": city.pk, "title": ""})
    campaign = Campaign.objects.get()
    assert resp.status_code == 302 and resp.url == f"/workbench/inspections/plans/{campaign.plan.code}/"
    assert campaign.plan.title == "2026年中药饮片专项检查"
    assert list(campaign.plan.items.values_list("code", flat=True)) == ["YP-ZX-02"]
    page = client.get("/workbench/drugs/campaigns/").content.decode()
    assert campaign.plan.code in page and "5 项（YP-ZX-02）" in page
    client.post("/workbench/drugs/campaigns/", {"kind": "tcm", "year": "2026", "unit": city.pk})
    assert Campaign.objects.count() == 1  # a second click joins the first


def test_district_reviews_a_report_on_its_page(org, login):
    e = event(actor=supervisor(), reporter=EntityFactory(unit=OrgUnit.objects.get(code="41040201")))
    xh = staff("yp_xh", "410402", ["drug_supervisor"], name="新华区药品监管员")
    client = login(xh)
    page = client.get(f"/workbench/drugs/event/{e.pk}/").content.decode()
    assert "2026年9月30日" in page and "新华区" in page
    client.post(f"/workbench/drugs/event/{e.pk}/", {"assessment": "可能有关，已上报"})
    e.refresh_from_db()
    assert e.status == EventStatus.ASSESSED
    other = staff("yp_wd", "410403", ["drug_supervisor"], name="卫东区药品监管员")
    assert login(other).get(f"/workbench/drugs/event/{e.pk}/").status_code == 404


def test_food_supervisor_has_no_drug_permission(org, login):
    food = staff("sp_x", "410400SP", ["food_supervisor"], name="食品监管员")
    client = login(food)
    assert client.get("/workbench/drugs/objects/").status_code == 403
    assert client.get("/workbench/drugs/campaigns/").status_code == 403
    assert 'data-testid="drugs-card"' not in client.get("/workbench/").content.decode()


def test_api_reviews_and_imports_through_the_register(org, client):
    actor = supervisor()
    e = event(actor=actor)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=actor, name='t')[1]}"}
    clock = client.get(f"/api/v1/drugs/events/{e.pk}/clock", **auth).json()
    assert clock["review_due"] == "2026-09-30" and clock["unit"] == "410402"
    done = client.post(f"/api/v1/drugs/events/{e.pk}/assess", {"assessment": "有关"},
                       content_type="application/json", **auth)
    assert done.status_code == 200 and done.json()["status"] == "assessed"
    firm, licence = pharmacy()
    created = client.post("/api/v1/drugs/objects", {"entity": firm.uscc, "kind": "零售药店", "licence": licence.number},
                          content_type="application/json", **auth)
    assert created.status_code in (200, 201), created.content
    refused = client.post("/api/v1/drugs/objects", {"entity": firm.uscc, "kind": "零售药店", "licence": "豫DB0"},
                          content_type="application/json", **auth)
    assert refused.status_code == 422 and "豫DB0" in refused.json()["error"]["message"]


def test_register_lists_keep_their_query_count(org, login, django_assert_max_num_queries):
    actor = supervisor()
    for _ in range(5):
        event(actor=actor, received_on=dt.date(2026, 10, 9))
    client = login(actor)
    with django_assert_max_num_queries(16):
        page = client.get("/workbench/drugs/events/")
    assert page.status_code == 200 and len(page.context["rows"]) == 5
    with django_assert_max_num_queries(16):
        assert client.get("/workbench/drugs/campaigns/").status_code == 200
