"""A quality supervisor enters a lab result in the wrong unit and is refused, enters it right, sees the product
judged unqualified by the standard's limit, serves the result (objection deadline shown), hands it to enforcement,
publishes the plan, and the public sees the result on the portal."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lab_sample(org):
    from jianguan.sampling import services
    from jianguan.sampling.tests.factories import TODAY, at_lab, drawn_plan, supervisor, values

    user = supervisor("zl_browser")
    plan = drawn_plan(user)
    first, *others = plan.samples.order_by("id")
    for s in others:
        services.result_record(
            actor=user,
            sample=at_lab(user, s),
            values=values(plan.standard),
            lab="检验中心",
            report_no=f"R{s.pk}",
            tested_on=dt.date(2026, 9, 10),
            today=TODAY,
        )
    return at_lab(user, first)


def test_supervisor_records_a_result_follows_it_up_and_publishes(page, lab_sample):
    plan = lab_sample.plan
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("zl_browser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.goto(f"{page.base_url}/workbench/sampling/samples/{lab_sample.pk}/")
    form = page.get_by_test_id("result-form")
    form.get_by_label("过滤效率（≥ 95 %）").fill("93.2")
    form.get_by_label("吸气阻力（≤ 210 Pa）").fill("0.15")
    form.get_by_label("吸气阻力的单位").fill("kPa")
    form.get_by_label("pH 值（4～8.5）").fill("7.1")
    form.get_by_label("检验机构").fill("平顶山市产品质量检验检测中心")
    form.get_by_label("检验报告编号").fill("PZJ2026-0001")
    form.get_by_label("检验完成日期").fill("2026-09-10")
    form.get_by_role("button", name="保存结果").click()
    expect(page.locator(".alert-danger")).to_contain_text("单位应为 Pa")

    form = page.get_by_test_id("result-form")
    form.get_by_label("过滤效率（≥ 95 %）").fill("93.2")
    form.get_by_label("吸气阻力（≤ 210 Pa）").fill("150")
    form.get_by_label("pH 值（4～8.5）").fill("7.1")
    form.get_by_label("检验机构").fill("平顶山市产品质量检验检测中心")
    form.get_by_label("检验报告编号").fill("PZJ2026-0001")
    form.get_by_label("检验完成日期").fill("2026-09-10")
    form.get_by_role("button", name="保存结果").click()
    expect(page.get_by_test_id("sample-status")).to_have_text("不合格")
    expect(page.get_by_test_id("results")).to_contain_text("不符合")

    page.get_by_label("送达日期").fill("2026-09-17")
    page.get_by_role("button", name="登记送达").click()
    expect(page.get_by_test_id("objection-deadline")).to_have_text("2026-10-08")
    page.get_by_role("button", name="移送执法线索").click()
    expect(page.locator(".alert-success")).to_contain_text("已移送执法线索")
    screenshot(page, "sampling-sample")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "sampling-sample-phone")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/workbench/sampling/{plan.code}/")
    page.get_by_role("button", name="公布抽查结果").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("结果已公布")
    page.goto(f"{page.base_url}/sampling/{plan.code}/")
    expect(page.get_by_test_id("public-results")).to_contain_text(lab_sample.entity.name)
    expect(page.get_by_test_id("public-results")).to_contain_text("不合格")
    screenshot(page, "sampling-public")
