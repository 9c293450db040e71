"""不合格食品核查处置 and 食品召回: a served failed food sample gets its disposal from the daily job (90 days,
食品安全抽样检验管理办法), a food complaint opens one by hand; a recall's start (hours by level) and completion
(working days from the announcement, 食品召回管理办法) are computed; a late recall becomes one lead; closing needs
every required measure and the recall done; what is closed or announced is public, the complainant never."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianguan.complaints.tests.factories import complaint
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit
from jianguan.core.sweep import run
from jianguan.enforcement.models import Lead
from jianguan.food import services
from jianguan.food.models import Disposal
from jianguan.sampling import services as sampling
from jianguan.sampling.tests.factories import TODAY, at_lab, drawn_plan, values
from jianguan.sampling.tests.factories import supervisor as quality_supervisor

from .factories import county_clerk, supervisor

pytestmark = pytest.mark.django_db
REQUIRED = ("seal", "suspend", "notify", "cause", "report")


def _local(*args):
    return timezone.make_aware(dt.datetime(*args))


def _failed_food_sample(user, served_on=dt.date(2026, 9, 24)):
    plan = drawn_plan(user, sector="food", code="SPCJ-F-9")
    first = plan.samples.filter(unit__code__startswith="410402").order_by("id").first()  # 新华区, on every database
    sample = sampling.result_record(actor=user, sample=at_lab(user, first),
                                    values=values(plan.standard, 过滤效率=("80", "%")), lab="中心", report_no="R-1",
                                    tested_on=dt.date(2026, 9, 20), today=TODAY)
    return sampling.result_served(actor=user, sample=sample, served_on=served_on, today=TODAY)


def test_a_served_failed_food_sample_gets_its_disposal_and_the_recall_clocks_run(org, client):
    user = quality_supervisor()
    sample = _failed_food_sample(user)
    run(today=TODAY, only="food-disposals")
    run(today=TODAY, only="food-disposals")  # idempotent
    d = Disposal.objects.get()
    assert (d.source, d.sample_id, d.opened_on, d.product, d.batch_no) == ("sample", sample.pk, dt.date(2026, 9, 24),
                                                                          "KN95 口罩", "20260801")
    assert "过滤效率" in d.problem and "R-1" in d.problem
    # 24 September + 90 days: 30 September (6), 31 October (37), 30 November (67), 23 December (90), a Wednesday
    assert (d.due_on, d.calendar_pending) == (dt.date(2026, 12, 23), False)
    city = supervisor()
    d = services.recall_order(actor=city, disposal=d, level="2", known_at=_local(2026, 9, 24, 10, 0))
    assert d.recall_start_due == _local(2026, 9, 26, 10, 0)  # 48 hours, rest days included
    with pytest.raises(TransitionNotAllowed):
        services.recall_order(actor=city, disposal=d, level="1", known_at=_local(2026, 9, 24, 10, 0))
    d = services.recall_announce(actor=city, disposal=d, started_at=_local(2026, 9, 25, 9, 0),
                                 announced_on=dt.date(2026, 9, 25), today=TODAY)
    # 20 working days after 25 September: 28, 29, 30 Sept; National Day 1–7 Oct; 8, 9, 10 (adjusted Saturday), 12–16,
    # 19–23, 26–29 October
    assert d.recall_complete_due == dt.date(2026, 10, 29)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.disposal_close(actor=city, disposal=d, on=TODAY, conclusion="已处置", today=TODAY)
    assert "封存不合格（不安全）食品" in exc.value.message and "报告处理情况" in exc.value.message
    for code in REQUIRED:
        services.disposal_step(actor=city, disposal=d, code=code, done_on=dt.date(2026, 9, 26), today=TODAY)
    d = services.disposal_step(actor=city, disposal=d, code="seal", done_on=dt.date(2026, 9, 30), today=TODAY)
    assert d.steps[0]["done_on"] == "2026-09-26"  # a second click keeps the first date
    with pytest.raises(TransitionNotAllowed) as exc:
        services.disposal_close(actor=city, disposal=d, on=TODAY, conclusion="已处置", today=TODAY)
    assert "二级召回尚未完成" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.recall_complete(actor=city, disposal=d, on=dt.date(2026, 9, 20), result="召回 300 袋", today=TODAY)
    services.recall_complete(actor=city, disposal=d, on=dt.date(2026, 10, 20), result="召回 300 袋，已销毁", today=TODAY)
    d = services.disposal_close(actor=city, disposal=d, on=TODAY, conclusion="企业已召回并整改，立案查处", today=TODAY)
    assert d.status == "closed"
    assert services.disposal_close(actor=city, disposal=d, on=TODAY, conclusion="再次", today=TODAY).conclusion \
        == "企业已召回并整改，立案查处"
    page = client.get("/food/recalls/").content.decode()
    assert "二级召回，2026-09-25 公告，2026-10-20 完成" in page and "企业已召回并整改，立案查处" in page


def test_a_complaint_disposal_ends_after_a_holiday_and_a_late_recall_is_one_lead(org, client):
    clerk = county_clerk()
    from jianguan.registry.tests.factories import EntityFactory

    shop = EntityFactory(unit=OrgUnit.objects.get(code="41040201"), name="平顶山市某食品店")
    c, _ = complaint(entity=shop, received_on=dt.date(2026, 7, 3))
    with pytest.raises(ValidationFailed) as exc:
        services.disposal_open(actor=clerk, complaint=c, opened_on=dt.date(2026, 7, 6), product="", problem="过期",
                               today=TODAY)
    assert "食品名称不能为空" in exc.value.message
    d = services.disposal_open(actor=clerk, complaint=c, opened_on=dt.date(2026, 7, 6), product="纯牛奶",
                               batch_no="20260501", problem="销售超过保质期的食品", today=TODAY)
    # 6 July + 90 days is Sunday 4 October, in the National Day holiday: it ends on Thursday 8 October (民法典 第二百零三条)
    assert d.due_on == dt.date(2026, 10, 8)
    assert services.disposal_open(actor=clerk, complaint=c, opened_on=dt.date(2026, 7, 7), product="x", problem="y",
                                  today=TODAY).pk == d.pk
    services.recall_order(actor=clerk, disposal=d, level="1", known_at=_local(2026, 7, 6, 9, 0))
    run(today=dt.date(2026, 7, 8), only="food-disposals")
    run(today=dt.date(2026, 7, 9), only="food-disposals")
    lead = Lead.objects.get()
    assert lead.source_type == "food.disposal" and "2026-07-07 09:00 前启动召回，逾期未启动" in lead.description
    assert "第一百二十四条第一款第（九）项" in lead.description and Disposal.objects.get().lead_id == lead.pk
    services.recall_announce(actor=clerk, disposal=d, started_at=_local(2026, 7, 8, 9, 0),
                             announced_on=dt.date(2026, 7, 8), today=TODAY)
    page = client.get("/food/recalls/").content.decode()
    assert "纯牛奶" in page and "一级召回，2026-07-08 公告" in page and "核查处置中" in page
    assert "李消费" not in page and "13800000001" not in page and c.number not in page
    from jianguan.food.opendata import recall_rows

    [row] = list(recall_rows(TODAY))  # the open-data set: the same rows
    assert (row[3], row[7], row[8]) == ("纯牛奶", "一级召回", "2026-07-08") and "李消费" not in str(row)


def test_pages_and_api_are_scoped_and_a_viewer_cannot_act(org, client):
    user = quality_supervisor()
    _failed_food_sample(user)
    run(today=TODAY, only="food-disposals")
    d = Disposal.objects.get()
    clerk = county_clerk()
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as few:
        body = client.get("/workbench/food/disposals/").content.decode()
    assert d.number in body
    resp = client.post(f"/workbench/food/disposals/{d.pk}/", {"action": "step", "code": "seal",
                                                               "done_on": "2026-09-25", "note": "已封存 300 袋"})
    assert resp.status_code == 302 and Disposal.objects.get().steps[0]["done_on"] == "2026-09-25"
    resp = client.post(f"/workbench/food/disposals/{d.pk}/", {"action": "step", "code": "seal",
                                                               "done_on": "2026-08-01"})
    assert resp.status_code == 302  # already recorded: kept as it was, no error
    body = client.get(f"/workbench/food/disposals/{d.pk}/").content.decode()
    assert "已封存 300 袋" in body and 'data-testid="disposal-due"' in body and "2026-12-23" in body
    api = client.post(f"/api/v1/food/disposals/{d.pk}/actions", {"action": "recall", "level": "3",
                                                                 "known_at": "2026-09-24T08:00:00"},
                      content_type="application/json").json()
    assert api["recall_level"] == "3" and api["recall_start_due"].startswith("2026-09-27T08:00")
    bad = client.post(f"/api/v1/food/disposals/{d.pk}/actions", {"action": "complete", "on": "2026-10-01",
                                                                 "result": "x"}, content_type="application/json")
    assert bad.status_code == 409 and "尚未发布召回公告" in bad.json()["error"]["message"]
    Disposal.objects.create(number="X-2", source="complaint", complaint=complaint(entity=d.entity)[0],
                            entity=d.entity, unit=d.unit, product="p", problem="q", opened_on=TODAY, due_on=TODAY)
    with CaptureQueriesContext(connection) as many:
        client.get("/workbench/food/disposals/")
    assert len(many.captured_queries) == len(few.captured_queries)
    client.force_login(county_clerk("sp_weidong", "410403"))
    assert client.get(f"/workbench/food/disposals/{d.pk}/").status_code == 404
    assert client.get("/api/v1/food/disposals").json() == []
    from jianguan.core.tests.factories import staff

    client.force_login(staff("xh_head", "410402", ["department_head"]))
    assert client.get(f"/workbench/food/disposals/{d.pk}/").status_code == 200
    assert client.post(f"/workbench/food/disposals/{d.pk}/", {"action": "lead"}).status_code == 403
