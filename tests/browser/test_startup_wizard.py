"""An applicant checks a name and declares it (用此名称申报), is told which licences the business scope needs, adds a
second shareholder block, commits to the low-risk permit (一照通行), submits, sees 已核准 with the permit granted,
downloads the licence PDF, and finds the permit on the public page the licence's QR code opens."""

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
    page.goto(f"{page.base_url}/startup/name-check/")
    page.locator("#id_name").fill("平顶山市青松商贸有限公司")
    page.get_by_test_id("name-check-result").get_by_text("可以申报").wait_for()
    screenshot(page, "startup-name-check")
    page.get_by_test_id("apply-with-name").click()
    page.wait_for_url("**/step/name/")
    assert page.locator("#id_name_trade").input_value() == "青松"
    page.get_by_test_id("name-check-result").get_by_text("可以申报").wait_for()
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/step/basics/")
    page.locator("#id_division").select_option("410402")
    page.locator("#id_address").fill("建设路18号")
    page.locator("#id_registered_capital").fill("100")
    assert page.locator("#id_industry option[value='92']").count() == 0  # 国家机构: not a market entity's
    page.locator("#id_industry").select_option("51")
    page.locator("#id_business_scope").fill("日用百货销售；食品销售（仅销售预包装食品）；糕点制造")
    page.get_by_test_id("scope-permits").get_by_text("食品生产许可证").wait_for()
    screenshot(page, "startup-scope-permits")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/step/people/")
    page.locator("#id_legal_rep_name").fill("张申请")
    page.locator("#id_legal_rep_id_no").fill(factories.id_number(1))
    page.locator("#id_legal_rep_phone").fill("13900000001")
    page.locator('[name="sh-0-name"]').fill("张申请")
    page.locator('[name="sh-0-id_no"]').fill(factories.id_number(1))
    page.locator('[name="sh-0-subscribed_capital"]').fill("60")
    page.locator('[name="sh-0-share_pct"]').fill("60")
    page.locator('[name="sh-0-contribution_date"]').fill("2035-12-31")
    assert page.locator('[name="sh-1-name"]').count() == 0  # one block to start
    page.get_by_test_id("add-shareholder").click()
    page.locator('[name="sh-1-name"]').fill("李股东")
    page.locator('[name="sh-1-id_no"]').fill(factories.id_number(2))
    page.locator('[name="sh-1-subscribed_capital"]').fill("40")
    page.locator('[name="sh-1-share_pct"]').fill("40")
    page.locator('[name="sh-1-contribution_date"]').fill("2035-12-31")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/step/review/")
    page.get_by_label("仅销售预包装食品备案").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/startup/applications/*/")
    assert page.get_by_test_id("state").inner_text() == "已核准"
    uscc = page.get_by_test_id("uscc").inner_text()
    assert uscc.startswith("9141040")
    assert "仅销售预包装食品备案" in page.get_by_test_id("granted-permits").inner_text()
    screenshot(page, "startup-approved")
    with page.expect_download() as info:
        page.get_by_test_id("licence-download").click()
    download = info.value
    path = download.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert download.suggested_filename.startswith("licence-")

    page.goto(f"{page.base_url}/entities/{uscc}/licences/")
    card = page.get_by_test_id("held-licence")
    assert "仅销售预包装食品备案" in card.inner_text() and "告知承诺" in card.inner_text()
    screenshot(page, "startup-one-licence")
