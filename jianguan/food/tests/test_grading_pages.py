"""The grading form: an incomplete checklist is refused on the page naming the item (nothing written), a complete
one is graded; the list is scoped and its query count does not grow with rows; a viewer may not grade."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jianguan.food import services
from jianguan.food.models import GradingInspection

from .factories import county_clerk, supervisor
from .test_grading_checklist_score_grade_and_annual import ALL_YES, caterer

pytestmark = pytest.mark.django_db


def _post(shop, answers):
    data = {"entity": shop.uscc, "inspected_on": "2026-11-02", "note": ""}
    data.update({f"item_{k}": "yes" if v else "no" for k, v in answers.items()})
    return data


def test_form_refuses_an_incomplete_checklist_then_grades(org, login):
    client = login(supervisor())
    shop = caterer()
    answers = dict(ALL_YES)
    del answers["pests"]
    resp = client.post(reverse("food:grading_new"), _post(shop, answers))
    assert resp.status_code == 200 and "第 9 项「虫害防控和环境卫生」未填写" in resp.content.decode()
    assert not GradingInspection.objects.exists()
    resp = client.post(reverse("food:grading_new"), _post(shop, dict(ALL_YES, licence=False)), follow=True)
    insp = GradingInspection.objects.get()
    assert (insp.score, insp.grade) == (95, "excellent")
    assert "优秀" in resp.content.decode() and "门户公示页" in resp.content.decode()


def test_list_is_scoped_without_n_plus_one_and_viewers_cannot_grade(org, login):
    city = supervisor()
    xinhua = caterer()
    from jianguan.core.models import OrgUnit

    weidong = caterer(name="卫东区某饭店有限公司", unit=OrgUnit.objects.get(code="41040301"))
    services.grading_record(actor=city, entity=weidong, inspected_on=dt.date(2026, 11, 2), answers=ALL_YES)
    client = login(county_clerk())
    services.grading_record(actor=city, entity=xinhua, inspected_on=dt.date(2026, 11, 2), answers=ALL_YES)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("food:gradings"))
    for day in (3, 4, 5):
        services.grading_record(actor=city, entity=xinhua, inspected_on=dt.date(2026, 11, day), answers=ALL_YES)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("food:gradings")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert xinhua.name in page and weidong.name not in page
    other = GradingInspection.objects.get(entity=weidong)
    assert client.get(reverse("food:grading", args=[other.pk])).status_code == 404
    from django.contrib.auth.models import Group

    head = county_clerk("sp_head")
    head.groups.set([Group.objects.get(name="department_head")])
    viewer = login(head)
    assert viewer.get(reverse("food:gradings")).status_code == 200
    assert viewer.get(reverse("food:grading_new")).status_code == 403


def test_api_grades_refuses_an_incomplete_checklist_and_lists_in_scope(org, client):
    city = supervisor()
    shop = caterer()
    client.force_login(city)
    answers = dict(ALL_YES)
    del answers["sample"]
    resp = client.post("/api/v1/food/gradings", {"entity": shop.uscc, "inspected_on": "2026-11-02",
                                                  "answers": answers}, content_type="application/json")
    assert resp.status_code == 422 and "第 8 项「食品留样」未填写" in resp.json()["error"]["message"]
    assert not GradingInspection.objects.exists()
    resp = client.post("/api/v1/food/gradings", {"entity": shop.uscc, "inspected_on": "2026-11-02",
                                                  "answers": dict(ALL_YES, health=False)},
                       content_type="application/json")
    body = resp.json()
    assert resp.status_code == 200 and (body["grade"], body["score"], body["grade_label"]) == ("fair", "90.0", "一般")
    client.force_login(county_clerk("sp_weidong", "410403"))
    assert client.get("/api/v1/food/gradings").json() == []


def test_the_grading_list_counts_sorts_and_exports_the_filtered_rows(org, login):
    from jianguan.core.models import AuditEntry
    from jianguan.core.tests.xlsx import rows

    city = supervisor()
    first = caterer()
    second = caterer(name="平顶山市鹰城烩面馆有限公司")
    services.grading_record(actor=city, entity=first, inspected_on=dt.date(2026, 11, 2), answers=ALL_YES)
    services.grading_record(actor=city, entity=second, inspected_on=dt.date(2026, 11, 3),
                            answers=dict(ALL_YES, licence=False))
    client = login(county_clerk())
    body = client.get(reverse("food:gradings")).content.decode()
    assert 'data-testid="list-total">2<' in body and body.index(second.name) < body.index(first.name)
    body = client.get(reverse("food:gradings"), {"sort": "inspected_on"}).content.decode()
    assert body.index(first.name) < body.index(second.name)
    got = rows(client.get(reverse("food:gradings"), {"export": "xlsx", "q": "鹰城"}))
    assert got[0] == ("检查日期", "餐饮单位", "统一社会信用代码", "动态等级", "得分", "检查人员")
    assert [r[2] for r in got[1:]] == [second.uscc]
    assert AuditEntry.objects.filter(action="list.exported", object_id="food.gradings").exists()
