"""Every deadline shown can be opened to see how it was counted: on a case (the decision clock and the party's reply
period from the notice's service), a lead (the head's extension handed over from the report), a complaint (the
mediation clock without the testing time) and a list entry (the three years to the end of the anniversary)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date


@pytest.fixture
def records(district_officer, settings, tmp_path):
    from jianguan.complaints import services as cs
    from jianguan.complaints.tests.factories import complaint
    from jianguan.credit import services as credit
    from jianguan.credit.models import Ground
    from jianguan.enforcement import services
    from jianguan.enforcement.tests.factories import business, filed_case, head, lead, officer, reviewer, to_reviewed

    settings.MEDIA_ROOT = tmp_path
    officers = [district_officer, officer("xh_officer2")]
    the_head = head()
    the_lead = lead(actor=district_officer, discovered_on=D(2026, 2, 10))
    services.lead_extend(actor=the_head, lead=the_lead, reason="需调取平台交易数据", on=D(2026, 3, 2))
    case = filed_case(
        actor=district_officer,
        officers=officers,
        on=D(2026, 8, 20),
        case_type="special_equipment",
        the_lead=lead(actor=district_officer, discovered_on=D(2026, 8, 18)),
    )
    to_reviewed(case, actor=district_officer, legal=reviewer(), fine="150000", on=D(2026, 9, 10))
    services.notice_issue(
        actor=district_officer,
        case=case,
        on=D(2026, 9, 21),
        served_on=D(2026, 9, 23),
        method="direct",
        recipient="法定代表人",
        proof="送达回证 7",
    )
    c, _ = complaint(entity=business(), received_on=D(2026, 3, 3))
    cs.complaint_accept(actor=district_officer, complaint=c, on=D(2026, 3, 3))
    cs.mediation_pause_start(
        actor=district_officer, complaint=c, reason="testing", starts_on=D(2026, 4, 7), evidence="检测委托书 JC-9"
    )
    cs.mediation_pause_end(actor=district_officer, complaint=c, ends_on=D(2026, 4, 14))
    shop = business()
    credit.list_enter(
        actor="t",
        entity=shop,
        ground=Ground.UNREACHABLE,
        facts="无法联系",
        ground_arose_on=D(2026, 2, 12),
        today=D(2026, 2, 13),
    )
    return {"lead": the_lead, "case": case, "complaint": c, "entity": shop}


def _login(page, username):
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")


def _open_all(page):
    for summary in page.locator("[data-testid=deadline-explained] summary").all():
        summary.click()


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_each_deadline_explains_how_it_was_counted(page, records, width, height, district_officer):
    from django.contrib.auth.models import Group

    district_officer.groups.add(Group.objects.get(name="complaint_handler"), Group.objects.get(name="credit_officer"))
    page.set_viewport_size({"width": width, "height": height})
    _login(page, "district_officer")

    page.goto(f"{page.base_url}/workbench/enforcement/leads/{records['lead'].pk}/")
    _open_all(page)
    box = page.get_by_test_id("deadline-explained").first
    expect(box).to_contain_text("2026-02-10")
    expect(box).to_contain_text("经负责人新华区局负责人于2026-03-02批准延长 15个工作日；合计 30个工作日")
    expect(box).to_contain_text("2026-03-30")
    screenshot(page, f"clocks-lead-{width}")

    page.goto(f"{page.base_url}/workbench/enforcement/cases/{records['case'].pk}/")
    _open_all(page)
    boxes = page.get_by_test_id("deadline-explained")
    expect(boxes.first).to_contain_text("处理决定期限")
    expect(boxes.nth(1)).to_contain_text("行政处罚事先告知书送达（2026-09-23")
    expect(boxes.nth(1)).to_contain_text("2026-10-08")
    screenshot(page, f"clocks-case-{width}")

    page.goto(f"{page.base_url}/workbench/complaints/{records['complaint'].number}/")
    _open_all(page)
    box = page.get_by_test_id("deadline-explained").first
    expect(box).to_contain_text("检测（《市场监督管理投诉举报处理暂行办法》第二十条")
    expect(box).to_contain_text("2026-05-15")
    screenshot(page, f"clocks-complaint-{width}")

    page.goto(f"{page.base_url}/workbench/credit/entities/{records['entity'].uscc}/")
    _open_all(page)
    boxes = page.get_by_test_id("deadline-explained")
    expect(boxes.first).to_contain_text("2026-03-04")
    expect(boxes.nth(1)).to_contain_text("2029-02-14")
    screenshot(page, f"clocks-list-entry-{width}")


def test_the_abnormal_list_shows_its_clock_on_a_phone(page, records, district_officer):
    """At 390 px the abnormal list stacks each entry (名录, 事由, 列入日期, 状态, 期限 as labelled lines): the clock and
    its explanation are on screen without scrolling sideways (the table used to push them off the right edge)."""
    from django.contrib.auth.models import Group

    district_officer.groups.add(Group.objects.get(name="credit_officer"))
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, "district_officer")
    page.goto(f"{page.base_url}/workbench/credit/lists/?q={records['entity'].uscc}")
    clock = page.get_by_test_id("clock").first
    expect(clock).to_contain_text("2029-02-13")
    box = clock.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    clock.locator("summary").click()
    expect(clock.get_by_test_id("deadline-explained")).to_contain_text("第二百零二条")
    explained = clock.get_by_test_id("deadline-explained").bounding_box()
    assert explained["x"] + explained["width"] <= 390
    screenshot(page, "credit-abnormal-list-390")
