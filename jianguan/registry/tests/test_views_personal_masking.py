"""ID numbers and phones are masked for staff without registry.view_entity_personal — page, history and API."""

import pytest

from jianguan.registry import services
from jianguan.registry.masking import mask_id_no, mask_phone

from .factories import EntityFactory, registrar

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity(org):
    return EntityFactory(legal_rep_id_no="410402199001011234", phone="13812345678")


def test_mask_formats():
    assert mask_id_no("410402199001011234") == "410***********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0375-2345678") == "********5678"
    assert mask_id_no("") == "" and mask_phone("123") == "***"


def test_inspector_sees_masked_personal_data(login, station_inspector, entity):
    body = login(station_inspector).get(f"/workbench/registry/entities/{entity.uscc}/").content.decode()
    assert "410402199001011234" not in body and "13812345678" not in body
    assert "410***********1234" in body and "138****5678" in body
    assert "已脱敏" in body


def test_case_officer_with_the_permission_sees_them_in_full(login, district_officer, entity):
    body = login(district_officer).get(f"/workbench/registry/entities/{entity.uscc}/").content.decode()
    assert "410402199001011234" in body and "13812345678" in body


def test_history_masks_personal_values_too(login, station_inspector, entity):
    services.entity_change(actor=registrar(), entity=entity, phone="13900001111", legal_rep_id_no="410402198001015678")
    body = login(station_inspector).get(f"/workbench/registry/entities/{entity.uscc}/").content.decode()
    for raw in ("13812345678", "13900001111", "410402198001015678"):
        assert raw not in body
    assert "139****1111" in body


def test_api_detail_masks_without_permission(login, station_inspector, district_officer, entity):
    services.entity_change(actor=registrar(), entity=entity, phone="13900001111")
    data = login(station_inspector).get(f"/api/v1/registry/entities/{entity.uscc}").json()
    assert data["legal_rep_id_no"] == "410***********1234" and data["phone"] == "139****1111"
    assert data["personal_data_masked"] is True
    change = next(c for c in data["history"] if c["kind"] == "changed")
    assert change["changes"]["phone"] == ["138****5678", "139****1111"]
    full = login(district_officer).get(f"/api/v1/registry/entities/{entity.uscc}").json()
    assert full["phone"] == "13900001111" and full["personal_data_masked"] is False


def test_change_form_hides_personal_fields_without_permission(org, entity):
    # A registrar-like user lacking view_entity_personal: a group with register_entity only.
    from django.contrib.auth.models import Group, Permission

    from jianguan.core.tests.factories import staff
    from jianguan.registry.forms import EntityChangeForm

    group = Group.objects.create(name="limited_registrar")
    group.permissions.add(
        Permission.objects.get(codename="register_entity"),
        Permission.objects.get(codename="view_entity", content_type__app_label="registry"),
    )
    user = staff("limited", "410402", ["limited_registrar"])
    form = EntityChangeForm(user=user, entity=entity)
    assert "phone" not in form.fields and "legal_rep_id_no" not in form.fields
