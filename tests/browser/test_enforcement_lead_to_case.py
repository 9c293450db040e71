"""A case officer asks to file a lead from its page, the head of the unit approves (立案审批), the case opens with its
decision deadline; the officer is refused a fine above the statutory maximum with the reason shown and nothing
changed, then concludes the investigation."""

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def the_lead(district_officer, settings, tmp_path):
    from jianguan.enforcement.tests.factories import head, lead, officer

    settings.MEDIA_ROOT = tmp_path
    officer("xh_officer2")  # the second officer a case needs
    head()  # the head who approves the filing
    return lead(actor=district_officer, description="双随机抽查发现使用未经检定的电子秤")


def open_step(page, label: str):
    """Open a step's card on a lead or case page and return its form."""
    page.get_by_role("button", name=label, exact=True).first.click()
    return page.locator(
        f"#act-{ {'提请立案审批': 'request_filing', '批准立案': 'approve_filing', '调查终结': 'conclude'}[label] } form"
    )


def _login(page, username):
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")


def test_officer_files_a_lead_and_concludes_the_case(page, the_lead):
    from jianguan.enforcement.models import Case, CaseStatus

    _login(page, "district_officer")
    page.goto(f"{page.base_url}/workbench/enforcement/leads/{the_lead.pk}/")
    expect(page.get_by_test_id("deadline")).to_contain_text("立案决定期限")
    form = open_step(page, "提请立案审批")
    form.get_by_label("案件类型").select_option("metrology")
    form.get_by_label("案由").fill("使用未经检定的计量器具")
    form.get_by_label("当事人类型").select_option("organisation")
    for box in form.locator("input[name='request_filing-officers']").all():
        box.check()
    form.get_by_label("立案日期").fill("2026-03-04")
    form.get_by_role("button", name="提请立案审批").click()
    expect(page.get_by_test_id("filing-requests")).to_contain_text("待负责人审批")

    _login(page, "xh_head")
    page.goto(f"{page.base_url}/workbench/enforcement/leads/{the_lead.pk}/")
    form = open_step(page, "批准立案")
    form.get_by_label("批准日期").fill("2026-03-05")
    form.get_by_role("button", name="批准立案").click()
    page.wait_for_url("**/workbench/enforcement/cases/*/")
    _login(page, "district_officer")
    page.goto(f"{page.base_url}/workbench/enforcement/cases/{Case.objects.get(lead=the_lead).pk}/")
    case = Case.objects.get(lead=the_lead)
    expect(page.get_by_test_id("status")).to_have_text("已立案（调查取证）")
    expect(page.get_by_test_id("deadline")).to_contain_text("2026年6月3日")
    expect(page.get_by_test_id("officers")).to_contain_text("xh_officer2")
    expect(page.locator("h1")).to_contain_text(case.number)

    form = open_step(page, "调查终结")
    form.get_by_label("调查终结报告").fill("经查，当事人在经营场所使用未经检定的电子秤 3 台。")
    form.get_by_label("处理意见").select_option("penalty")
    form.get_by_role("checkbox", name="罚款", exact=True).check()
    form.get_by_label("拟罚款（元）").fill("20001")
    form.get_by_label("调查终结日期").fill("2026-03-20")
    form.get_by_role("button", name="调查终结").click()
    expect(page.locator("body")).to_contain_text("超过法定最高限额")
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED  # refused: nothing changed

    form = page.locator("#act-conclude form")  # the refused form comes back open, with what was typed
    expect(form.get_by_label("调查终结报告")).to_have_value("经查，当事人在经营场所使用未经检定的电子秤 3 台。")
    form.get_by_label("拟罚款（元）").fill("5000")
    form.get_by_role("button", name="调查终结").click()
    expect(page.get_by_test_id("status")).to_have_text("调查终结")
    expect(page.get_by_test_id("discretion")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATED
    screenshot(page, "enforcement-case")
