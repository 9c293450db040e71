"""Licences on the entity page: "多证合一" under the business licence; adding checks SC/JY formats on the field."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.models import AuditEntry
from jianguan.registry.models import Licence

from .factories import EntityFactory, LicenceFactory, LicenceKindFactory, food_production_kind, plain_kind, registrar

pytestmark = pytest.mark.django_db


def add(client, entity, **overrides):
    data = {
        "kind": "food_business",
        "number": "JY14104020000019",
        "issuer": "新华区市场监督管理局",
        "issued_on": "2026-01-10",
        "valid_until": "2031-01-09",
        "scope": "预包装食品销售",
    }
    data.update(overrides)
    return client.post(f"/workbench/registry/entities/{entity.uscc}/licences/new/", data)


@pytest.fixture
def entity(org):
    LicenceKindFactory()
    return EntityFactory(name="鹰城食品店")


def test_entity_page_shows_the_business_licence_with_all_its_permits(login, district_officer, entity):
    LicenceFactory(entity=entity, number="JY14104020000027")
    LicenceFactory(entity=entity, kind=food_production_kind(), number="SC10641040200013")
    LicenceFactory(entity=entity, kind=plain_kind(), number="豫AA3750001", status="suspended")
    body = login(district_officer).get(f"/workbench/registry/entities/{entity.uscc}/").content.decode()
    assert "营业执照" in body and "许可证（3）" in body
    for text in (
        "JY14104020000027",
        "SC10641040200013",
        "豫AA3750001",
        "食品生产许可证",
        "暂扣",
        "平顶山市新华区市场监督管理局",
    ):
        assert text in body


def test_days_to_expiry_are_shown(login, district_officer, entity):
    today = timezone.localdate()
    LicenceFactory(entity=entity, number="JY14104020000035", valid_until=today + dt.timedelta(days=10))
    LicenceFactory(entity=entity, number="JY14104020000043", valid_until=today - dt.timedelta(days=2))
    body = login(district_officer).get(f"/workbench/registry/entities/{entity.uscc}/").content.decode()
    assert "剩 10 天" in body and "已过期 2 天" in body


def test_registrar_adds_a_licence(login, entity):
    r = add(login(registrar()), entity)
    assert r.status_code == 302
    licence = Licence.objects.get(entity=entity)
    assert licence.number == "JY14104020000019" and str(licence.valid_until) == "2031-01-09"
    assert AuditEntry.objects.filter(action="registry.licence.added", object_id=str(licence.pk)).exists()


def test_validity_defaults_from_the_kinds_years(login, entity):
    add(login(registrar()), entity, valid_until="", issued_on="2026-03-01")
    assert str(Licence.objects.get(entity=entity).valid_until) == "2031-02-28"


@pytest.mark.parametrize(
    "kind,number,message",
    [
        ("food_business", "JY1410402000001", "食品经营许可证编号应为16位"),
        ("food_business", "SC14104020000019", "食品经营许可证编号应以JY开头"),
        ("food_production", "SC1064104020001X", "食品生产许可证编号第16位『X』应为数字"),
    ],
)
def test_format_errors_are_shown_on_the_number_field(login, entity, kind, number, message):
    food_production_kind()
    r = add(login(registrar()), entity, kind=kind, number=number)
    assert r.status_code == 200
    errors = r.context["form"].errors["number"]
    assert any(message in e for e in errors), errors
    assert not Licence.objects.filter(entity=entity).exists()


def test_duplicate_number_is_refused_on_the_field(login, entity):
    client = login(registrar())
    add(client, entity)
    r = add(client, entity)
    assert "已存在" in r.context["form"].errors["number"][0]


def test_expiry_before_issue_is_refused_on_the_field(login, entity):
    r = add(login(registrar()), entity, issued_on="2026-01-10", valid_until="2025-01-10")
    assert "有效期至不能早于发证日期" in r.context["form"].errors["valid_until"][0]


def test_licence_status_change_and_final_states(login, entity):
    licence = LicenceFactory(entity=entity)
    client = login(registrar())
    url = f"/workbench/registry/entities/{entity.uscc}/licences/{licence.pk}/status/"
    client.post(url, {f"lic{licence.pk}-status": "revoked", f"lic{licence.pk}-reason": "违法经营"})
    licence.refresh_from_db()
    assert licence.status == "revoked"
    r = client.post(url, {f"lic{licence.pk}-status": "valid"}, follow=True)
    licence.refresh_from_db()
    assert licence.status == "revoked"
    assert "许可证已吊销，不能再变更状态" in r.content.decode()


def test_licence_of_another_entity_cannot_be_changed_through_this_one(login, entity):
    other = LicenceFactory()
    r = login(registrar()).post(
        f"/workbench/registry/entities/{entity.uscc}/licences/{other.pk}/status/", {f"lic{other.pk}-status": "revoked"}
    )
    assert r.status_code == 404


def test_inspector_sees_no_licence_actions(login, station_inspector, entity):
    LicenceFactory(entity=entity)
    body = login(station_inspector).get(f"/workbench/registry/entities/{entity.uscc}/").content.decode()
    assert "添加许可证" not in body and "变更登记" not in body.split("登记历史")[0]
    assert login(station_inspector).get(f"/workbench/registry/entities/{entity.uscc}/licences/new/").status_code == 403
