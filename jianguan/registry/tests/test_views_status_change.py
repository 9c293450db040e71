"""Status changes (吊销/注销/撤销/迁出) follow the state machine; a refused transition is a 409 with its message."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.registry.models import EntityChange

from .factories import EntityFactory, registrar

pytestmark = pytest.mark.django_db


def test_revocation_is_recorded(login, org):
    user = registrar()
    entity = EntityFactory()
    r = login(user).post(
        f"/workbench/registry/entities/{entity.uscc}/status/",
        {"status": "revoked", "on": "2026-04-01", "reason": "平市监罚〔2026〕12号"},
    )
    assert r.status_code == 302
    entity.refresh_from_db()
    assert entity.status == "revoked" and str(entity.status_changed_on) == "2026-04-01"
    change = EntityChange.objects.get(entity=entity, kind=EntityChange.Kind.STATUS)
    assert change.changes == {"status": ["active", "revoked"]} and change.note == "平市监罚〔2026〕12号"
    assert AuditEntry.objects.filter(action="registry.entity.status_changed", object_id=str(entity.pk)).exists()


def test_disallowed_transition_is_refused_as_409_with_the_domain_message(login, org):
    entity = EntityFactory(status="deregistered")
    r = login(registrar()).post(
        f"/workbench/registry/entities/{entity.uscc}/status/",
        {"status": "revoked", "on": "2026-04-01", "reason": "误操作"},
    )
    assert r.status_code == 409
    assert "主体当前状态为「注销」，不能变更为「吊销」" in r.content.decode()
    entity.refresh_from_db()
    assert entity.status == "deregistered"
    assert not EntityChange.objects.filter(entity=entity).exists()


def test_a_second_click_does_no_harm(login, org):
    entity = EntityFactory()
    client = login(registrar())
    data = {"status": "deregistered", "on": "2026-04-01", "reason": "申请注销"}
    client.post(f"/workbench/registry/entities/{entity.uscc}/status/", data)
    r = client.post(f"/workbench/registry/entities/{entity.uscc}/status/", data)
    assert r.status_code == 302
    assert EntityChange.objects.filter(entity=entity, kind=EntityChange.Kind.STATUS).count() == 1


def test_reason_is_required(login, org):
    entity = EntityFactory()
    r = login(registrar()).post(
        f"/workbench/registry/entities/{entity.uscc}/status/", {"status": "revoked", "on": "2026-04-01", "reason": ""}
    )
    assert r.status_code == 200 and "reason" in r.context["form"].errors
