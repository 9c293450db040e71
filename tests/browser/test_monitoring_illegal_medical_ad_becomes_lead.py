"""The online monitor records an illegal medical ad seen on TV (a category without its rule is refused on the form),
sees the article it breaks, hands it to enforcement in one click (a second click changes nothing) and finds it in the
statistics by medium and category — at desktop and phone width."""

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD, staff

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def firm(org):
    from jianguan.enforcement.tests.factories import business

    staff("ads_browser", "410400ZF", ["online_monitor"], credential=False, name="广告监测员")
    return business(name="平顶山某某男科医院有限公司")


def test_an_illegal_medical_ad_becomes_a_lead(page, firm):
    from jianguan.enforcement.models import Lead

    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("ads_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    expect(page.get_by_test_id("ads-card")).to_be_visible()
    page.get_by_test_id("nav").get_by_role("link", name="广告监测记录").click()
    page.get_by_test_id("register-new").click()
    page.get_by_label("媒介").select_option(label="电视")
    page.get_by_label("发布媒体或地点").fill("平顶山电视台公共频道")
    page.get_by_label("广告主统一社会信用代码").fill(firm.uscc)
    page.get_by_label("广告类别").fill("房地产")
    page.get_by_label("商品或服务").fill("男科门诊")
    page.get_by_label("广告内容（宣称）").fill("三天根治，无效退款，治愈率98%")
    page.get_by_label("监测日期").fill("2026-03-02")
    page.get_by_label("违反条款").fill("第十六条")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("“房地产”没有对应的《中华人民共和国广告法》条款规则").first).to_be_visible()
    page.get_by_label("广告类别").fill("医疗")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("register-table").get_by_role("link", name="电视").first.click()
    assert "第十六条" in page.get_by_test_id("article").inner_text()
    assert "未标明批准文号" in page.get_by_test_id("review").inner_text()
    screenshot(page, "monitoring-illegal-ad")
    page.get_by_test_id("to-lead").click()
    link = page.get_by_test_id("lead-link")
    expect(link).to_be_visible()
    lead = Lead.objects.get()
    assert "第十六条" in lead.description and lead.entity_id == firm.pk
    page.go_back()
    page.reload()
    if page.get_by_test_id("to-lead").count():  # a stale page posted again: still one lead
        page.get_by_test_id("to-lead").click()
    assert Lead.objects.count() == 1

    page.goto(f"{page.base_url}/workbench/monitoring/ads/statistics/?year=2026")
    stats = page.get_by_test_id("ad-stats")
    assert "1 / 1" in stats.get_by_role("row", name="电视").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "monitoring-ad-statistics-phone")
    expect(page.get_by_test_id("ad-totals")).to_be_visible()
