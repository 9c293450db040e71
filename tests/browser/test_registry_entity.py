"""A registrar searches a name fragment, opens the entity and sees the business licence with all its permits."""

import pytest
from playwright.sync_api import expect

from jianguan.core.tests.factories import PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entity_with_permits(org):
    from jianguan.registry import services
    from jianguan.registry.tests.factories import (
        EntityFactory,
        LicenceFactory,
        LicenceKindFactory,
        food_production_kind,
        registrar,
    )

    user = registrar()
    LicenceKindFactory()
    entity = EntityFactory(
        name="平顶山鹰城食品有限公司",
        legal_rep="王建国",
        address="新华区建设路66号",
        business_scope="食品生产；预包装食品销售",
    )
    EntityFactory(name="卫东区无关商店")
    LicenceFactory(entity=entity, number="JY14104020000019")
    LicenceFactory(entity=entity, kind=food_production_kind(), number="SC10641040200013")
    services.entity_change(actor=user, entity=entity, address="新华区建设路68号", note="住所变更")
    return entity


def test_registrar_finds_the_entity_and_sees_its_licence_with_permits(page, entity_with_permits):
    page.goto(f"{page.base_url}/workbench/login/")
    page.get_by_label("用户名").fill("registrar_xh")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")

    page.get_by_role("link", name="主体查询").first.click()
    page.get_by_label("关键词").fill("鹰城食品")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(
        "**/workbench/registry/?q=*"
    )  # count() does not wait: read the searched page, not the one before it
    results = page.get_by_test_id("entity-results")
    expect(results.locator("tbody").get_by_role("link")).to_have_count(1)  # the header's links are its sort keys
    results.get_by_role("link", name="平顶山鹰城食品有限公司").click()

    page.wait_for_url(f"**/workbench/registry/entities/{entity_with_permits.uscc}/")
    licence = page.get_by_test_id("business-licence")
    expect(licence.get_by_role("heading", name="营业执照")).to_be_visible()
    assert licence.get_by_test_id("entity-uscc").inner_text().startswith(entity_with_permits.uscc)
    permits = licence.get_by_test_id("licences")
    expect(permits.get_by_test_id("licence-number").get_by_text("JY14104020000019", exact=True)).to_be_visible()
    expect(permits.get_by_test_id("licence-number").get_by_text("SC10641040200013", exact=True)).to_be_visible()
    history = page.get_by_test_id("history")
    expect(history.get_by_text("新华区建设路68号")).to_be_visible()
    expect(history.get_by_text("住所变更")).to_be_visible()
    screenshot(page, "registry-entity")
