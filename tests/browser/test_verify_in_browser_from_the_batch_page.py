"""A citizen opens a published batch, clicks "在浏览器中验证", watches the progress bar and reads "验证通过"; a tampered
bundle chosen with the file picker or dropped on the page is refused naming the first difference as draw.py does;
a long verification can be cancelled; the page reads on a phone."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jianguan.inspections import draw
from jianguan.portal.tests.conftest import world  # noqa: F401  (fixture)

from .conftest import screenshot
from .verifier_js import VERIFY_HTML, python_verdict

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_draw import RANDOMNESS, build_manifest  # noqa: E402


def _published_bundle(batch) -> dict:
    batch.refresh_from_db()
    return json.loads(batch.bundle)


def test_from_the_batch_page_to_verified(page, world):  # noqa: F811
    batch = world["batch"]
    page.goto(f"{page.base_url}/inspections/plans/{batch.plan.code}/batches/1/")
    page.get_by_role("link", name="在浏览器中验证").click()
    page.wait_for_url("**/inspections/verify/?bundle=*")
    result = page.locator("#result")
    expect(result).to_have_attribute("data-verdict", "verified")
    expect(result).to_contain_text("验证通过")
    expect(result).to_contain_text(batch.commitment)  # to compare with the commitment published before the draw
    expect(result).to_contain_text(batch.randomness)
    expect(page.locator("#progress-card")).to_be_hidden()
    back = page.get_by_role("link", name="返回本批次抽取结果公示页")
    assert back.get_attribute("href") == f"/inspections/plans/{batch.plan.code}/batches/1/"
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "verify-in-browser-verified")


def test_a_tampered_bundle_from_the_file_picker_names_the_first_difference(page, world, tmp_path):  # noqa: F811
    bundle = _published_bundle(world["batch"])
    bundle["randomness"] = bundle["randomness"] + "0"
    text = json.dumps(bundle, ensure_ascii=False, indent=1)
    path = tmp_path / "bundle-tampered.json"
    path.write_text(text, encoding="utf-8")
    expected = python_verdict(text, tmp_path)["problems"]
    assert expected[0].startswith("seed 不一致")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{page.base_url}/inspections/verify/")
    expect(page.get_by_role("link", name="返回本批次抽取结果公示页")).to_be_hidden()
    page.locator("#file").set_input_files(str(path))
    expect(page.locator("#chosen")).to_have_text("bundle-tampered.json")
    result = page.locator("#result")
    expect(result).to_have_attribute("data-verdict", "failed")
    expect(result).to_contain_text(f"验证失败：{len(expected)} 处不一致")
    expect(page.get_by_test_id("first-problem")).to_have_text(expected[0])
    assert page.locator("ol.problems li").all_inner_texts() == expected
    screenshot(page, "verify-in-browser-tampered")


def test_a_bundle_dropped_on_the_page_is_verified(page, world):  # noqa: F811
    bundle = _published_bundle(world["batch"])
    bundle["selected"][0]["inspectors"] = list(reversed(bundle["selected"][0]["inspectors"]))
    page.goto(f"{page.base_url}/inspections/verify/")
    page.evaluate(
        """(text) => {
          const data = new DataTransfer();
          data.items.add(new File([text], 'bundle-dropped.json', {type: 'application/json'}));
          document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
        }""",
        json.dumps(bundle, ensure_ascii=False),
    )
    expect(page.locator("#source")).to_have_text("bundle-dropped.json")
    expect(page.get_by_test_id("first-problem")).to_have_text(
        re.compile(r"^selected\[0\]\.inspectors 不一致：bundle 中为 ")
    )


def test_a_bundle_of_another_site_is_not_fetched(page, world):  # noqa: F811
    page.goto(f"{page.base_url}/inspections/verify/?bundle=https://example.org/bundle.json")
    expect(page.locator("#result")).to_contain_text("只能按地址验证本网站上的结果包")


def test_a_long_verification_shows_progress_and_can_be_cancelled(page, world, tmp_path):  # noqa: F811
    manifest, _quotas = build_manifest(300_000, stations=30)
    path = tmp_path / "bundle-300000.json"
    path.write_text(draw.dump_bundle(draw.compute(manifest, RANDOMNESS)), encoding="utf-8")
    page.goto(f"{page.base_url}/inspections/verify/")
    page.locator("#file").set_input_files(str(path))
    count = page.locator("#count")
    expect(count).to_contain_text("/ 300,000 个候选对象", timeout=60_000)  # candidates hashed (or written) / total
    assert 0 < int(page.locator("#bar").get_attribute("value")) < 1000
    page.get_by_role("button", name="取消验证").click()
    result = page.locator("#result")
    expect(result).to_have_attribute("data-verdict", "cancelled")
    expect(page.locator("#progress-card")).to_be_hidden()
    page.wait_for_timeout(1500)  # a worker left running would now overwrite the verdict
    expect(result).to_have_attribute("data-verdict", "cancelled")


def test_the_verifier_reads_on_a_phone(browser, live_server, world):  # noqa: F811
    batch = world["batch"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/inspections/plans/{batch.plan.code}/batches/1/")
    link = page.get_by_role("link", name="在浏览器中验证")
    expect(link).to_be_visible()
    screenshot(page, "verify-in-browser-batch-page-phone")
    link.click()
    expect(page.locator("#result")).to_have_attribute("data-verdict", "verified")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]  # nothing wider than the phone: long hashes wrap
    screenshot(page, "verify-in-browser-phone")
    context.close()


def test_the_downloaded_file_verifies_offline(browser, live_server, world, tmp_path):  # noqa: F811
    bundle = _published_bundle(world["batch"])
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/inspections/plans/{world['batch'].plan.code}/batches/1/")
    with page.expect_download() as info:
        page.get_by_test_id("verify-html-link").click()
    saved = tmp_path / "verify.html"
    info.value.save_as(saved)
    assert saved.read_bytes() == VERIFY_HTML.read_bytes()
    context.set_offline(True)
    page.goto(saved.as_uri())
    tampered = copy.deepcopy(bundle)
    tampered["unassigned"] = ["91410402MA00000000"]
    # draw.py's verdict first: it writes bundle.json, and rewriting a file the page is reading makes chromium
    # refuse it (NotReadableError), as it did once in CI.
    expected = python_verdict(json.dumps(tampered, ensure_ascii=False), tmp_path)["problems"][0]
    page.locator("#file").set_input_files(str(tmp_path / "bundle.json"))
    expect(page.get_by_test_id("first-problem")).to_have_text(expected)
    context.close()
