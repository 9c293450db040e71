"""The standards officer registers an enterprise's standard (a number in the wrong format refused on the form),
takes a local standard from 立项 through 征求意见, and the public page lists the published ones."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD, staff

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(org):
    from jianguan.registry.tests.factories import EntityFactory
    from jianguan.standards import services

    officer = staff("bz_browser", "410400BZ", ["standards_officer"], credential=False)
    draft = services.local_standard_create(
        actor=officer, title="汝瓷烧制工艺规范", drafter="汝州市汝瓷协会", proposed_on=dt.date(2026, 1, 5)
    )
    return EntityFactory(name="平顶山某电缆有限公司"), draft


def test_standard_number_checked_and_local_standard_moved_through_stages(page, setup):
    firm, draft = setup
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("bz_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    nav = page.get_by_test_id("nav")
    nav.get_by_role("link", name="企业执行和制定的标准").click()
    page.get_by_test_id("register-new").click()
    page.get_by_label("企业统一社会信用代码").fill(firm.uscc)
    page.get_by_label("标准类别").select_option("local")
    page.get_by_label("标准编号").fill("GB/T 19001-2016")
    page.get_by_label("标准名称").fill("质量管理体系 要求")
    page.get_by_label("企业的作用").select_option("adopted")
    page.get_by_label("自我声明公开/发布日期").fill("2026-03-01")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("不符合地方标准的编号规则")).to_be_visible()
    page.get_by_label("标准类别").select_option("national")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("register-table").get_by_text("GB/T 19001-2016")).to_be_visible()

    nav.get_by_role("link", name="地方标准制修订").click()
    page.get_by_test_id("register-table").get_by_role("link", name="汝瓷烧制工艺规范").click()
    page.get_by_label("日期").fill("2026-01-20")
    page.get_by_role("button", name="进入起草").click()
    page.get_by_label("日期").fill("2026-03-02")
    page.get_by_label("征求意见截止").fill("2026-03-20")
    page.get_by_role("button", name="进入征求意见").click()
    expect(page.get_by_text("不少于 30 日")).to_be_visible()
    page.get_by_label("征求意见截止").fill("2026-04-02")
    page.get_by_role("button", name="进入征求意见").click()
    expect(page.get_by_test_id("stages").get_by_text("征求意见")).to_be_visible()
    screenshot(page, "standards-local")
    page.goto(f"{page.base_url}/standards/")
    expect(page.get_by_test_id("public-local")).to_be_visible()
