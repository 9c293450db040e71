"""The tamper-evident audit log.

``record()`` is called by every service inside its transaction. Each entry's hash covers its content and the
previous entry's hash, so changing or deleting any stored row breaks the chain at that point (``verify_chain``).
Writers are serialised (an advisory lock on PostgreSQL; SQLite already serialises writers) so the chain stays linear.

The lock is transaction-wide: it is held from ``record()`` until the caller commits, and every audited write in the
system waits for it. So a service calls ``record()`` as its last statement, after its own writes (and after anything
slow), and ``record()`` itself is three statements: the lock, the previous hash, the insert (no savepoint).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEntry

GENESIS = "0" * 64
_LOCK_ID = 0x4A47_4155  # "JGAU"


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def _normalise(value: Any) -> Any:
    """What a value looks like after a JSON round trip, so the stored row hashes the same as the written one."""
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


def entry_hash(
    *,
    prev_hash: str,
    at: dt.datetime,
    actor_id,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    unit_id,
    changes: Any,
) -> str:
    payload = {
        "prev": prev_hash,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "unit": unit_id,
        "changes": changes,
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` of ``obj`` (foreign keys by id), for before/after diffs."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = getattr(obj, field.attname)
    return _normalise(out)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose values differ."""
    before, after = _normalise(before), _normalise(after)
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit=None,
) -> AuditEntry:
    """Append an entry to the audit log. Must run inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = (actor_obj.get_username() if actor_obj else (actor if isinstance(actor, str) else "system"))[:150]
    changes = _normalise(changes or {})
    unit_id = getattr(unit, "pk", unit)
    # No savepoint: an error here must undo the caller's write anyway, and it would cost two more round trips while
    # the chain lock is held.
    with transaction.atomic(savepoint=False):
        _lock()
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        prev = last or GENESIS
        at = timezone.now()
        digest = entry_hash(
            prev_hash=prev,
            at=at,
            actor_id=actor_obj.pk if actor_obj else None,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            unit_id=unit_id,
            changes=changes,
        )
        return AuditEntry.objects.create(
            at=at,
            actor=actor_obj,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            unit_id=unit_id,
            changes=changes,
            prev_hash=prev,
            hash=digest,
        )


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the whole log in order and report the first entry whose link or content does not match."""
    prev = GENESIS
    checked = 0
    last_id = 0
    fields = (
        "id",
        "at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "unit_id",
        "changes",
        "prev_hash",
        "hash",
    )
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id").values_list(*fields)[:batch])
        if not rows:
            return ChainReport(ok=True, checked=checked)
        for pk, at, actor_id, actor_label, action, otype, oid, orepr, unit_id, changes, prev_hash, digest in rows:
            if prev_hash != prev:
                return ChainReport(
                    False, checked, pk, f"审计记录 #{pk} 的前序哈希与上一条记录不符（上一条被删除或改动）"
                )
            expected = entry_hash(
                prev_hash=prev_hash,
                at=at,
                actor_id=actor_id,
                actor_label=actor_label,
                action=action,
                object_type=otype,
                object_id=oid,
                object_repr=orepr,
                unit_id=unit_id,
                changes=changes,
            )
            if expected != digest:
                return ChainReport(False, checked, pk, f"审计记录 #{pk} 的内容与其哈希不符（记录被改动）")
            prev = digest
            checked += 1
            last_id = pk
