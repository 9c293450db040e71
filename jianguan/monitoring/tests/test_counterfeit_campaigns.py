"""Counterfeits (假冒伪劣): a campaign of one product line links the cases, failed samples and inspections that
belong to it (a qualified sample refused, a record outside the officer's scope not found, a repeat link adds
nothing), keeps the goods seized and their destruction (once, witnessed by two, not before the seizure), and its
figures reach the page, the Excel export, the API, the home card and the work plan."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.core.scope import EVERYTHING
from jianguan.core.tests.factories import staff
from jianguan.enforcement.tests.factories import filed_case, officer
from jianguan.ip.tests.xlsx import read
from jianguan.monitoring import selectors, services
from jianguan.workplan import metrics

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def dajia(org):
    return staff("xh_dajia", "410402", ["anti_counterfeit", "case_officer"], name="新华区打假队员")


@pytest.fixture
def campaign(dajia):
    return services.counterfeit_campaign_create(actor=dajia, title="2026 年电线电缆打假专项行动",
                                                product_line="电线电缆", market="新华区建材市场",
                                                started_on=D(2026, 3, 1))


@pytest.fixture
def case(dajia):
    return filed_case(actor=dajia, officers=[dajia, officer("xh_o9")])


def test_links_cases_and_failed_samples_once_and_refuses_a_qualified_sample(dajia, campaign, case):
    from jianguan.sampling.models import Sample
    from jianguan.sampling.tests.factories import drawn_plan, supervisor

    assert services.counterfeit_link(actor=dajia, campaign=campaign, kind="case", record=case) is True
    assert services.counterfeit_link(actor=dajia, campaign=campaign, kind="case", record=case) is False
    plan = drawn_plan(supervisor())
    failed, passed = plan.samples.order_by("id")[:2]
    Sample.objects.filter(pk=failed.pk).update(status=Sample.Status.UNQUALIFIED)
    Sample.objects.filter(pk=passed.pk).update(status=Sample.Status.QUALIFIED)
    failed.refresh_from_db()
    passed.refresh_from_db()
    services.counterfeit_link(actor=dajia, campaign=campaign, kind="sample", record=failed)
    with pytest.raises(ValidationFailed, match="不是不合格样品"):
        services.counterfeit_link(actor=dajia, campaign=campaign, kind="sample", record=passed)
    f = selectors.counterfeit_figures(campaign)
    assert (f.cases, f.samples, f.tasks) == (1, 1, 0)


def test_goods_seized_then_destroyed_once_witnessed(dajia, campaign, case):
    with pytest.raises(ValidationFailed, match="未关联到本行动"):
        services.goods_seize(actor=dajia, campaign=campaign, description="假冒某品牌电线", quantity=Decimal("120"),
                             measure="卷", seized_on=D(2026, 4, 2), case=case)
    services.counterfeit_link(actor=dajia, campaign=campaign, kind="case", record=case)
    goods = services.goods_seize(actor=dajia, campaign=campaign, description="假冒某品牌电线", quantity=Decimal("120"),
                                 measure="卷", value=Decimal("36000"), seized_on=D(2026, 4, 2), case=case)
    with pytest.raises(ValidationFailed, match="早于查扣日期"):
        services.goods_destroy(actor=dajia, goods=goods, destroyed_on=D(2026, 4, 1), how="集中粉碎", witnesses="甲、乙")
    with pytest.raises(ValidationFailed, match="至少两人"):
        services.goods_destroy(actor=dajia, goods=goods, destroyed_on=D(2026, 5, 8), how="集中粉碎", witnesses="甲")
    services.goods_destroy(actor=dajia, goods=goods, destroyed_on=D(2026, 5, 8), how="市固废中心集中粉碎",
                           witnesses="张某、李某")
    services.goods_destroy(actor=dajia, goods=goods, destroyed_on=D(2026, 5, 8), how="市固废中心集中粉碎",
                           witnesses="张某、李某")  # a second click: no harm
    with pytest.raises(ValidationFailed, match="已于 2026-05-08 销毁"):
        services.goods_destroy(actor=dajia, goods=goods, destroyed_on=D(2026, 5, 9), how="焚烧", witnesses="甲、乙")
    f = selectors.counterfeit_figures(campaign)
    assert (f.goods, f.destroyed, f.value, f.destroyed_value) == (1, 1, 36000, 36000)
    ctx = metrics.Context(scope=EVERYTHING, year=2026, today=D(2026, 12, 5))
    assert metrics.compute("monitoring.counterfeit_destroyed_value", ctx).value == Decimal("36000")


def test_pages_export_api_scope_and_card(dajia, campaign, case, login, client, django_assert_max_num_queries):
    c = login(dajia)
    c.post(f"/workbench/monitoring/counterfeits/{campaign.pk}/link/", {"kind": "case", "ref": case.number})
    c.post(f"/workbench/monitoring/counterfeits/{campaign.pk}/seize/",
           {"description": "假冒电线", "quantity": "50", "measure": "卷", "value": "15,000", "seized_on": "2026-04-03",
            "case": case.number})
    goods = campaign.goods.get()
    c.post(f"/workbench/monitoring/counterfeits/goods/{goods.pk}/destroy/",
           {"destroyed_on": "2026-05-08", "how": "集中粉碎", "witnesses": "张某、李某"})
    goods.refresh_from_db()
    assert goods.case_id == case.pk and goods.destroyed_on == D(2026, 5, 8)
    for i in range(5):
        services.goods_seize(actor=dajia, campaign=campaign, description=f"伪劣插座{i}", quantity=Decimal("10"),
                             measure="箱", seized_on=D(2026, 4, 5))
    with django_assert_max_num_queries(20):
        page = c.get(f"/workbench/monitoring/counterfeits/{campaign.pk}/")
    html = page.content.decode()
    assert case.number in html and 'data-testid="destroyed"' in html and html.count('data-testid="goods"') == 6
    book = c.get(f"/workbench/monitoring/counterfeits/{campaign.pk}/export.xlsx").content
    assert ["关联案件", 1] in [r[:2] for r in read(book)] and read(book, sheet=2)[1][5] == case.number
    assert 'data-testid="counterfeits-card"' in c.get("/workbench/").content.decode()

    other = login(staff("wd_dajia", "410403", ["anti_counterfeit", "case_officer"]))
    theirs = services.counterfeit_campaign_create(actor=staff("wd_dajia2", "410403", ["anti_counterfeit"]),
                                                  title="卫东区打假", product_line="农资", started_on=D(2026, 3, 1))
    assert other.get(f"/workbench/monitoring/counterfeits/{campaign.pk}/").status_code == 404
    other.post(f"/workbench/monitoring/counterfeits/{theirs.pk}/link/", {"kind": "case", "ref": case.number})
    assert theirs.cases.count() == 0  # the 新华区 case is not theirs to link

    from jianguan.core.services import api_token_create

    headers = {"Authorization": f"Bearer {api_token_create(actor=dajia, name='t')[1]}"}
    out = client.get(f"/api/v1/monitoring/counterfeits/{campaign.pk}", headers=headers).json()
    assert (out["cases"], out["goods"], out["destroyed"]) == (1, 6, 1) and Decimal(out["destroyed_value"]) == 15000
    listed = client.get("/api/v1/monitoring/counterfeits", headers=headers).json()
    assert [c["id"] for c in listed] == [campaign.pk]  # not 卫东区's
    missing = client.post(f"/api/v1/monitoring/counterfeits/{campaign.pk}/links", {"kind": "sample", "ref": "X-1"},
                          content_type="application/json", headers=headers)
    assert missing.status_code == 422 and "未找到样品编号 X-1" in missing.json()["error"]["message"]
