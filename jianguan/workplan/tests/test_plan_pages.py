"""The plan pages: the tree with live targets linked to their records, scoped to the reader; the report form;
the office's queue; the Word and PDF progress reports."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from jianguan.complaints.tests.factories import business
from jianguan.core.tests.factories import staff
from jianguan.workplan.models import Milestone, ProgressReport, Target

from .factories import dept_head, office, plan, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_plan(org):
    p = plan()
    head = dept_head()
    task(p, "1.1", lead_person=head, targets=[("新登记市场主体", Target.Kind.NUMBER, "1", "registry.new_entities")])
    task(p, "1.2", title="深入推进双随机一公开监管", lead="410400XY", co=["410402"],
         milestones=[(dt.date(2026, 3, 31), "制定方案"), (dt.date(2026, 6, 30), "上半年任务")],
         targets=[("走访企业", Target.Kind.NUMBER, "100", "")])
    for i in range(3, 13):
        task(p, f"1.{i}", title=f"任务{i}", targets=[("指标", Target.Kind.YESNO, "1", "")])
    return p, head


def test_leader_sees_the_tree_with_a_live_figure_linked_to_its_records(city_leader, login, city_plan,
                                                                      django_assert_max_num_queries):
    business(established_on=dt.date(2026, 2, 1))
    client = login(city_leader)
    client.get(reverse("workplan:plan", args=["T-2026"]))  # first view computes and stores the reading
    with django_assert_max_num_queries(16):
        page = client.get(reverse("workplan:plan", args=["T-2026"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="live-figure"' in html and reverse("registry:entity_list") in html
    assert "系统指标计算于" in html
    assert html.count('data-testid="task-1.') == 12


def test_district_reader_sees_only_the_tasks_of_its_units(org, city_plan):
    xh_head = dept_head("xh_head_t", "410402")
    from django.test import Client

    client = Client()
    client.force_login(xh_head)
    html = client.get(reverse("workplan:plan", args=["T-2026"])).content.decode()
    assert 'data-testid="task-1.2"' in html and 'data-testid="task-1.1"' not in html
    assert client.get(reverse("workplan:task", args=["T-2026", "1.1"])).status_code == 404


def test_staff_without_the_plan_permission_are_refused(login, station_inspector, city_plan):
    assert login(station_inspector).get(reverse("workplan:plans")).status_code == 403


def test_responsible_person_reports_through_the_form_and_office_accepts_in_the_queue(login, city_plan):
    p, head = city_plan
    t = p.tasks.get(code="1.1")
    client = login(head)
    url = reverse("workplan:task", args=["T-2026", "1.1"])
    form = client.get(url).context["form"]
    m = t.milestones.get()
    resp = client.post(url, {"text": "已完成", "progress": "100", "milestone": m.pk, "completes_milestone": "on",
                             "idempotency_key": form["idempotency_key"].initial})
    assert resp.status_code == 302
    r = ProgressReport.objects.get()
    duban = office()
    client.force_login(duban)
    body = client.get(reverse("workplan:review")).content.decode()
    assert f'data-testid="queue-{r.pk}"' in body and 'data-testid="list-total">1<' in body and "最早报送的在前" in body
    client.post(reverse("workplan:report_review", args=[r.pk]), {"decision": "accept"})
    m.refresh_from_db()
    assert m.status == Milestone.Status.DONE


def test_bad_progress_is_shown_on_the_form_in_chinese(login, city_plan):
    _p, head = city_plan
    resp = login(head).post(reverse("workplan:task", args=["T-2026", "1.1"]), {"text": "", "progress": "150"})
    assert resp.status_code == 422
    html = resp.content.decode()
    assert "这个字段是必须的" in html and "确保该值小于或等于100" in html


def test_monthly_word_report_lists_tasks_and_the_milestones_late_at_the_end_of_the_month(login, city_leader,
                                                                                       city_plan):
    p, _head = city_plan
    t = p.tasks.get(code="1.2")
    # the first milestone (due 31 March) was done on 10 May: late at the end of April, not at the end of May
    Milestone.objects.filter(task=t, seq=1).update(status=Milestone.Status.DONE, done_on=dt.date(2026, 5, 10))
    client = login(city_leader)
    april_doc = client.get(reverse("workplan:progress_report", args=["T-2026", "docx"]) + "?period=2026-04")
    may_doc = client.get(reverse("workplan:progress_report", args=["T-2026", "docx"]) + "?period=2026-05")
    assert april_doc.status_code == may_doc.status_code == 200

    def text(resp):
        with zipfile.ZipFile(io.BytesIO(resp.content)) as z:
            return z.read("word/document.xml").decode()

    assert "深入推进双随机一公开监管：制定方案" in text(april_doc)
    assert "深入推进双随机一公开监管：制定方案" not in text(may_doc)
    assert "2026年4月" in text(april_doc) and "{{" not in text(april_doc)


def test_quarterly_pdf_report_is_a_pdf(login, city_leader, city_plan):
    resp = login(city_leader).get(reverse("workplan:progress_report", args=["T-2026", "pdf"]) + "?period=2026-Q1")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF-")


def test_a_malformed_period_is_explained(login, city_leader, city_plan):
    client = login(city_leader)
    resp = client.get(reverse("workplan:progress_report", args=["T-2026", "docx"]) + "?period=2026-13", follow=True)
    assert "期间格式应为" in resp.content.decode()


def test_only_the_office_and_leaders_generate_reports(login, city_plan):
    _p, head = city_plan
    resp = login(head).get(reverse("workplan:progress_report", args=["T-2026", "docx"]) + "?period=2026-03")
    assert resp.status_code == 403


def test_notices_page_shows_only_ones_own(login, org, city_plan):
    other = staff("someone", "410400DJ", ["registrar"], credential=False)
    assert "暂无督办提醒" in login(other).get(reverse("workplan:notices")).content.decode()
