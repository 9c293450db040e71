"""Advertising monitoring: a category without its 广告法 rule is refused, a cited article must apply to the
category, reviewed categories are checked against their approval number (第四十六条), an illegal ad becomes a lead
once, statistics by medium and category are hand-counted, and the list, export, API and scope hold."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.errors import ValidationFailed
from jianguan.core.scope import EVERYTHING
from jianguan.core.tests.factories import staff
from jianguan.enforcement.models import Lead, LeadSource
from jianguan.enforcement.tests.factories import business
from jianguan.ip.tests.xlsx import read, upload, xlsx
from jianguan.monitoring import selectors, services
from jianguan.monitoring.models import Ad, Review
from jianguan.workplan import metrics

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _ad(actor, advertiser, **kw):
    values = dict(medium="tv", outlet="平顶山电视台公共频道", advertiser=advertiser, category="medical",
                  product="某某医院男科", claim="三天根治，无效退款", observed_on=DAY, approval_no="", article="16")
    values.update(kw)
    return services.ad_record(actor=actor, **values)


def test_a_category_without_its_rule_is_refused_and_an_article_must_fit_the_category(monitor):
    firm = business()
    with pytest.raises(ValidationFailed, match="没有对应的《中华人民共和国广告法》条款规则") as exc:
        _ad(monitor, firm, category="real_estate")
    assert exc.value.field == "category"
    with pytest.raises(ValidationFailed, match="第二十四条不适用于医疗广告") as exc:
        _ad(monitor, firm, article="24")
    assert exc.value.field == "article"
    assert Ad.objects.count() == 0


def test_import_names_row_and_column_of_a_category_without_rule(monitor, login):
    firm = business()
    headers = ["媒介", "发布媒体或地点", "广告主统一社会信用代码", "广告类别", "商品或服务", "广告内容（宣称）", "监测日期",
               "违反条款"]
    data = xlsx([headers, ["电视", "台", firm.uscc, "医疗", "门诊", "根治", "2026-03-02", "第十六条"],
                 ["报刊", "晚报", firm.uscc, "房地产", "楼盘", "升值翻倍", "2026-03-02", ""]])
    response = login(monitor).post("/workbench/monitoring/ads/import/", {"file": upload(data)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "第 3 行" in html and "广告类别" in html and "房地产" in html and "没有对应的" in html
    assert Ad.objects.count() == 0


@pytest.mark.parametrize("case, expected", [
    ("none", Review.MISSING), ("wrong_kind", Review.MALFORMED), ("unknown", Review.UNKNOWN),
    ("other_advertiser", Review.MISMATCH), ("expired", Review.EXPIRED), ("valid", Review.APPROVED)])
def test_reviewed_ads_are_checked_against_their_approval_number(monitor, case, expected):
    firm, other = business(), business()
    services.approval_create(actor=monitor, number="豫药广审（视）第260101-00012号", category="drugs",
                             advertiser=firm, product="某某颗粒", valid_from=dt.date(2026, 1, 1),
                             valid_until=dt.date(2026, 6, 30))
    number = {"none": "", "wrong_kind": "豫械广审（视）第260101-00012号", "unknown": "豫药广审（视）第260101-99999号",
              "other_advertiser": "豫药广审（视）第260101-00012号", "expired": "豫药广审（视）第260101-00012号",
              "valid": "豫药广审（视）第260101-00012号"}[case]
    ad = _ad(monitor, other if case == "other_advertiser" else firm, category="drugs", product="某某颗粒",
             claim="请按药品说明书购买和使用", article="", approval_no=number,
             observed_on=dt.date(2026, 7, 1) if case == "expired" else DAY)
    assert ad.review == expected
    if expected == Review.APPROVED:
        assert not ad.violation and ad.article == "" and ad.approval is not None
    else:  # 未经审查发布: 广告法 第四十六条 even though the officer cited nothing
        assert ad.violation and ad.article == "46"


def test_education_ads_need_no_approval_and_approvals_only_for_reviewed_categories(monitor):
    firm = business()
    ad = _ad(monitor, firm, category="education", product="考研班", claim="寓教于乐", article="")
    assert ad.review == Review.NOT_REQUIRED and not ad.violation
    with pytest.raises(ValidationFailed, match="无须事先审查"):
        services.approval_create(actor=monitor, number="第1号", category="education", advertiser=firm,
                                 product="x", valid_from=DAY, valid_until=DAY)
    with pytest.raises(ValidationFailed, match="不是药品广告的批准文号"):
        services.approval_create(actor=monitor, number="豫械广审（文）第260101-00001号", category="drugs",
                                 advertiser=firm, product="x", valid_from=DAY, valid_until=DAY)


def test_an_illegal_medical_ad_becomes_a_lead_once_citing_the_article(monitor, login):
    firm = business()
    ad = _ad(monitor, firm)
    lawful = _ad(monitor, firm, category="education", claim="课程介绍", article="")
    client = login(monitor)
    page = client.get(f"/workbench/monitoring/ads/{ad.pk}/").content.decode()
    assert "第十六条" in page and "第五十八条" in page and 'data-testid="to-lead"' in page
    client.post(f"/workbench/monitoring/ads/{ad.pk}/lead/")
    client.post(f"/workbench/monitoring/ads/{ad.pk}/lead/")  # double click
    ad.refresh_from_db()
    lead = Lead.objects.get()
    assert ad.lead_id == lead.pk and lead.source_kind == LeadSource.MONITORING and lead.entity_id == firm.pk
    assert "第十六条" in lead.description and "三天根治" in lead.description and lead.discovered_on == DAY
    with pytest.raises(ValidationFailed, match="未认定违反"):
        services.ad_to_lead(actor=monitor, ad=lawful)
    assert Lead.objects.count() == 1


def test_statistics_by_medium_and_category_hand_counted_and_exported(monitor, login):
    firm = business()
    _ad(monitor, firm)  # tv medical illegal
    _ad(monitor, firm, claim="x2")  # tv medical illegal
    _ad(monitor, firm, medium="online", category="finance", claim="保本保息", article="25")
    _ad(monitor, firm, medium="online", category="finance", claim="利率见公告", article="")
    _ad(monitor, firm, medium="print", category="education", claim="招生", article="",
        observed_on=dt.date(2025, 12, 30))  # last year: not counted
    services.ad_to_lead(actor=monitor, ad=Ad.objects.filter(category="finance", violation=True).get())
    stats = selectors.ad_statistics(selectors.ads_for(monitor), 2026)
    assert (stats.total.ads, stats.total.violations, stats.total.leads) == (4, 3, 1)
    assert (stats.cells[("tv", "medical")].ads, stats.cells[("tv", "medical")].violations) == (2, 2)
    assert (stats.cells[("online", "finance")].ads, stats.cells[("online", "finance")].violations) == (2, 1)
    assert stats.by_medium["print"].ads == 0 and stats.by_category["finance"].leads == 1
    assert [(a.title, n) for a, n in stats.by_article] == [("第十六条", 2), ("第二十五条", 1)]

    client = login(monitor)
    rows = read(client.get("/workbench/monitoring/ads/statistics/export.xlsx?year=2026").content)
    header = rows[1]
    tv = next(r for r in rows if r[0] == "电视")
    assert tv[header.index("医疗监测")] == 2 and tv[header.index("医疗违法")] == 2
    assert tv[header.index("合计监测")] == 2
    total = next(r for r in rows if r[0] == "合计")
    assert total[header.index("合计监测")] == 4 and total[header.index("合计违法")] == 3
    page = client.get("/workbench/monitoring/ads/statistics/?year=2026").content.decode()
    assert 'data-testid="ad-stats"' in page and "第二十五条" in page


def test_list_query_count_card_scope_and_api(monitor, login, client, django_assert_max_num_queries):
    firm = business()
    ad = _ad(monitor, firm)
    for i in range(3):
        _ad(monitor, firm, claim=f"c{i}")
    c = login(monitor)
    with django_assert_max_num_queries(16):
        assert c.get("/workbench/monitoring/ads/").status_code == 200
    for i in range(10):
        _ad(monitor, firm, claim=f"more{i}", medium="radio")
    with django_assert_max_num_queries(16):
        listing = c.get("/workbench/monitoring/ads/")
    assert "某某医院男科" in listing.content.decode()
    home = c.get("/workbench/").content.decode()
    assert 'data-testid="ads-card"' in home

    other = staff("wd_ads", "410403", ["online_monitor"], credential=False)
    oc = login(other)
    assert oc.get(f"/workbench/monitoring/ads/{ad.pk}/").status_code == 404
    assert oc.post(f"/workbench/monitoring/ads/{ad.pk}/lead/").status_code == 404
    assert "某某医院男科" not in oc.get("/workbench/monitoring/ads/").content.decode()

    from jianguan.core.services import api_token_create

    headers = {"Authorization": f"Bearer {api_token_create(actor=monitor, name='t')[1]}"}
    out = client.post(f"/api/v1/monitoring/ads/{ad.pk}/lead", headers=headers)
    assert out.status_code == 200 and out.json()["lead"] == Lead.objects.get().pk
    stats = client.get("/api/v1/monitoring/ads/statistics?year=2026", headers=headers).json()
    assert stats["ads"] == 14 and stats["violations"] == 14 and stats["leads"] == 1
    bad = client.post("/api/v1/monitoring/ads", {"medium": "电视", "outlet": "台", "advertiser": firm.uscc,
                                                 "category": "烟草", "product": "x", "claim": "y",
                                                 "observed_on": "2026-03-02"},
                      content_type="application/json", headers=headers)
    assert bad.status_code == 422 and "“烟草”没有对应的" in bad.json()["error"]["message"]


def test_metrics_count_illegal_ads_and_leads(monitor):
    firm = business()
    ad = _ad(monitor, firm)
    _ad(monitor, firm, category="education", claim="课程", article="")
    ctx = metrics.Context(scope=EVERYTHING, year=2026, today=timezone.localdate())
    assert metrics.compute("monitoring.illegal_ads", ctx).value == 1
    assert metrics.compute("monitoring.ad_leads", ctx).value == 0
    services.ad_to_lead(actor=monitor, ad=ad)
    assert metrics.compute("monitoring.ad_leads", ctx).value == 1
