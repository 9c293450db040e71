"""The IP officer registers a GI user (one outside the area is refused on the form), imports a file with a bad
row (nothing imported, the row named), opens the campaign statistics; the public sees the GI users."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD, staff

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(org):
    from jianguan.core.models import Division, OrgUnit
    from jianguan.ip import services
    from jianguan.registry.tests.factories import EntityFactory

    officer = staff("zc_browser", "410400ZC", ["ip_officer"], credential=False, name="知识产权科科员")
    services.gi_product_create(
        actor=officer,
        name="郏县红牛",
        kind="product",
        registration_no="演示-001",
        holder="郏县人民政府",
        area=["410425"],
        approved_on=dt.date(2011, 5, 1),
    )
    inside = EntityFactory(
        name="郏县红牛养殖专业合作社",
        unit=OrgUnit.objects.get(code="410425"),
        division=Division.objects.get(code="410425"),
    )
    outside = EntityFactory(
        name="宝丰某肉业有限公司", unit=OrgUnit.objects.get(code="410421"), division=Division.objects.get(code="410421")
    )
    return inside, outside


def _login(page):
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("zc_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")


def test_ip_officer_registers_gi_users_and_reads_the_campaign_report(page, setup, tmp_path):
    inside, outside = setup
    _login(page)
    expect(page.get_by_test_id("ip-card")).to_be_visible()
    page.get_by_test_id("nav").get_by_role("link", name="地理标志专用标志使用人").click()
    page.get_by_test_id("register-new").click()
    page.get_by_label("地理标志名称").fill("郏县红牛")
    page.get_by_label("使用人统一社会信用代码").fill(outside.uscc)
    page.get_by_label("核准/备案日期").fill("2026-03-01")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("不在“郏县红牛”的产地范围内")).to_be_visible()
    screenshot(page, "ip-gi-user-refused")
    page.get_by_label("使用人统一社会信用代码").fill(inside.uscc)
    page.get_by_role("button", name="保存").click()
    table = page.get_by_test_id("register-table")
    expect(table.get_by_text("郏县红牛养殖专业合作社")).to_be_visible()

    # An import file with one row outside the area: nothing imported, the row and column named.
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["地理标志名称", "使用人统一社会信用代码", "核准/备案日期"])
    wb.active.append(["郏县红牛", outside.uscc, "2026-03-02"])
    path = tmp_path / "users.xlsx"
    wb.save(path)
    page.get_by_role("link", name="Excel 导入").click()
    page.get_by_label(".xlsx 文件").set_input_files(str(path))
    page.get_by_role("button", name="导入").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors.get_by_text("第 2 行")).to_be_visible()
    expect(errors.get_by_text("使用人统一社会信用代码", exact=True)).to_be_visible()

    page.get_by_test_id("nav").get_by_role("link", name="专项行动统计").click()
    expect(page.get_by_test_id("campaign-huhang")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("stats-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "ip-statistics-phone")

    page.goto(f"{page.base_url}/ip/gi/")
    product = page.get_by_test_id("gi-product")
    expect(product.get_by_text("郏县红牛养殖专业合作社")).to_be_visible()
    assert product.get_by_text("宝丰某肉业有限公司").count() == 0
