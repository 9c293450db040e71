"""An applicant fills the start-up wizard with a clean name, submits, sees 已核准 and downloads the licence PDF."""

import pytest

from jianguan.core.tests.factories import PASSWORD
from jianguan.startup.tests import factories

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def applicant(org):
    factories.industry("51")
    return factories.applicant("13900000001", name="张申请", phone="13900000001")


def test_applicant_registers_a_company_and_downloads_the_licence(page, applicant):
    page.goto(f"{page.base_url}/account/login/?next=/startup/")
    page.locator("#id_username").fill("13900000001")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/startup/")
    page.get_by_role("button", name="开始设立登记").click()
    page.wait_for_url("**/step/name/")

    page.locator("#id_name_division").select_option("平顶山市")
    page.locator("#id_name_trade").fill("青松")
    page.locator("#id_name_industry").fill("商贸")
    page.locator("#id_name_form").select_option("有限公司")
    page.get_by_test_id("name-check-result").get_by_text("可以申报").wait_for()
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/step/basics/")
    page.locator("#id_division").select_option("410402")
    page.locator("#id_address").fill("建设路18号")
    page.locator("#id_registered_capital").fill("100")
    page.locator("#id_industry").select_option("51")
    page.locator("#id_business_scope").fill("日用百货销售；五金产品零售")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/step/people/")
    page.locator("#id_legal_rep_name").fill("张申请")
    page.locator("#id_legal_rep_id_no").fill(factories.id_number(1))
    page.locator("#id_legal_rep_phone").fill("13900000001")
    page.locator('[name="sh-0-name"]').fill("张申请")
    page.locator('[name="sh-0-id_no"]').fill(factories.id_number(1))
    page.locator('[name="sh-0-subscribed_capital"]').fill("100")
    page.locator('[name="sh-0-share_pct"]').fill("100")
    page.locator('[name="sh-0-contribution_date"]').fill("2035-12-31")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/step/review/")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/startup/applications/*/")
    assert page.get_by_test_id("state").inner_text() == "已核准"
    assert page.get_by_test_id("uscc").inner_text().startswith("9141040")
    screenshot(page, "startup-approved")
    with page.expect_download() as info:
        page.get_by_test_id("licence-download").click()
    download = info.value
    path = download.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert download.suggested_filename.startswith("licence-")
