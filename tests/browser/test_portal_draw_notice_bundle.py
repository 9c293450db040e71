"""A citizen follows a published double-random result from an entity's record to the batch notice, reads how to
verify it, downloads the bundle and the verifier, and the bundle's SHA-256 is the one on the notice."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from playwright.sync_api import expect

from jianguan.portal.tests.conftest import world  # noqa: F401  (fixture)

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_record_to_the_notice_and_the_bundle(page, world, tmp_path):  # noqa: F811
    batch, company = world["batch"], world["company"]
    batch.refresh_from_db()
    page.goto(f"{page.base_url}/entities/{company.uscc}/")
    page.get_by_role("link", name="测试抽查计划（第1批）").click()
    page.wait_for_url(f"**/inspections/plans/{batch.plan.code}/batches/1/")
    expect(page.get_by_test_id("public-commitment")).to_have_text(batch.commitment)
    help_box = page.get_by_test_id("verify-help")
    expect(help_box).to_contain_text("自行验证这次抽取")
    expect(help_box).to_contain_text(f"python3 draw.py verify {batch.bundle_filename}")
    expect(page.get_by_test_id("public-selected")).to_contain_text(company.uscc)
    screenshot(page, "portal-batch-notice")

    with page.expect_download() as info:
        page.get_by_test_id("bundle-link").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == batch.bundle_sha256
    assert batch.bundle_sha256 in help_box.inner_text()
    assert json.loads(data)["commitment"] == batch.commitment

    with page.expect_download() as info:
        page.get_by_test_id("verifier-link").click()
    assert info.value.suggested_filename == "draw.py"


def test_the_plan_index_links_every_published_batch(page, world):  # noqa: F811
    batch = world["batch"]
    page.goto(f"{page.base_url}/")
    page.get_by_role("main").get_by_role("link", name=re.compile("双随机抽查公示")).click()
    page.get_by_role("link", name="第 1 批").click()
    page.wait_for_url(f"**/inspections/plans/{batch.plan.code}/batches/1/")
    expect(page.get_by_test_id("bundle-link")).to_be_visible()
