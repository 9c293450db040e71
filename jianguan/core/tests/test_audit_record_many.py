"""``audit.record_many``: set-based writes keep one audit entry per row, chained like ``record``'s, and what follows
each audit entry (the stored public record's invalidation) follows the batch."""

import pytest

from jianguan.core import audit
from jianguan.core.models import AuditEntry
from jianguan.portal import records
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_record_many_writes_one_chained_entry_per_row_and_invalidates_their_records(org, sysadmin,
                                                                                    django_assert_max_num_queries):
    audit.record(actor=sysadmin, action="test.before", object_type="test", object_id="0")
    entities = [EntityFactory(unit=org["41040201"]) for _ in range(3)]
    records.rebuild(everything=True)  # every record built: nothing marked
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
    assert records.marked() == {e.pk for e in entities}
    assert audit.record_many([]) == []


def test_batched_writes_each_entry_once_at_the_end_in_order_and_drops_rolled_back_ones(org, sysadmin):
    """``audit.batched()`` (each ``jianguan demo`` step): ``record`` inside it appends to a batch written when it
    ends — one entry per call, in call order — and a savepoint rolled back (a failed service whose error was
    caught) takes its entries with it, as it takes its rows."""
    from django.db import transaction

    entities = [EntityFactory(unit=org["41040201"]) for _ in range(3)]
    audit.record(actor=sysadmin, action="test.before", object_type="test", object_id="0")
    records.rebuild(everything=True)  # every record built: nothing marked
    before = AuditEntry.objects.count()
    with transaction.atomic(), audit.batched():
        first = audit.record(actor=sysadmin, action="test.batched", obj=entities[0], changes={"n": [None, 1]})
        with audit.batched():  # nested: joins the batch
            audit.record(actor="demo", action="test.batched", obj=entities[1], changes={"n": [None, 2]})
        try:
            with transaction.atomic():
                audit.record(actor="demo", action="test.rolled_back", object_type="test", object_id="9")
                raise ValueError
        except ValueError:
            pass
        audit.record_many([{"actor": "demo", "action": "test.batched", "obj": entities[2], "changes": {"n": [None, 3]}}])
        assert first.pk is None and AuditEntry.objects.count() == before  # nothing written yet
    assert first.pk is not None
    rows = list(AuditEntry.objects.filter(action__startswith="test.").exclude(action="test.before").order_by("seq"))
    assert [(r.action, r.object_id, r.changes) for r in rows] == [
        ("test.batched", str(e.pk), {"n": [None, i + 1]}) for i, e in enumerate(entities)]
    audit.seal()
    report = audit.verify_chain()
    assert report.ok and report.checked == AuditEntry.objects.count()
    assert records.marked() == {e.pk for e in entities}
    # an error leaving the block drops the batch (its transaction is rolled back anyway)
    with pytest.raises(RuntimeError), transaction.atomic(), audit.batched():
        audit.record(actor="demo", action="test.dropped", object_type="test", object_id="1")
        raise RuntimeError
    assert not AuditEntry.objects.filter(action="test.dropped").exists()
    with transaction.atomic():
        audit.record(actor="demo", action="test.after", object_type="test", object_id="2")  # record() as ever
    assert AuditEntry.objects.filter(action="test.after").count() == 1
