"""A set-based write audited with ``record_many`` marks the records of exactly the entities it touched, whether its
rows' keys run consecutively (rows written under reserved keys: sent as a few ranges) or are scattered (sent as a
list)."""

import pytest

from jianguan.core import audit
from jianguan.portal import records
from jianguan.portal.models import PublicRecord
from jianguan.registry.tests.factories import EntityFactory, LicenceFactory

pytestmark = pytest.mark.django_db


def test_consecutive_keys_become_ranges_and_scattered_ones_a_list():
    Q = records.models.Q
    assert str(records._keys({5, 6, 7, 9, 10})) == str(Q(pk__gte=5, pk__lte=7) | Q(pk__gte=9, pk__lte=10))
    scattered = set(range(0, 40, 2))
    assert records._keys(scattered, most_runs=16) == Q(pk__in=sorted(scattered))


def test_key_ranges_work_on_a_foreign_key_and_read_the_same_rows(org):
    from jianguan.core import bulk
    from jianguan.registry.models import Entity

    entities = [EntityFactory(unit=org["41040201"]) for _ in range(5)]
    records.rebuild(everything=True)
    ids = [e.pk for e in entities][:2] + [e.pk for e in entities][3:]
    by_range = set(PublicRecord.objects.filter(bulk.key_ranges(ids, "entity_id")).values_list("entity_id", flat=True))
    assert by_range == set(ids) and entities[2].pk not in by_range
    assert set(Entity.objects.filter(bulk.key_ranges(ids)).values_list("pk", flat=True)) == set(ids)
    assert not Entity.objects.filter(bulk.key_ranges([])).exists()


@pytest.mark.parametrize("every", [1, 2])  # consecutive licences; every other one (the others untouched)
def test_record_many_marks_exactly_the_touched_entities(org, every):
    entities = [EntityFactory(unit=org["41040201"]) for _ in range(6)]
    licences = [LicenceFactory(entity=e) for e in entities]
    records.rebuild(everything=True)
    assert not records.marked()
    touched = licences[::every]
    audit.record_many([{"actor": "system:test", "action": "test.licence", "obj": lic} for lic in touched])
    stale = records.marked()
    assert stale == {lic.entity_id for lic in touched}
