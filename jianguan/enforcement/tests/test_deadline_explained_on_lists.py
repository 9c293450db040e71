"""Every deadline the lists show carries its explanation (``deadline_explained``: start event and date, days, what
was excluded and why, the article): the case and lead lists, their API rows and the deadline board — at a fixed
number of queries however many rows carry pauses and extensions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.models import ApiToken
from jianguan.enforcement import services

from .factories import filed_case, lead

D = dt.date


def _clocked_case(*, actor, officers, head):
    """A case filed 2026-03-05 with a testing pause 03-10 → 03-20 (10 days) and the head's 30-day extension."""
    case = filed_case(actor=actor, officers=officers)
    pause = services.pause_start(actor=actor, case=case, reason="testing", starts_on=D(2026, 3, 10),
                                 note="送检样品 3 件")
    services.pause_end(actor=actor, pause=pause, ends_on=D(2026, 3, 20))
    services.case_extend(actor=head, case=case, reason="案情复杂", on=D(2026, 4, 1))
    case.refresh_from_db()
    return case


@pytest.fixture
def api(client, district_officer):
    raw = ApiToken.generate()
    ApiToken.objects.create(user=district_officer, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))

    def get(url):
        return client.get(f"/api/v1/enforcement{url}", HTTP_AUTHORIZATION=f"Bearer {raw}")

    return get


def _count(fetch) -> int:
    fetch()  # warm the per-process caches (rules, calendar, menu)
    with CaptureQueriesContext(connection) as ctx:
        assert fetch().status_code == 200
    return len(ctx.captured_queries)


def test_case_list_page_explains_the_decision_deadline_with_pause_and_extension(client, district_officer, officers,
                                                                                xh_head):
    case = _clocked_case(actor=district_officer, officers=officers, head=xh_head)
    client.force_login(district_officer)
    html = client.get("/workbench/enforcement/cases/?status=open").content.decode()
    assert 'data-testid="deadline-explained"' in html
    # filed 03-05 + 90 days + 30 extension + 10 days of testing = 2026-07-13 (Monday)
    assert case.decision_deadline == D(2026, 7, 13)
    assert "处理决定期限：自立案（2026-03-05）起算" in html
    assert "检测" in html and "2026-03-10—2026-03-20）10日不计入" in html
    assert "新华区局负责人" in html and "延长 30日" in html
    assert "第六十四条" in html and "期限届满日：2026-07-13" in html


def test_case_list_api_rows_carry_deadline_explained(api, district_officer, officers, xh_head):
    case = _clocked_case(actor=district_officer, officers=officers, head=xh_head)
    rows = api("/cases?status=open").json()["items"]
    row = next(r for r in rows if r["id"] == case.pk)
    explained = row["deadline_explained"]
    assert explained["start_event"] == "立案" and explained["start_on"] == "2026-03-05"
    assert explained["days"] == 90 and explained["extensions"][0]["days"] == 30
    assert explained["exclusions"][0]["days"] == 10 and explained["due_on"] == "2026-07-13"
    assert "第六十四条" in explained["article"]


def test_lead_list_page_and_api_rows_carry_deadline_explained(client, api, district_officer):
    the_lead = lead(actor=district_officer)
    client.force_login(district_officer)
    html = client.get("/workbench/enforcement/leads/").content.decode()
    assert "立案决定期限：自发现线索或者收到材料（2026-03-02）起算" in html
    row = next(r for r in api("/leads").json() if r["id"] == the_lead.pk)
    assert row["deadline_explained"]["days"] == 15 and row["deadline_explained"]["unit"] == "workdays"
    assert "第十八条" in row["deadline_explained"]["article"]


def test_deadline_board_explains_each_deadline(client, district_officer, officers, xh_head):
    _clocked_case(actor=district_officer, officers=officers, head=xh_head)
    client.force_login(xh_head)
    html = client.get("/workbench/enforcement/board/").content.decode()
    assert html.count('data-testid="deadline-explained"') >= 2  # the officer's group and the two officers
    assert "2026-03-10—2026-03-20）10日不计入" in html


def test_case_list_with_pauses_and_extensions_has_a_constant_query_count(client, district_officer, officers,
                                                                          xh_head):
    _clocked_case(actor=district_officer, officers=officers, head=xh_head)
    client.force_login(district_officer)
    url = "/workbench/enforcement/cases/?status=open"
    few = _count(lambda: client.get(url))
    for _ in range(4):
        _clocked_case(actor=district_officer, officers=officers, head=xh_head)
    assert _count(lambda: client.get(url)) == few


def test_case_and_lead_list_api_with_explanations_have_a_constant_query_count(api, district_officer, officers,
                                                                               xh_head):
    _clocked_case(actor=district_officer, officers=officers, head=xh_head)
    lead(actor=district_officer)
    few_cases, few_leads = _count(lambda: api("/cases?status=open")), _count(lambda: api("/leads"))
    for _ in range(4):
        _clocked_case(actor=district_officer, officers=officers, head=xh_head)
        the_lead = lead(actor=district_officer)
        services.pause_start(actor=district_officer, lead=the_lead, reason="testing", starts_on=D(2026, 3, 3),
                             note="检测")
    assert _count(lambda: api("/cases?status=open")) == few_cases
    assert _count(lambda: api("/leads")) == few_leads


def test_board_with_pauses_extensions_and_decided_cases_has_a_constant_query_count(client, district_officer,
                                                                                   officers, xh_head, legal):
    from .factories import to_decided

    _clocked_case(actor=district_officer, officers=officers, head=xh_head)
    client.force_login(xh_head)
    few = _count(lambda: client.get("/workbench/enforcement/board/"))
    for _ in range(3):
        _clocked_case(actor=district_officer, officers=officers, head=xh_head)
        to_decided(filed_case(actor=district_officer, officers=officers), actor=district_officer, legal=legal)
    assert _count(lambda: client.get("/workbench/enforcement/board/")) == few
