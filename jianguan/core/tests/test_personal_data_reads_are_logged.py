"""Showing personal data unmasked (an ID number, a phone number, a reporter's identity) is an audited read; a masked
view is not; a page reloaded within the hour is one read (#14 audit)."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.registry.tests.factories import EntityFactory, registrar

pytestmark = pytest.mark.django_db


def _reads(user):
    return AuditEntry.objects.filter(action="core.personal_data.viewed", actor=user)


def test_an_unmasked_entity_page_is_a_logged_read_once_an_hour(login, org):
    user = registrar()
    entity = EntityFactory(unit_id=user.profile.unit_id)
    c = login(user)
    for _ in range(3):
        assert c.get(f"/workbench/registry/entities/{entity.uscc}/").status_code == 200
    [entry] = _reads(user)
    assert entry.object_id == str(entity.pk) and entry.changes["fields"][1] == ["legal_rep_id_no", "phone"]


def test_the_api_detail_is_a_logged_read(login, org):
    user = registrar()
    entity = EntityFactory(unit_id=user.profile.unit_id)
    assert login(user).get(f"/api/v1/registry/entities/{entity.uscc}").status_code == 200
    assert _reads(user).count() == 1


def test_a_masked_view_is_not_a_personal_read(login, org, station_inspector):
    entity = EntityFactory(unit_id=station_inspector.profile.unit_id)
    assert login(station_inspector).get(f"/workbench/registry/entities/{entity.uscc}/").status_code == 200
    assert not _reads(station_inspector).exists()
