"""Staff pages: what each persona sees, scope (404 outside it), and a fixed number of queries per list page."""

import datetime as dt

import pytest
from django.urls import reverse

from jianguan.credit import risk, services
from jianguan.credit.models import Ground, InstantInfo, RepairKind

from .factories import EntityFactory, credit_officer, department_head, report

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 8, 3)


@pytest.fixture
def data(org):
    xh = [EntityFactory(established_on=dt.date(2018, 1, 1)) for _ in range(3)]
    wd = EntityFactory(unit=org["41040301"], established_on=dt.date(2018, 1, 1), name="卫东区某公司")
    report(xh[0], 2025, total_assets=0, total_liabilities=0, revenue=0, profit=0, net_profit=0, tax=0)
    for e in (xh[1], wd):
        services.list_enter(actor="t", entity=e, ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
    proposal = services.serious_propose(actor="t", entity=xh[2], ground=Ground.FAIR_COMPETITION, facts="虚假宣传",
                                        penalty_ref="新市监罚〔2026〕1号", today=ON)
    services.repair_apply(actor="t", entity=xh[0], kind=RepairKind.PENALTY_PUBLICATION, penalty_ref="新市监罚〔2025〕2号",
                          penalty_sector="other", penalty_published_on=dt.date(2025, 1, 1), statement="已整改", today=ON)
    services.instant_info_record(actor="t", entity=xh[1], kind=InstantInfo.Kind.CAPITAL, content="实缴",
                                 arose_on=dt.date(2026, 1, 5))
    risk.recompute(on=ON)
    return {"xh": xh, "wd": wd, "proposal": proposal}


PAGES = ["credit:home", "credit:reports", "credit:zero", "credit:lists", "credit:serious", "credit:repairs",
         "credit:instant"]


@pytest.mark.parametrize("name", PAGES)
def test_the_credit_officer_sees_each_page(data, login, name):
    response = login(credit_officer()).get(reverse(name) + ("?year=2025" if "report" in name or "zero" in name else ""))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["credit:home", "credit:lists", "credit:serious", "credit:repairs", "credit:zero",
                                  "credit:instant"])
