"""设立登记 by staff: a new valid code is issued; validation errors are shown per field, in Chinese."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.registry import uscc
from jianguan.registry.models import Entity, EntityChange

from .factories import EntityFactory, registrar, retail

pytestmark = pytest.mark.django_db


def data(**overrides):
    values = {
        "name": "平顶山市鹰城新开超市有限公司",
        "kind": "llc",
        "legal_rep": "周志强",
        "legal_rep_id_no": "410402198501012345",
        "phone": "13700001111",
        "registered_capital": "50",
        "established_on": "2026-02-02",
        "address": "新华区建设路188号",
        "division": "410402",
        "unit": "",
        "industry": "52",
        "business_scope": "日用百货、预包装食品零售",
    }
    values.update(overrides)
    return values


@pytest.fixture
def client_(login, org):
    retail()
    return login(registrar())


def unit_id(code="41040201"):
    from jianguan.core.models import OrgUnit

    return OrgUnit.objects.get(code=code).pk


def test_registration_issues_a_valid_code_and_opens_the_entity(client_):
    r = client_.post("/workbench/registry/entities/new/", data(unit=unit_id()))
    entity = Entity.objects.get(name="平顶山市鹰城新开超市有限公司")
    assert r.status_code == 302 and r.url == f"/workbench/registry/entities/{entity.uscc}/"
    assert uscc.is_valid(entity.uscc) and entity.uscc.startswith("91410402")
    assert entity.registration_authority.code == "410402"
    assert EntityChange.objects.filter(entity=entity, kind=EntityChange.Kind.ESTABLISHED).exists()
    assert AuditEntry.objects.filter(action="registry.entity.registered", object_id=str(entity.pk)).exists()


def test_individual_business_gets_type_digit_2(client_):
    client_.post("/workbench/registry/entities/new/", data(kind="individual", name="新华区周记小吃店", unit=unit_id()))
    assert Entity.objects.get(name="新华区周记小吃店").uscc[1] == "2"


def test_missing_fields_are_shown_per_field_in_chinese(client_):
    r = client_.post("/workbench/registry/entities/new/", data(name="", legal_rep="", unit=""))
    errors = r.context["form"].errors
    assert {"name", "legal_rep", "unit"} <= set(errors)
    assert "这个字段是必须的" in r.content.decode()
    assert not Entity.objects.exists()


def test_service_rules_land_on_their_fields(client_):
    EntityFactory(name="平顶山市鹰城新开超市有限公司")
    r = client_.post("/workbench/registry/entities/new/", data(unit=unit_id(), established_on="2099-01-01"))
    errors = r.context["form"].errors
    assert "已被登记" in errors["name"][0]
    assert "晚于今天" in errors["established_on"][0]


def test_units_outside_scope_cannot_be_chosen(client_):
    r = client_.post("/workbench/registry/entities/new/", data(unit=unit_id("41040301")))
    assert "unit" in r.context["form"].errors


def test_inspector_may_not_register(login, station_inspector):
    assert login(station_inspector).get("/workbench/registry/entities/new/").status_code == 403
