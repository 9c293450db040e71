"""明厨亮灶 / 示范店: an application reviewed against the kind's criteria (all answered; all met → approved for the
validity, else rejected naming what is unmet), a second review refused, expiry by the daily job, the public list."""

import datetime as dt

import pytest
from django.urls import reverse

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.sweep import run
from jianguan.food import services

from .factories import supervisor
from .test_grading_checklist_score_grade_and_annual import caterer

pytestmark = pytest.mark.django_db

BRIGHT = {"visible": True, "video": True, "online": True, "grade": True}


def test_review_approves_for_three_years_or_rejects_and_a_repeat_is_refused(org):
    user = supervisor()
    shop, other = caterer(), caterer(name="平顶山市乙饭店有限公司")
    d = services.designation_apply(actor=user, entity=shop, kind="bright_kitchen", applied_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationFailed) as exc:
        services.designation_apply(actor=user, entity=shop, kind="bright_kitchen", applied_on=dt.date(2026, 3, 2))
    assert "待评审" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        services.designation_review(actor=user, designation=d, met={"visible": True}, on=dt.date(2026, 3, 10))
    assert "第 2 项" in exc.value.message
    d = services.designation_review(actor=user, designation=d, met=BRIGHT, on=dt.date(2026, 3, 10))
    assert (d.status, d.valid_until) == ("approved", dt.date(2029, 3, 9))
    with pytest.raises(TransitionNotAllowed):
        services.designation_review(actor=user, designation=d, met=BRIGHT, on=dt.date(2026, 3, 11))
    r = services.designation_apply(actor=user, entity=other, kind="bright_kitchen", applied_on=dt.date(2026, 3, 1))
    r = services.designation_review(actor=user, designation=r, met=dict(BRIGHT, online=False), on=dt.date(2026, 3, 10))
    assert r.status == "rejected" and "视频接入监管平台" in r.review_note and r.valid_until is None


def test_expiry_and_the_public_list(org, client):
    user = supervisor()
    shop = caterer()
    d = services.designation_apply(actor=user, entity=shop, kind="bright_kitchen", applied_on=dt.date(2026, 3, 1))
    services.designation_review(actor=user, designation=d, met=BRIGHT, on=dt.date(2026, 3, 10))
    page = client.get(reverse("food_public:designations")).content.decode()
    assert shop.name in page and "2029-03-09" in page and shop.legal_rep not in page
    run(today=dt.date(2029, 3, 9), only="food-expiries")
    d.refresh_from_db()
    assert d.status == "approved"
    run(today=dt.date(2029, 3, 10), only="food-expiries")
    d.refresh_from_db()
    assert d.status == "expired"
    assert shop.name not in client.get(reverse("food_public:designations")).content.decode()


def test_workbench_apply_and_review_pages(org, login):
    client = login(supervisor())
    shop = caterer()
    resp = client.post(reverse("food:designations"), {"entity": shop.uscc, "kind": "demo_shop",
                                                      "applied_on": "2026-11-02"}, follow=True)
    assert "待评审" in resp.content.decode()
    d = shop.food_designations.get()
    resp = client.post(reverse("food:designation", args=[d.pk]),
                       {"c_grade_a": "yes", "c_bright": "yes", "c_manager": "yes", "c_no_case": "yes"})
    assert "第 5 项「建立并落实食品安全自查制度」未填写" in resp.content.decode()
    client.post(reverse("food:designation", args=[d.pk]), {"c_grade_a": "yes", "c_bright": "yes", "c_manager": "yes",
                                                           "c_no_case": "yes", "c_self_check": "yes"})
    d.refresh_from_db()
    assert d.status == "approved"


def test_api_applies_reviews_once_and_lists_in_scope(org, client):
    from .factories import county_clerk

    client.force_login(county_clerk())
    shop = caterer()
    body = client.post("/api/v1/food/designations", {"entity": shop.uscc, "kind": "bright_kitchen",
                                                     "applied_on": "2026-11-02"}, content_type="application/json").json()
    assert (body["status"], body["kind_label"]) == ("applied", "明厨亮灶")
    url = f"/api/v1/food/designations/{body['id']}/review"
    resp = client.post(url, {"met": {"visible": True}}, content_type="application/json")
    assert resp.status_code == 422 and "第 2 项" in resp.json()["error"]["message"]
    body = client.post(url, {"met": BRIGHT}, content_type="application/json").json()
    assert body["status"] == "approved" and body["valid_until"] and len(body["criteria"]) == 4
    assert client.post(url, {"met": BRIGHT}, content_type="application/json").status_code == 409
    assert [d["id"] for d in client.get("/api/v1/food/designations?status=approved").json()] == [body["id"]]
    client.force_login(county_clerk("sp_weidong", "410403"))
    assert client.get("/api/v1/food/designations").json() == []
    assert client.post(url, {"met": BRIGHT}, content_type="application/json").status_code == 404