def test_list_pages_run_a_fixed_number_of_queries(data, login, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(credit_officer())
    params = {"status": "", "class": "C", "year": 2025}

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), params).status_code == 200
        return len(ctx.captured_queries)

    def add(i):
        e = EntityFactory(established_on=dt.date(2018, 1, 1))
        services.list_enter(actor="t", entity=e, ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
        report(e, 2025, total_assets=0, total_liabilities=0, revenue=0, profit=0, net_profit=0, tax=0)
        services.serious_propose(actor="t", entity=e, ground=Ground.FAIR_COMPETITION, facts="虚假宣传",
                                 penalty_ref=f"新市监罚〔2026〕{10 + i}号", today=ON)
        services.repair_apply(actor="t", entity=e, kind=RepairKind.PENALTY_PUBLICATION, penalty_ref=f"罚{i}",
                              penalty_sector="other", penalty_published_on=dt.date(2025, 1, 1), statement="已整改",
                              today=ON)
        services.instant_info_record(actor="t", entity=e, kind=InstantInfo.Kind.CAPITAL, content="实缴",
                                     arose_on=dt.date(2026, 1, 5))
        risk.recompute(on=ON)

    add(0)
    count()  # the first request of a session also creates the security policy and writes the session
    before = count()
    for i in range(1, 6):  # more rows must not mean more queries
        add(i)
    assert count() == before


def test_the_other_district_sees_nothing_of_xinhua(data, login, other_district_officer):
    client = login(other_district_officer)
    lists = client.get(reverse("credit:lists")).content.decode()
    assert "卫东区某公司" in lists and data["xh"][1].name not in lists
    assert client.get(reverse("credit:entity", args=[data["xh"][1].uscc])).status_code == 404
    assert data["xh"][2].name not in client.get(reverse("credit:serious"), {"status": ""}).content.decode()


def test_a_decision_outside_the_scope_is_a_404(data, login):
    head = department_head("head_wd", "410403")
    response = login(head).post(reverse("credit:serious_decide", args=[data["proposal"].pk]), {"action": "approve"})
    assert response.status_code == 404
    data["proposal"].refresh_from_db()
    assert data["proposal"].status == "proposed"


def test_only_a_head_approves_serious_listings(data, login):
    officer = login(credit_officer())
    assert officer.post(reverse("credit:serious_decide", args=[data["proposal"].pk]),
                        {"action": "approve"}).status_code == 403
    head = login(department_head())
    head.post(reverse("credit:serious_decide", args=[data["proposal"].pk]), {"action": "approve"})
    data["proposal"].refresh_from_db()
    assert data["proposal"].status == "active" and data["proposal"].decision_no == "新市监严〔2026〕1号"


def test_an_inspector_sees_classes_but_cannot_list(data, login, station_inspector):
    client = login(station_inspector)
    page = client.get(reverse("credit:entity", args=[data["xh"][1].uscc]))
    assert page.status_code == 200 and "列入经营异常名录 +30" in page.content.decode()
    response = client.post(reverse("credit:entity_list_enter", args=[data["xh"][0].uscc]),
                           {"ground": Ground.UNREACHABLE, "facts": "x"})
    assert response.status_code == 403


def test_the_class_distribution_rolls_stations_up_for_the_city(data, login, city_leader):
    page = login(city_leader).get(reverse("credit:home")).content.decode()
    assert "新华区市场监督管理局" in page and "西高皇市场监管所" not in page
    assert 'id="risk-chart-data"' in page


def test_a_refused_listing_shows_the_rule(data, login):
    client = login(credit_officer())
    response = client.post(reverse("credit:entity_list_enter", args=[data["xh"][1].uscc]),
                           {"ground": Ground.UNREACHABLE, "facts": "再次"}, follow=True)
    assert "同一事由不能重复列入" in response.content.decode()


def test_reminders_go_to_non_filers_in_scope_once_a_day(data, login):
    client = login(credit_officer())
    client.post(reverse("credit:reports_remind"), {"year": 2025})
    from jianguan.credit.models import Notice

    reminded = set(Notice.objects.filter(kind="report_reminder").values_list("entity_id", flat=True))
    assert reminded == {data["xh"][1].pk, data["xh"][2].pk}
    client.post(reverse("credit:reports_remind"), {"year": 2025})
    assert Notice.objects.filter(kind="report_reminder").count() == 2


def test_filing_rates_per_unit(data, login):
    page = login(credit_officer()).get(reverse("credit:reports"), {"year": 2025})
    rows = {r["unit"].code: r for r in page.context["rows"]}
    assert rows["41040201"]["required"] == 3 and rows["41040201"]["filed"] == 1 and rows["41040201"]["zero"] == 1
    assert "41040301" not in rows


def test_the_abnormal_list_counts_sorts_and_exports_exactly_its_filtered_rows(data, login):
    """core.lists on 经营异常名录: the total, a sort by the entity, and an Excel file with exactly the rows of the
    filter in scope (卫东区's entry is not in 新华区's file); a sort not offered is ignored and said."""
    import io

    import openpyxl

    from jianguan.core.models import AuditEntry

    client = login(credit_officer())
    body = client.get(reverse("credit:lists"), {"status": "", "sort": "entity"}).content.decode()
    assert 'data-testid="list-total">1<' in body and data["xh"][1].name in body
    r = client.get(reverse("credit:lists"), {"status": "", "sort": "-entity", "export": "xlsx"})
    assert r.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("主体", "统一社会信用代码")
    assert [x[1] for x in rows[1:]] == [data["xh"][1].uscc]
    assert AuditEntry.objects.filter(action="list.exported", object_id="credit.abnormal").exists()
    bad = client.get(reverse("credit:lists"), {"sort": "entity__legal_rep_id_no"}).content.decode()
    assert 'data-testid="list-problem"' in bad


def test_the_serious_list_counts_sorts_and_exports_exactly_its_filtered_rows(data, login, org,
                                                                             django_assert_max_num_queries):
    """core.lists on 严重违法失信名单: the total, a sort by the entity, the file holds the filtered rows in scope only;
    the page reads in a fixed number of queries whatever the number of entries."""
    from jianguan.core.models import AuditEntry
    from jianguan.core.tests.xlsx import rows

    wd_entity = EntityFactory(unit=org["41040301"])
    services.serious_propose(actor="t", entity=wd_entity, ground=Ground.FAIR_COMPETITION, facts="虚假宣传",
                             penalty_ref="卫市监罚〔2026〕1号", today=ON)
    client = login(credit_officer())
    with django_assert_max_num_queries(14):
        body = client.get(reverse("credit:serious"), {"status": "", "sort": "entity"}).content.decode()
    assert 'data-testid="list-total">1<' in body and data["xh"][2].name in body and wd_entity.name not in body
    for _ in range(3):
        services.serious_propose(actor="t", entity=EntityFactory(), ground=Ground.FAIR_COMPETITION, facts="虚假宣传",
                                 penalty_ref="新市监罚〔2026〕9号", today=ON)
    with django_assert_max_num_queries(14):
        body = client.get(reverse("credit:serious"), {"status": "", "sort": "-entity"}).content.decode()
    assert 'data-testid="list-total">4<' in body and 'aria-sort="descending"' in body
    r = client.get(reverse("credit:serious"), {"status": "proposed", "q": data["xh"][2].uscc, "export": "xlsx"})
    got = rows(r)
    assert got[0][:4] == ("主体", "统一社会信用代码", "情形", "处罚决定书文号")
    assert [x[1] for x in got[1:]] == [data["xh"][2].uscc] and got[1][3] == "新市监罚〔2026〕1号"
    assert AuditEntry.objects.filter(action="list.exported", object_id="credit.serious").exists()


def test_the_abnormal_list_shows_each_entrys_running_clock_with_its_explanation(data, login, org):
    """#13: every active entry on 经营异常名录 shows the clock that runs on it — the 3 years to the serious-list
    proposal (民法典 第二百零一条: the anniversary is still inside), or once the cause is found cured the 5-working-day
    removal clock — with the folded explanation (start event, days, article), in the export too. Dates by hand:
    listed Mon 2026-08-03 → third anniversary 2029-08-03, proposal 2029-08-04; cure found Mon 2026-08-03 → five
    working days (no holiday in between) Mon 2026-08-10."""
    from jianguan.core.tests.xlsx import rows
    from jianguan.credit.models import ListEntry

    client = login(credit_officer())
    body = client.get(reverse("credit:lists")).content.decode()
    assert "列入经营异常名录届满3年" in body and "2029-08-03" in body and "2029-08-04 提请列入严重违法失信名单" in body
    assert body.count('data-testid="deadline-explained"') >= 2  # the listing period and the running clock
    entry = ListEntry.objects.get(entity=data["xh"][1], list_kind="abnormal")
    services.list_cure_found(actor=credit_officer(), entry=entry, note="实地核查：可以联系", today=ON)
    body = client.get(reverse("credit:lists")).content.decode()
    assert "移出经营异常名录期限" in body and "2026-08-10" in body and "查实列入事由已消除" in body
    assert "期间 5个工作日" in body and "依据：" in body
    sheet = rows(client.get(reverse("credit:lists"), {"export": "xlsx"}))
    assert sheet[0][-1] == "移出期限 / 届满" and sheet[1][-1] == "移出经营异常名录期限：2026-08-10"


@pytest.mark.parametrize(("name", "params", "key", "header"), [
    ("credit:home", {"class": "C"}, "credit.risk_class", ("主体", "统一社会信用代码", "监管单位", "分类", "分值", "依据")),
    ("credit:zero", {"year": 2025}, "credit.zero", ("主体", "统一社会信用代码", "监管单位", "报送日期", "逾期报送", "从业人数")),
    ("credit:repairs", {"status": ""}, "credit.repairs", ("主体", "统一社会信用代码", "类型 / 事项", "申请日期", "受理机关", "状态")),
    ("credit:instant", {}, "credit.instant", ("主体", "统一社会信用代码", "类别", "形成日期", "应公示截止", "责令公示")),
])
def test_the_other_credit_lists_count_sort_and_export_their_rows(data, login, name, params, key, header):
    """Risk classes, zero reports, repairs and overdue instant information on core.lists: the total, sortable
    headers, the export of exactly the filtered rows (新华区's only), audited."""
    from jianguan.core.models import AuditEntry
    from jianguan.core.tests.xlsx import rows
    from jianguan.credit.models import EntityRisk

    if name == "credit:home":  # the class of the entity on the abnormal list
        params = {"class": EntityRisk.objects.get(entity=data["xh"][1]).risk_class}
    client = login(credit_officer())
    body = client.get(reverse(name), params).content.decode()
    total = int(body.split('data-testid="list-total">', 1)[1].split("<", 1)[0])
    assert total >= 1 and "data-testid=\"list-export\"" in body and "aria-sort=" in body
    got = rows(client.get(reverse(name), {**params, "export": "xlsx", "sort": "-entity"}))
    assert got[0] == header and len(got) == total + 1
    assert "卫东区某公司" not in {r[0] for r in got[1:]}
    assert [r[0] for r in got[1:]] == sorted((r[0] for r in got[1:]), reverse=True)
    assert AuditEntry.objects.filter(action="list.exported", object_id=key).exists()
    narrowed = client.get(reverse(name), {**params, "q": data["xh"][1].uscc}).content.decode()
    if name != "credit:home":  # the class page filters by class, not by a search
        assert data["xh"][0].name not in narrowed.split('data-testid="list-bar"', 1)[1]
