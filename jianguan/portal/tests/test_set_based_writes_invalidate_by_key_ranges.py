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
    assert str(records._keys({5, 6, 7, 9, 10})) == str(
        records.models.Q(pk__range=(5, 7)) | records.models.Q(pk__range=(9, 10)))
    scattered = set(range(0, 40, 2))
    assert records._keys(scattered, most_runs=16) == records.models.Q(pk__in=sorted(scattered))


@pytest.mark.parametrize("every", [1, 2])  # consecutive licences; every other one (the others untouched)
def test_record_many_marks_exactly_the_touched_entities(org, every):
    entities = [EntityFactory(unit=org["41040201"]) for _ in range(6)]
    licences = [LicenceFactory(entity=e) for e in entities]
    PublicRecord.objects.update(body={"built": True})
    touched = licences[::every]
    audit.record_many([{"actor": "system:test", "action": "test.licence", "obj": lic} for lic in touched])
    stale = set(PublicRecord.objects.filter(body__isnull=True).values_list("entity_id", flat=True))
    assert stale == {lic.entity_id for lic in touched}
