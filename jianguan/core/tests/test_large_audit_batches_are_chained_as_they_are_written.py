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


def test_a_batch_written_without_model_objects_stores_and_chains_what_the_objects_would(org):
    """``returning=False`` (the July listing's chunks) writes the rows as values: the same columns, chain and signal."""
    import datetime as dt

    from jianguan.core.models import OrgUnit

    unit = OrgUnit.objects.get(code="410402")
    items = [{"actor": "system:sweep", "action": "test.plain", "object_type": "credit.listentry",
              "object_id": i, "object_repr": f"第{i}条", "unit": unit if i % 2 else unit.pk,
              "changes": {"due": [None, dt.date(2026, 7, 31)], "n": [None, i], "名称": [None, "平顶山"]}}
             for i in range(4)]
    heard = []

    def listen(sender, entries, **kwargs):
        heard.extend((e.object_type, e.object_id) for e in entries)

    audit.recorded_many.connect(listen)
    try:
        with transaction.atomic():
            written = audit.record_many(items, returning=False)
            objects = audit.record_many([{**item, "action": "test.objects"} for item in items])
    finally:
        audit.recorded_many.disconnect(listen)
    assert isinstance(written[0], audit.Written) and [w.seq for w in written] == [1, 2, 3, 4]
    assert [o.seq for o in objects] == [5, 6, 7, 8]
    assert heard == [("credit.listentry", str(i)) for i in range(4)] * 2
    columns = ("actor_id", "actor_label", "object_type", "object_id", "object_repr", "unit_id", "changes")
    plain = list(AuditEntry.objects.filter(action="test.plain").order_by("seq").values_list(*columns))
    assert plain == list(AuditEntry.objects.filter(action="test.objects").order_by("seq").values_list(*columns))
    assert plain[0][6] == {"due": [None, "2026-07-31"], "n": [None, 0], "名称": [None, "平顶山"]}
    assert [(w.id, w.hash) for w in written] == list(
        AuditEntry.objects.filter(action="test.plain").order_by("seq").values_list("id", "hash"))
    report = audit.verify_chain()
    assert report.ok and report.checked == 8
