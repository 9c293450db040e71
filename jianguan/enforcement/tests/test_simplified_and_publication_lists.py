"""The 当场处罚 list (under the on-the-spot form) and the penalty publication list on core.lists (#15): the total,
the default order and a sort by a column, a search, the export of exactly the filtered rows with the columns shown
(read from the streamed file), a bounded number of queries however many rows; and another district sees none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.tests.xlsx import rows
from jianguan.enforcement import publication, services

from .docfixtures import make_case, make_penalty

URL = "/workbench/enforcement/simplified/"


def _spot(actor, officers, title: str, party: str, fine: str, on: dt.date):
    return services.case_simplified(
        actor=actor, unit=OrgUnit.objects.get(code="410402"), case_type="metrology", title=title,
        officers=officers, party_kind="individual", kinds=["fine"], fine_amount=Decimal(fine),
        facts="现场检查发现使用未经检定的电子秤", legal_basis="《计量法实施细则》", recipient=party,
        party_name=party, on=on, paid_on_the_spot=True, receipt_no=f"RC-{on:%m%d}")


def test_on_the_spot_penalties_are_counted_sorted_searched_and_exported(login, district_officer, officers,
                                                                       other_district_officer,
                                                                       django_assert_max_num_queries):
    a = _spot(district_officer, officers, "使用未经检定的电子秤", "张某（流动摊贩）", "200", dt.date(2026, 3, 9))
    b = _spot(district_officer, officers, "未明码标价", "李某（水果摊）", "50", dt.date(2026, 3, 12))
    c = _spot(district_officer, officers, "使用不合格计量器具", "王某（菜摊）", "100", dt.date(2026, 3, 2))
    client = login(district_officer)
    client.get(URL)
    with django_assert_max_num_queries(16):
        body = client.get(URL).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近作出的在前" in body
    assert body.index(b.decision_no) < body.index(a.decision_no) < body.index(c.decision_no)
    body = client.get(URL, {"sort": "-fine_amount"}).content.decode()
    assert body.index(a.decision_no) < body.index(c.decision_no) < body.index(b.decision_no)
    body = client.get(URL, {"q": "摊贩"}).content.decode()
    assert 'data-testid="list-total">1<' in body and b.decision_no not in body
    got = rows(client.get(URL, {"export": "xlsx", "q": "某", "sort": "decided_on"}))
    assert got[0] == ("决定书文号", "决定日期", "当事人", "案由", "处罚种类", "罚款（元）", "缴纳", "决定机关")
    assert [r[0] for r in got[1:]] == [c.decision_no, a.decision_no, b.decision_no]
    assert got[2][2] == "张某（流动摊贩）" and got[2][5] == 200 and got[2][6] == "已缴纳"
    assert AuditEntry.objects.filter(action="list.exported", object_id="enforcement.simplified").exists()
    other = login(other_district_officer).get(URL).content.decode()
    assert 'data-testid="list-total">0<' in other and a.decision_no not in other


def test_publications_are_counted_sorted_searched_and_exported(login, district_officer, xh_head,
                                                               django_assert_max_num_queries):
    today = timezone.localdate()
    pubs = []
    for days, party in ((2, "平顶山市甲商贸有限公司"), (9, "平顶山市乙食品有限公司"), (5, "平顶山市丙电器有限公司")):
        case = make_case(officers=[district_officer], party_name=party, entity=None)
        penalty = make_penalty(case, decided_on=today - dt.timedelta(days=days))
        pubs.append(publication.publication_schedule(penalty=penalty, actor="system", today=today))
    client = login(xh_head)
    url = "/workbench/enforcement/publications/"
    client.get(url)
    with django_assert_max_num_queries(13):
        body = client.get(url).content.decode()
    assert 'data-testid="list-total">3<' in body and "公示期限最近的在前" in body
    # the oldest decision has the nearest deadline
    assert body.index("乙食品") < body.index("丙电器") < body.index("甲商贸")
    body = client.get(url, {"sort": "-decided_on"}).content.decode()
    assert body.index("甲商贸") < body.index("丙电器") < body.index("乙食品")
    assert 'data-testid="list-total">1<' in client.get(url, {"q": "食品"}).content.decode()
    got = rows(client.get(url, {"export": "xlsx", "status": "pending", "q": "有限公司", "sort": "-decided_on"}))
    assert got[0] == ("决定书文号", "当事人（公示名称）", "统一社会信用代码", "处罚种类", "决定日期", "公示期限", "公示期",
                      "停止公示", "状态")
    assert [r[1] for r in got[1:]] == ["平顶山市甲商贸有限公司", "平顶山市丙电器有限公司", "平顶山市乙食品有限公司"]
    assert got[1][8] == "待公示"
    assert 'data-testid="list-total">0<' in client.get(url, {"status": "published"}).content.decode()
