"""A change registration (变更登记) through the workbench writes the entity, its history and the audit log."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.registry.models import EntityChange

from .factories import EntityFactory, registrar

pytestmark = pytest.mark.django_db


def form_data(entity, **overrides):
    data = {
        "name": entity.name,
        "kind": entity.kind,
        "legal_rep": entity.legal_rep,
        "legal_rep_id_no": entity.legal_rep_id_no,
        "phone": entity.phone,
        "registered_capital": str(entity.registered_capital),
        "address": entity.address,
        "division": entity.division_id,
        "unit": entity.unit_id,
        "industry": entity.industry_id,
        "business_scope": entity.business_scope,
        "on": "2026-03-02",
        "note": "股东会决议",
    }
    data.update(overrides)
    return data


def test_change_writes_history_and_audit(login, org):
    user = registrar()
    entity = EntityFactory(address="新华区建设路1号", legal_rep="王建国")
    r = login(user).post(
        f"/workbench/registry/entities/{entity.uscc}/change/",
        form_data(entity, address="新华区中兴路99号", legal_rep="李卫东"),
    )
    assert r.status_code == 302 and r.url == f"/workbench/registry/entities/{entity.uscc}/"
    entity.refresh_from_db()
    assert entity.address == "新华区中兴路99号" and entity.legal_rep == "李卫东"
    change = EntityChange.objects.get(entity=entity, kind=EntityChange.Kind.CHANGED)
    assert change.changes == {"address": ["新华区建设路1号", "新华区中兴路99号"], "legal_rep": ["王建国", "李卫东"]}
    assert str(change.on) == "2026-03-02" and change.note == "股东会决议" and change.actor == user
    entry = AuditEntry.objects.get(action="registry.entity.changed", object_id=str(entity.pk))
    assert entry.changes["address"] == ["新华区建设路1号", "新华区中兴路99号"] and entry.actor == user


def test_history_shows_before_and_after(login, org):
    user = registrar()
    entity = EntityFactory(address="新华区建设路1号")
    client = login(user)
    client.post(f"/workbench/registry/entities/{entity.uscc}/change/", form_data(entity, address="新华区中兴路99号"))
    body = client.get(f"/workbench/registry/entities/{entity.uscc}/").content.decode()
    assert "变更登记" in body and "新华区建设路1号" in body and "新华区中兴路99号" in body
    assert "住所（经营场所）" in body and "股东会决议" in body


def test_unchanged_form_changes_nothing(login, org):
    entity = EntityFactory()
    r = login(registrar()).post(f"/workbench/registry/entities/{entity.uscc}/change/", form_data(entity))
    assert r.status_code == 302
    assert not EntityChange.objects.filter(entity=entity, kind=EntityChange.Kind.CHANGED).exists()


def test_empty_name_is_refused_on_the_field(login, org):
    entity = EntityFactory()
    r = login(registrar()).post(f"/workbench/registry/entities/{entity.uscc}/change/", form_data(entity, name=""))
    assert r.status_code == 200
    assert "name" in r.context["form"].errors
    assert "这个字段是必须的" in r.content.decode()


def test_change_of_a_deregistered_entity_is_refused_with_the_domain_message(login, org):
    entity = EntityFactory(status="deregistered")
    r = login(registrar()).post(
        f"/workbench/registry/entities/{entity.uscc}/change/", form_data(entity, address="别处")
    )
    assert r.status_code == 409
    assert "不能办理变更登记" in r.content.decode()


def test_inspector_may_not_change(login, station_inspector, org):
    entity = EntityFactory()
    r = login(station_inspector).post(
        f"/workbench/registry/entities/{entity.uscc}/change/", form_data(entity, address="别处")
    )
    assert r.status_code == 403
    entity.refresh_from_db()
    assert entity.address != "别处"
