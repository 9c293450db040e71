"""The registrar's queue (overdue first), the application list and the stats page, with bounded query counts."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.startup import services
from jianguan.startup.models import Application

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed_many(org):
    user = factories.applicant()
    apps = []
    for i, trade in enumerate(["青松", "白鹭", "红枫", "碧水", "金穗", "银杏"]):
        app = services.application_submit(
            actor=user,
            application=factories.application(
                user, trade=trade, capital="20000", division="410402" if i % 2 else "410403"
            ),
        )
        apps.append(app)
    return apps


def test_queue_lists_overdue_first(routed_many, login):
    late = routed_many[-1]
    Application.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    page = login(factories.registrar("dj_reg", "410400DJ")).get("/workbench/startup/").content.decode()
    assert page.index(late.number) < min(page.index(a.number) for a in routed_many[:-1])
    assert "已超时" in page


def test_queue_counts_sorts_searches_and_exports(routed_many, login):
    from jianguan.core.models import AuditEntry
    from jianguan.core.tests.xlsx import rows

    client = login(factories.registrar("dj_reg", "410400DJ"))
    body = client.get("/workbench/startup/").content.decode()
    total = int(body.split('data-testid="list-total">', 1)[1].split("<", 1)[0])
    assert total == Application.objects.filter(state=Application.State.IN_REVIEW).count() > 0
    assert "办结时限最近的在前" in body
    one = routed_many[0]
    narrowed = client.get("/workbench/startup/", {"q": one.number}).content.decode()
    assert 'data-testid="list-total">1<' in narrowed
    got = rows(client.get("/workbench/startup/", {"export": "xlsx", "sort": "-number"}))
    assert got[0] == ("申请编号", "名称", "类型", "登记机关", "提交时间", "办结时限", "转人工原因")
    assert [r[0] for r in got[1:]] == sorted((r[0] for r in got[1:]), reverse=True) and len(got) == total + 1
    assert AuditEntry.objects.filter(action="list.exported", object_id="startup.queue").exists()


def test_queue_query_count_does_not_grow_with_rows(routed_many, login, django_assert_max_num_queries):
    client = login(factories.registrar("dj_reg", "410400DJ"))
    with django_assert_max_num_queries(20):
        assert client.get("/workbench/startup/").status_code == 200


def test_application_list_query_count(routed_many, login, django_assert_max_num_queries):
    client = login(factories.registrar("dj_reg", "410400DJ"))
    with django_assert_max_num_queries(20):
        r = client.get("/workbench/startup/applications/")
    assert r.status_code == 200 and all(a.number in r.content.decode() for a in routed_many)


def test_detail_query_count(routed_many, login, django_assert_max_num_queries):
    client = login(factories.registrar("dj_reg", "410400DJ"))
    with django_assert_max_num_queries(24):
        assert client.get(f"/workbench/startup/applications/{routed_many[0].pk}/").status_code == 200


def test_my_applications_query_count(routed_many, client, django_assert_max_num_queries):
    client.force_login(routed_many[0].applicant)
    with django_assert_max_num_queries(20):
        r = client.get("/startup/applications/")
    assert r.status_code == 200 and routed_many[0].number in r.content.decode()


def test_stats_summarise_time_to_decision_against_the_target(org, login):
    user = factories.applicant()
    services.application_submit(actor=user, application=factories.application(user))  # auto: ~0 hours
    slow = services.application_submit(
        actor=user, application=factories.application(user, trade="白鹭", capital="20000")
    )
    services.application_approve(actor=factories.registrar("xh_reg", "410402"), application=slow)
    Application.objects.filter(pk=slow.pk).update(decision_work_hours=6)
    page = login(factories.registrar("dj_reg", "410400DJ")).get("/workbench/startup/stats/").content.decode()
    assert "50.0%" in page  # auto-approval share, and one of two within the 4-hour target
    assert "<td>设立登记</td><td>2</td><td>3.0</td><td>50.0%</td>" in page.replace("\n", "")
