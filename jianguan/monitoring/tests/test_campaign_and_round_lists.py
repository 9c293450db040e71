"""The fee-check campaigns, the counterfeit campaigns and the monitoring rounds on core.lists (#15): the total, the
default order (the latest first) and a sort by a column, a filter, the export of exactly the filtered rows with the
columns shown (read from the streamed file), and a bounded number of queries however many rows."""

import datetime as dt

import pytest

from jianguan.core.models import AuditEntry
from jianguan.core.tests.factories import staff
from jianguan.core.tests.xlsx import rows
from jianguan.enforcement.tests.factories import business
from jianguan.monitoring import services

pytestmark = pytest.mark.django_db
D = dt.date


def test_fee_campaigns_are_counted_sorted_filtered_and_exported(org, login, django_assert_max_num_queries):
    user = staff("xh_price", "410402", ["price_inspector"], credential=False, name="新华区价格检查员")
    for title, year in (("2025 年涉企收费专项", 2025), ("2026 年涉企收费专项", 2026), ("2026 年行业协会收费清理", 2026)):
        services.fee_campaign_create(actor=user, title=title, year=year, kinds=["bank"], started_on=D(year, 4, 1),
                                     report_due=D(year, 11, 30))
    client = login(user)
    url = "/workbench/monitoring/fees/"
    client.get(url)
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近年度的在前" in body
    assert body.index("2026 年") < body.index("2025 年涉企收费专项")
    body = client.get(url, {"sort": "year"}).content.decode()
    assert body.index("2025 年涉企收费专项") < body.index("2026 年涉企收费专项")
    body = client.get(url, {"year": "2026"}).content.decode()
    assert 'data-testid="list-total">2<' in body and "2025 年涉企收费专项" not in body
    got = rows(client.get(url, {"export": "xlsx", "q": "专项", "sort": "year"}))
    assert got[0] == ("专项行动", "年度", "组织单位", "检查单位数", "开始日期", "报送截止")
    assert [r[0] for r in got[1:]] == ["2025 年涉企收费专项", "2026 年涉企收费专项"] and got[1][3] == 0
    assert AuditEntry.objects.filter(action="list.exported", object_id="monitoring.fee_campaigns").exists()


def test_counterfeit_campaigns_are_counted_sorted_filtered_and_exported(org, login, django_assert_max_num_queries):
    user = staff("xh_dajia", "410402", ["anti_counterfeit", "case_officer"], name="新华区打假队员")
    for title, line, start in (("电线电缆打假", "电线电缆", D(2026, 3, 1)), ("农资打假", "农资", D(2026, 5, 1)),
                               ("酒类打假", "酒类", D(2026, 1, 10))):
        services.counterfeit_campaign_create(actor=user, title=title, product_line=line, market="新华区",
                                             started_on=start)
    client = login(user)
    url = "/workbench/monitoring/counterfeits/"
    client.get(url)
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近开始的在前" in body
    assert body.index("农资打假") < body.index("电线电缆打假") < body.index("酒类打假")
    body = client.get(url, {"sort": "started_on"}).content.decode()
    assert body.index("酒类打假") < body.index("电线电缆打假") < body.index("农资打假")
    got = rows(client.get(url, {"export": "xlsx", "q": "电", "sort": "-started_on"}))
    assert got[0] == ("行动", "产品类别", "市场或区域", "开始", "结束", "案件", "查扣（批）")
    assert [r[0] for r in got[1:]] == ["电线电缆打假"] and got[1][5] == 0 and got[1][6] == 0


def test_monitoring_rounds_are_counted_sorted_filtered_and_exported(org, login, monitor,
                                                                   django_assert_max_num_queries):
    shops = [services.shop_create(actor=monitor, platform="taobao", shop_name=f"店{i}",
                                  url=f"https://taobao{i}.example.cn/", entity=business(), licence_displayed=True)
             for i in range(3)]
    for code, title in (("WJ-2026-01", "淘宝亮照抽查"), ("WJ-2026-02", "重点网店"), ("WJ-2026-03", "直播带货")):
        services.round_create(actor=monitor, code=code, title=title, method="plan", shops=shops[:2])
    client = login(monitor)
    url = "/workbench/monitoring/rounds/"
    client.get(url)
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近建立的在前" in body
    assert body.index("WJ-2026-03") < body.index("WJ-2026-01")
    body = client.get(url, {"sort": "code"}).content.decode()
    assert body.index("WJ-2026-01") < body.index("WJ-2026-02") < body.index("WJ-2026-03")
    assert 'data-testid="list-total">1<' in client.get(url, {"q": "直播"}).content.decode()
    got = rows(client.get(url, {"export": "xlsx", "q": "WJ", "sort": "code"}))
    assert got[0] == ("编号", "名称", "方式", "状态", "店铺", "取证", "建立时间")
    assert [r[0] for r in got[1:]] == ["WJ-2026-01", "WJ-2026-02", "WJ-2026-03"] and got[1][4] == 2
