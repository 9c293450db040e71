"""A food supervisor grades a restaurant on the checklist (an incomplete one is refused first), and the public sees
the grade as a face on the portal with the badge; the public page reads on a phone."""

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def restaurant(org):
    from jianguan.food.tests.factories import supervisor
    from jianguan.food.tests.test_grading_checklist_score_grade_and_annual import caterer

    supervisor("sp_browser")
    return caterer(name="平顶山市新华区老王烩面馆有限公司")


def test_supervisor_grades_a_restaurant_and_the_public_sees_it(page, restaurant):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("sp_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.goto(f"{page.base_url}/workbench/food/gradings/new/")
    page.get_by_label("餐饮单位统一社会信用代码").fill(restaurant.uscc)
    items = page.locator("fieldset[data-testid^='item_']")
    count = items.count()
    for i in range(count - 1):  # leave the last item unanswered
        items.nth(i).get_by_label("符合", exact=True).check()
    page.get_by_role("button", name="评定并公示").click()
    expect(page.get_by_text("未填写是否符合，不能评定等级")).to_be_visible()
    items.nth(count - 1).get_by_label("不符合", exact=True).check()
    page.get_by_role("button", name="评定并公示").click()
    page.wait_for_url("**/gradings/*/")
    expect(page.get_by_test_id("grading-result")).to_contain_text("优秀")
    screenshot(page, "food-grading-1366")
    page.get_by_role("link", name="门户公示页").click()
    expect(page.get_by_test_id("food-latest")).to_contain_text("优秀")
    expect(page.get_by_test_id("face-excellent").first).to_be_visible()
    expect(page.locator("img[src*='/food/badge/']")).to_be_visible()
    screenshot(page, "food-public-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/food/?q=老王")
    expect(page.get_by_test_id("food-grades")).to_contain_text(restaurant.name)
    screenshot(page, "food-public-390")
