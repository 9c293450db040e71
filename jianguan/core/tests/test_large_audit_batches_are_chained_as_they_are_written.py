"""A large batch of audit entries (a sweep's chunk, an import) is chained as it is written, on PostgreSQL too (#23:
writing every entry twice — unchained, then the sealer's UPDATE — was half the audit's cost of the July listing at
province scale). The chain still verifies, and entries another writer left unchained are chained after the batch."""

import pytest
from django.db import transaction

from jianguan.core import audit
from jianguan.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _small_batches_count_as_large(monkeypatch):
    monkeypatch.setattr(audit, "CHAIN_AT_INSERT", 3)


def _items(n, action="test.batch"):
    return [{"actor": "system:test", "action": action, "object_type": "test", "object_id": str(i),
             "object_repr": f"第{i}条", "changes": {"n": [None, i]}} for i in range(n)]


def test_a_large_batch_is_chained_inside_its_transaction():
    with transaction.atomic():
        made = audit.record_many(_items(4))
        stored = list(AuditEntry.objects.filter(action="test.batch").order_by("id").values_list("seq", "prev_hash",
                                                                                                 "hash"))
        # chained before the commit: each entry's link is the hash of the one before
        assert [s for s, _, _ in stored] == [m.seq for m in made] and None not in [s for s, _, _ in stored]
        assert [p for _, p, _ in stored[1:]] == [h for _, _, h in stored[:-1]]
    report = audit.verify_chain()
    assert report.ok and report.checked == 4 and report.pending == 0


def test_entries_left_unchained_by_another_writer_are_chained_after_the_batch(monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(audit, "seal", lambda **kwargs: 0)  # a writer whose process died before it sealed
        with transaction.atomic():
            audit.record_many(_items(2, "test.small"))  # below the threshold: unchained on PostgreSQL
    with transaction.atomic():
        batch = audit.record_many(_items(5))
    report = audit.verify_chain()  # seals what is pending first
    assert report.ok and report.checked == 7 and report.pending == 0
    small = list(AuditEntry.objects.filter(action="test.small").values_list("seq", flat=True))
    assert None not in small
    if audit._serialises_writers():
        assert max(small) < min(e.seq for e in batch)  # SQLite chains each write at once
    else:
        assert min(small) > max(e.seq for e in batch)  # chained by the batch's own seal, after it


def test_a_batch_rolled_back_leaves_no_gap_in_the_chain():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record_many(_items(4))
        raise RuntimeError("导入失败")
    with transaction.atomic():
        audit.record_many(_items(3))
    report = audit.verify_chain()
    assert report.ok and report.checked == 3
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == [1, 2, 3]
