"""#20: a register row is corrected from the list (the entry form pre-filled, a reason required, the change shown in
the row's history) and withdrawn (a reason; gone from the list, shown under 已撤回) — at desktop and phone width."""

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD, staff

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader(org):
    from jianguan.registry.tests.factories import EntityFactory
    from jianguan.standards import services

    officer = staff("bz_corrector", "410400BZ", ["standards_officer"], credential=False)
    return services.leader_create(
        actor=officer,
        entity=EntityFactory(name="平顶山某电缆有限公司"),
        product="电力电缆",
        standard_number="Q/PDSDL 001-2024",
        year=2025,
        evaluator="某评估机构",
    )


def test_row_corrected_then_withdrawn_from_the_list(page, leader):
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("bz_corrector")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.goto(f"{page.base_url}/workbench/standards/leaders/")
    table = page.get_by_test_id("register-table")
    table.get_by_test_id("row-correct").first.click()
    assert page.get_by_label("产品/服务").input_value() == "电力电缆"  # the entry form, pre-filled
    page.get_by_label("评估机构").fill("河南省标准化研究院")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("请填写更正理由")).to_be_visible()
    page.get_by_label("更正理由（必填）").fill("评估机构名称录入有误")
    screenshot(page, "register-correct-1366")
    page.get_by_role("button", name="保存更正").click()
    events = page.get_by_test_id("row-events")
    expect(events.get_by_text("评估机构名称录入有误")).to_be_visible()
    expect(events.get_by_text("河南省标准化研究院")).to_be_visible()
    expect(events.get_by_text("某评估机构")).to_be_visible()

    page.get_by_test_id("row-withdraw").click()
    page.get_by_label("理由").fill("该企业已撤回领跑者声明")
    page.get_by_role("button", name="确认撤回").click()
    expect(page.get_by_test_id("row-withdrawn")).to_be_visible()
    screenshot(page, "register-row-history-1366")
    page.goto(f"{page.base_url}/workbench/standards/leaders/")
    expect(page.get_by_text("暂无记录")).to_be_visible()
    page.get_by_label("状态").select_option("withdrawn")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**state=withdrawn**")
    expect(page.get_by_test_id("register-table").get_by_text("已撤回")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "register-withdrawn-list-390")
    page.get_by_test_id("row-history").first.click()
    screenshot(page, "register-row-history-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/standards/leaders/?state=all")
    screenshot(page, "register-list-all-1366")


def test_withdrawn_row_shows_its_badge_on_its_own_page(page, org):
    """The row's own page (here a pilot project) says 已撤回 with the reason and links the row's history."""
    import datetime as dt

    from jianguan.standards import services

    officer = staff("bz_pilots", "410400BZ", ["standards_officer"], credential=False)
    pilot = services.pilot_create(
        actor=officer,
        name="宝丰县汝瓷标准化试点",
        level="city",
        field="industry",
        undertaker="宝丰县某汝瓷有限公司",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("bz_pilots")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.goto(f"{page.base_url}/workbench/standards/pilots/{pilot.pk}/")
    assert page.get_by_test_id("register-withdrawn").count() == 0
    page.get_by_test_id("register-history").click()
    page.get_by_test_id("row-withdraw").click()
    page.get_by_label("理由").fill("项目已由省局立项，市级重复登记")
    page.get_by_role("button", name="确认撤回").click()
    expect(page.get_by_test_id("row-withdrawn")).to_be_visible()
    page.goto(f"{page.base_url}/workbench/standards/pilots/{pilot.pk}/")
    badge = page.get_by_test_id("register-withdrawn")
    expect(badge.get_by_text("已撤回")).to_be_visible()
    expect(badge.get_by_text("项目已由省局立项，市级重复登记")).to_be_visible()
    screenshot(page, "register-withdrawn-badge-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(badge).to_be_visible()
    screenshot(page, "register-withdrawn-badge-390")
    badge.get_by_test_id("register-history").click()
    expect(page.get_by_test_id("row-events").get_by_text("项目已由省局立项，市级重复登记")).to_be_visible()
