"""The 市场主体 menu follows permissions."""

import pytest

from .factories import registrar

pytestmark = pytest.mark.django_db


def test_registrar_sees_the_three_entries(login, org):
    body = login(registrar()).get("/workbench/").content.decode()
    for label, url in (
        ("主体查询", "/workbench/registry/"),
        ("设立登记", "/workbench/registry/entities/new/"),
        ("许可证到期提醒", "/workbench/registry/licences/expiring/"),
    ):
        assert label in body and f'href="{url}"' in body


def test_inspector_has_no_registration_entry(login, station_inspector):
    body = login(station_inspector).get("/workbench/").content.decode()
    assert "主体查询" in body and "许可证到期提醒" in body
    assert 'href="/workbench/registry/entities/new/"' not in body


def test_system_admin_sees_no_business_data_entries(login, sysadmin):
    body = login(sysadmin).get("/workbench/").content.decode()
    assert "主体查询" not in body
    assert login(sysadmin).get("/workbench/registry/").status_code == 403
