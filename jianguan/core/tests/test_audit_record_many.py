"""``audit.record_many``: set-based writes keep one audit entry per row, chained like ``record``'s, and what follows
each audit entry (the stored public record's invalidation) follows the batch."""

import pytest

from jianguan.core import audit
from jianguan.core.models import AuditEntry
from jianguan.portal.models import PublicRecord
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_record_many_writes_one_chained_entry_per_row_and_invalidates_their_records(org, sysadmin,
                                                                                    django_assert_max_num_queries):
    audit.record(actor=sysadmin, action="test.before", object_type="test", object_id="0")
    entities = [EntityFactory(unit=org["41040201"]) for _ in range(3)]
    PublicRecord.objects.all().delete()
    items = [{"actor": sysadmin, "action": "test.entity.marked", "obj": e, "unit": e.unit,
              "changes": {"status": [None, f"m{i}"]}} for i, e in enumerate(entities)]
    with django_assert_max_num_queries(8):  # chain end, one insert, one invalidation — not per row
        created = audit.record_many(items)
    assert len(created) == 3
    rows = list(AuditEntry.objects.filter(action="test.entity.marked").order_by("id"))
    assert [r.object_id for r in rows] == [str(e.pk) for e in entities]
    assert [r.changes for r in rows] == [{"status": [None, f"m{i}"]} for i in range(3)]
    assert all(r.actor_id == sysadmin.pk and r.unit_id == org["41040201"].pk for r in rows)
    audit.seal()  # PostgreSQL chains after the commit; a test's transaction never commits
    report = audit.verify_chain()
    assert report.ok and report.checked == AuditEntry.objects.count()
    # The stored public records of the three entities are marked for rebuilding (what post_save did per entry).
    assert set(PublicRecord.objects.filter(body__isnull=True).values_list("entity_id", flat=True)) == {
        e.pk for e in entities}
    assert audit.record_many([]) == []
