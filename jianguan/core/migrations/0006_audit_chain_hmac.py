"""Re-key the audit chain from plain SHA-256 to HMAC-SHA-256 with the key from the environment (#14).

The chain is first checked with the old hashes: a chain that does not verify is not re-keyed (that would launder a
tampering), and the migration stops and says which entry is wrong.
"""

import hashlib
import json

from django.db import migrations


def _payload(row, prev):
    import datetime as dt

    return json.dumps({
        "prev": prev, "at": row.at.astimezone(dt.UTC).isoformat(timespec="microseconds"), "actor": row.actor_id,
        "actor_label": row.actor_label, "action": row.action, "object_type": row.object_type,
        "object_id": row.object_id, "object_repr": row.object_repr, "unit": row.unit_id, "changes": row.changes,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def rekey(apps, schema_editor):
    import hmac

    from jianguan.core.audit import GENESIS, chain_key

    AuditEntry = apps.get_model("core", "AuditEntry")
    key = chain_key()
    old_prev, new_prev = GENESIS, GENESIS
    batch = []
    for row in AuditEntry.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        payload = _payload(row, old_prev)
        if row.prev_hash != old_prev or hashlib.sha256(payload).hexdigest() != row.hash:
            raise RuntimeError(f"audit entry #{row.pk} does not verify with the old hashes; not re-keying the chain")
        old_prev = row.hash
        row.prev_hash = new_prev
        row.hash = hmac.new(key, _payload(row, new_prev), hashlib.sha256).hexdigest()
        new_prev = row.hash
        batch.append(row)
        if len(batch) >= 2000:
            AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    if batch:
        AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [("core", "0005_security_policy_bounds")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
