"""The complaint list shows how each deadline was counted (start event and date, days, excluded time and why, the
article), on the page and in the API rows, at a fixed number of queries however many rows carry pauses and
extensions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.complaints import services
from jianguan.complaints.models import MediationPause
from jianguan.core.models import ApiToken

from .factories import business, complaint, report

pytestmark = pytest.mark.django_db
D = dt.date


def _paused_mediation(handler, shop):
    c, _ = complaint(entity=shop, received_on=D(2026, 3, 3))
    c = services.complaint_accept(actor=handler, complaint=c, on=D(2026, 3, 3))
    services.mediation_pause_start(actor=handler, complaint=c, reason=MediationPause.Reason.APPRAISAL,
                                   starts_on=D(2026, 3, 10), evidence="鉴定委托书 JD-7")
    services.mediation_pause_end(actor=handler, complaint=c, ends_on=D(2026, 3, 13))
    return c


def _extended_report(handler, head, shop):
    r, _ = report(entity=shop)
    return services.report_extend_check(actor=handler, complaint=r, reason="案情复杂", approver=head,
                                        on=D(2026, 3, 20))


@pytest.fixture
def api(client, xh_handler):
    raw = ApiToken.generate()
    ApiToken.objects.create(user=xh_handler, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    return lambda url: client.get(f"/api/v1/complaints{url}", HTTP_AUTHORIZATION=f"Bearer {raw}")


def _count(fetch) -> int:
    fetch()  # warm the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert fetch().status_code == 200
    return len(ctx.captured_queries)


def test_complaint_list_page_explains_mediation_pause_and_report_extension(org, xh_handler, xh_head, login):
    shop = business()
    _paused_mediation(xh_handler, shop)
    _extended_report(xh_handler, xh_head, shop)
    html = login(xh_handler).get("/workbench/complaints/").content.decode()
    assert html.count('data-testid="deadline-explained"') == 2
    assert "调解期限：自受理投诉（2026-03-03）起算" in html and "鉴定" in html and "第二十条" in html
    assert "举报核查（决定是否立案）期限：自收到举报（2026-03-02）起算" in html
    assert "经负责人新华区局负责人于2026-03-20批准延长 15个工作日" in html
    assert "期限届满日：2026-04-14" in html


def test_complaint_list_api_rows_carry_deadline_explained(org, xh_handler, xh_head, api):
    shop = business()
    r = _extended_report(xh_handler, xh_head, shop)
    row = next(x for x in api("/").json()["items"] if x["number"] == r.number)
    explained = row["deadline_explained"]
    assert explained["start_on"] == "2026-03-02" and explained["days"] == 15
    assert explained["extensions"][0]["days"] == 15 and explained["due_on"] == "2026-04-14"
    assert "第十八条" in explained["article"]


def test_complaint_list_with_explanations_has_a_constant_query_count(org, xh_handler, xh_head, login, api):
    shop = business()
    _paused_mediation(xh_handler, shop)
    _extended_report(xh_handler, xh_head, shop)
    complaint(entity=shop)
    client = login(xh_handler)
    few_page, few_api = _count(lambda: client.get("/workbench/complaints/")), _count(lambda: api("/"))
    for _ in range(4):
        _paused_mediation(xh_handler, shop)
        _extended_report(xh_handler, xh_head, shop)
        complaint(entity=shop)
    assert _count(lambda: client.get("/workbench/complaints/")) == few_page
    assert _count(lambda: api("/")) == few_api
