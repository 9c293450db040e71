"""A leader logs in, lands on the dashboard and follows a bar of the entities chart down to the list behind it."""

import pytest

from jianguan.core.tests.factories import PASSWORD, staff

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(org):
    from jianguan.complaints.tests.factories import business

    business(unit="41040201", name="平顶山鹰城商贸有限公司")
    business(unit="41040301", name="卫东区某商店有限公司")
    return staff("leader_b", "410400", ["bureau_leader"], credential=False, name="局长")


def test_leader_lands_on_the_dashboard_and_a_bar_opens_its_list(page, city):
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("leader_b")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/dashboard/")
    page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('chart-units'))")
    screenshot(page, "dashboard-leader")
    page.locator("#chart-units").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    # the pixel of the 卫东区局 bar, from the chart itself, then a real mouse click on it
    x, y = page.evaluate("""() => {
        const el = document.getElementById('chart-units');
        const chart = echarts.getInstanceByDom(el);
        const labels = chart.getOption().xAxis[0].data;
        const i = labels.indexOf('卫东区局');
        const [px, py] = chart.convertToPixel({seriesIndex: 0}, [i, 0.5]);
        const box = el.getBoundingClientRect();
        return [box.left + px, box.top + py - 2];
    }""")
    page.mouse.click(x, y)
    page.wait_for_url(lambda url: "unit=410403" in url)
    assert page.get_by_text("卫东区某商店有限公司").count() >= 1
    assert page.get_by_text("平顶山鹰城商贸有限公司").count() == 0
