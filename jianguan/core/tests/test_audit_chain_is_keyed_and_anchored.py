"""The audit chain holds against someone who can write to the database (#14 finding 4): a rewritten entry with its
hashes recomputed without the key fails, deleting the newest entries fails against the daily anchor, a forged
anchor fails, entries younger than the retention period cannot be deleted, and the assessor's CSV carries the
chain values."""

import csv
import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from jianguan.core import audit
from jianguan.core.errors import Conflict
from jianguan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entries(actor, n):
    for i in range(n):
        audit.record(actor=actor, action="test.thing.changed", object_type="test", object_id=str(i),
                     object_repr=f"对象{i}", changes={"status": ["a", f"b{i}"]})
    audit.seal()


def _plain_sha256(row, prev):
    """What an attacker without the key computes: the entry's hash as it was before #14."""
    payload = {"prev": prev, "at": row.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
               "actor": row.actor_id, "actor_label": row.actor_label, "action": row.action,
               "object_type": row.object_type, "object_id": row.object_id, "object_repr": row.object_repr,
               "unit": row.unit_id, "changes": row.changes}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
                          ).hexdigest()


def test_a_rewritten_entry_with_recomputed_hashes_is_detected(org, sysadmin):
    _entries(sysadmin, 5)
    rows = list(AuditEntry.objects.order_by("seq"))
    prev = rows[1].prev_hash
    for row in rows[1:]:  # rewrite entry 2 and re-hash it and everything after it, as the finding did
        if row.seq == 2:
            row.changes = {"status": ["a", "forged"]}
        row.prev_hash = prev
        row.hash = _plain_sha256(row, prev)
        AuditEntry.objects.filter(pk=row.pk).update(changes=row.changes, prev_hash=row.prev_hash, hash=row.hash)
        prev = row.hash
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_id == rows[1].pk


def test_the_key_comes_from_the_environment_setting(org, sysadmin, settings):
    _entries(sysadmin, 2)
    assert audit.verify_chain().ok
    settings.JIANGUAN_AUDIT_KEY = "another-key-from-another-environment"
    assert not audit.verify_chain().ok


def test_deleting_the_newest_entries_is_detected_against_the_anchor(org, sysadmin):
    _entries(sysadmin, 8)
    anchor = audit.make_anchor(dt.date(2026, 12, 4))
    assert anchor["seq"] == 8 and anchor["count"] == 8
    call_command("audit", "verify")
    with pytest.raises(Conflict), transaction.atomic():  # younger than the retention → refused through the ORM…
        AuditEntry.objects.filter(seq__gt=5).delete()
    assert AuditEntry.objects.count() == 8
    from django.db import connection

    with connection.cursor() as cur:  # …so the attacker deletes with SQL
        cur.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq > 5")
    assert audit.verify_chain().ok  # the shorter chain is consistent in itself
    report = audit.verify_with_anchors()
    assert not report.ok and "链尾的记录被删除" in report.problem
    with pytest.raises(CommandError, match="链尾的记录被删除"):
        call_command("audit", "verify")


def test_a_forged_anchor_is_refused(org, sysadmin, tmp_path):
    _entries(sysadmin, 3)
    forged = {"date": "2026-12-04", "seq": 3, "count": 3,
              "hash": AuditEntry.objects.get(seq=3).hash, "signature": "0" * 64}
    report = audit.verify_with_anchors([forged])
    assert not report.ok and "签名无效" in report.problem


def test_the_anchor_is_made_once_a_day_by_the_sweep_and_published(org, sysadmin, tmp_path):
    _entries(sysadmin, 3)
    call_command("sweep", "--today", "2026-12-04", "--only", "audit-anchor")
    call_command("sweep", "--today", "2026-12-04", "--only", "audit-anchor")
    assert [a["date"] for a in audit.read_anchors()] == ["2026-12-04"]
    from jianguan.portal import opendata

    manifest = opendata.dump(today=dt.date(2026, 12, 4), directory=tmp_path / "od")
    assert manifest["audit_anchor"] == audit.latest_anchor()
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    call_command("audit", "verify", "--anchor", str(tmp_path / "manifest.json"))


def test_entries_younger_than_the_retention_cannot_be_deleted(org, sysadmin):
    _entries(sysadmin, 2)
    entry = AuditEntry.objects.first()
    with pytest.raises(Conflict, match="至少 180 天"), transaction.atomic():
        entry.delete()
    AuditEntry.objects.filter(pk=entry.pk).update(at=entry.at - dt.timedelta(days=181))
    AuditEntry.objects.get(pk=entry.pk).delete()  # older than the retention: the application may purge it


def test_the_assessors_csv_carries_the_chain(org, sysadmin, auditadmin, login):
    _entries(sysadmin, 3)
    c = login(auditadmin)
    r = c.get("/workbench/audit/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert rows[0] == list(audit.EXPORT_COLUMNS)
    by_seq = {int(row[0]): row for row in rows[1:]}
    for entry in AuditEntry.objects.filter(seq__isnull=False):
        assert by_seq[entry.seq][-2:] == [entry.prev_hash, entry.hash]
    assert AuditEntry.objects.filter(action="core.audit.exported", actor=auditadmin).exists()
    assert login(sysadmin).get("/workbench/audit/export.csv").status_code == 403
