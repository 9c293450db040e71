"""A citizen searches the portal by a name fragment, opens the entity's public record and sees its registration,
licences, annual report, inspection result with the enterprise's reply and complaint figures — on a desktop
and on a phone, with nothing private on the page. (The README's screenshots come from the demo database, never
from these fixtures: docs/screenshots/regenerate.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianguan.portal import services
from jianguan.portal.tests.conftest import SECRETS, enterprise, world  # noqa: F401  (fixtures)

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_by_name_fragment_to_the_public_record(page, world, enterprise):  # noqa: F811
    company, task = world["company"], world["task"]
    services.notice_save(
        actor="test",
        title="关于开展2025年度年度报告公示工作的通告",
        body="请按期报送。",
        published_on=world["today"],
        pinned=True,
    )
    services.reply_post(
        actor=enterprise,
        object_type="inspections.inspectiontask",
        object_id=str(task.pk),
        body="我公司已按要求完成整改。",
    )

    page.goto(f"{page.base_url}/")
    expect(page.get_by_role("link", name="关于开展2025年度年度报告公示工作的通告")).to_be_visible()
    screenshot(page, "portal-home")
    page.get_by_label("企业名称或统一社会信用代码").fill("放心粮油")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/search/**")
    page.get_by_role("link", name=company.name).click()
    page.wait_for_url(f"**/entities/{company.uscc}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(company.name)
    expect(page.locator("#legal-rep")).to_have_text("赵大成")
    record = page.locator("main")
    expect(record).to_contain_text("JY14104020012345")
    expect(record).to_contain_text(f"{world['today'].year - 1} 年度报告")
    expect(record).to_contain_text("发现问题已责令改正")
    expect(page.locator(".reply")).to_contain_text("我公司已按要求完成整改。")
    expect(record).to_contain_text("收到投诉 3 件")
    html = page.content()
    assert not [k for k, v in SECRETS.items() if v in html]
    screenshot(page, "portal-entity")

    # a full code goes straight to the record; an individual business shows its operator masked
    page.goto(f"{page.base_url}/search/?q={world['shop'].uscc.lower()}")
    page.wait_for_url(f"**/entities/{world['shop'].uscc}/")
    expect(page.locator("#legal-rep")).to_have_text("王*明")
    expect(page.locator("main")).to_contain_text("通过登记的住所或者经营场所无法联系")


def test_the_record_reads_on_a_phone(browser, live_server, world):  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/entities/{world['company'].uscc}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # no sideways scrolling: the page fits the phone's width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # landmarks and a skip link for screen readers
    assert page.locator("main#main").count() == 1 and page.locator("header").count() >= 1
    assert page.get_by_role("link", name="跳到正文").count() == 1
    context.close()
