"""The tamper-evident audit log.

``record()`` is called by every service inside its transaction. Each entry's hash covers its content and the
previous entry's hash, so changing or deleting any stored row breaks the chain at that point (``verify_chain``).
The chain order is ``seq``, the position an entry was given when it was chained.

Chaining needs one writer at a time, and a lock taken inside the writers' own transactions would be held until
each of them commits, so that every audited write in the system would queue behind the slowest one (issue #7). So:

- on PostgreSQL ``record()`` only inserts the entry, unchained (``seq`` and ``hash`` empty), and the entries are
  chained right after the transaction commits by ``seal()``: under an advisory lock, one process at a time takes
  every committed unchained entry in id order and appends them to the chain in one UPDATE. A writer that finds the
  sealer busy leaves its entry to it (the sealer looks again after it lets go of the lock). Entries of a process
  that died between its commit and its seal are chained by the next writer, by the daily sweep, or by
  ``verify_chain`` (which seals before it checks);
- on SQLite, which runs one writing transaction at a time anyway, ``record()`` chains the entry at once;
- a large batch (``record_many`` of ``CHAIN_AT_INSERT`` entries or more: a sweep's chunk, an import) is chained as
  it is inserted on PostgreSQL too: it takes the chain's lock (until its transaction ends), reads the chain's end
  and writes its entries with their ``seq`` and hash — instead of writing each entry twice (the insert, then the
  sealer's UPDATE) and reading it back in between, which was half the audit's cost of the July listing at province
  scale. Single writes never wait for that lock; a sealer that finds it taken leaves its entries to the batch's
  own ``seal()`` after the commit.

Until it is chained an entry is protected only like the newest entry of any hash chain, i.e. not at all; that lasts
milliseconds.

Two things make the chain hold against someone who can write to the database (#14 finding 4):

- the hashes are HMAC-SHA-256 with a key from the environment (``JIANGUAN_AUDIT_KEY``, never stored in the
  database), so a rewritten entry cannot be re-hashed, nor the chain after it, without the key;
- a daily **anchor** — the chain's head (seq, hash) and the count of entries, signed with the same key — is written
  outside the table (``JIANGUAN_AUDIT_ANCHOR_FILE``) and published in the open-data manifest, so deleting the
  newest entries (which leaves a shorter but consistent chain) is detected against the last anchor.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from . import bulk
from .models import AuditEntry

logger = logging.getLogger(__name__)
#: Sent by ``record_many`` with ``entries`` (the created AuditEntry rows, or ``Written`` tuples: ``id``,
#: ``object_type``, ``object_id``, ``seq``, ``hash``): ``bulk_create`` sends no ``post_save``,
#: and what listens to each audit entry (the stored public records' invalidation) listens to this for a batch.
recorded_many = Signal()

GENESIS = "0" * 64
_LOCK_ID = 0x4A47_4155  # "JGAU"
SEAL_BATCH = 1000
_CONTENT = (
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
)


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
    key: bytes | None = None,
) -> str:
    """The entry's HMAC under the chain key (``key``: the chain key read once by a caller hashing many)."""
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
    return hmac.new(key or chain_key(), raw.encode(), hashlib.sha256).hexdigest()


def chain_key() -> bytes:
    """The chain's HMAC key: ``JIANGUAN_AUDIT_KEY`` from the environment, else one derived from the secret key
    (also from the environment). Never in the database."""
    from django.conf import settings

    explicit = getattr(settings, "JIANGUAN_AUDIT_KEY", "")
    if explicit:
        return explicit.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"jianguan-audit-chain-v1", hashlib.sha256).digest()


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


def _serialises_writers() -> bool:
    return connection.vendor != "postgresql"


def _content(*, actor, action: str, at, obj: models.Model | None = None, changes: dict | None = None,
             object_type: str = "", object_id: str = "", object_repr: str = "", unit=None) -> dict[str, Any]:
    """An entry's columns (as ``AuditEntry``'s keyword arguments, ``changes`` normalised) from ``record``'s."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = (actor_obj.get_username() if actor_obj else (actor if isinstance(actor, str) else "system"))[:150]
    return {"at": at, "actor": actor_obj, "actor_label": actor_label, "action": action, "object_type": object_type,
            "object_id": str(object_id), "object_repr": object_repr[:200], "unit_id": getattr(unit, "pk", unit),
            "changes": changes or {}}


def _entry(**kwargs) -> AuditEntry:
    content = _content(**kwargs)
    content["changes"] = _normalise(content["changes"])
    return AuditEntry(**content)


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
    """Append an entry to the audit log. Must run inside the caller's transaction.

    On PostgreSQL the entry returned is not chained yet (``seq`` and ``hash`` are None): ``seal()`` chains it once
    the transaction commits. No lock is taken. Inside ``batched()`` the entry is written when the batch ends.
    """
    entry = _entry(actor=actor, action=action, at=timezone.now(), obj=obj, changes=changes, object_type=object_type,
                   object_id=object_id, object_repr=object_repr, unit=unit)
    if _batch.entries is not None:
        _batch.entries.append(entry)
        return entry
    if _serialises_writers():
        # SQLite: this transaction is the only writer (BEGIN IMMEDIATE), so the chain's end cannot move under us.
        with transaction.atomic(savepoint=False):
            seq, prev = _chain_end()
            entry.seq, entry.prev_hash = seq + 1, prev
            entry.hash = _hash_of(entry, prev)
            entry.save(force_insert=True)
        return entry
    entry.save(force_insert=True)
    if not any(hook[1] is seal for hook in connection.run_on_commit):  # once per transaction
        transaction.on_commit(seal, robust=True)
    return entry


class Written(NamedTuple):
    """An entry ``record_many(..., returning=False)`` wrote: what the ``recorded_many`` receivers read."""

    id: int
    object_type: str
    object_id: str
    seq: int
    hash: str


def record_many(entries: Iterable[dict], *, batch_size: int = 1000,
                returning: bool = True) -> list[AuditEntry] | list[Written]:
    """``record()`` for many writes at once — one entry per write, as ``record`` would make each, inserted set-based.

    Each item holds ``record``'s keyword arguments (``actor``, ``action``, ``obj``, ``changes``, ``unit``, …). Must
    run inside the caller's transaction. On SQLite, and for ``CHAIN_AT_INSERT`` entries or more on PostgreSQL, the
    entries are chained here in the given order (one read of the chain's end, HMAC per entry, one INSERT or COPY)
    instead of three statements each; a smaller batch on PostgreSQL is inserted unchained and ``seal()`` chains it
    after the commit, like ``record``'s.

    ``returning=False`` (a sweep's chunk of thousands): when the batch is chained here, its rows are written without
    model objects and ``Written`` tuples are returned — the same rows, chain and signal, a fifth of the July
    listing's time less at province scale (docs/scale.md). The signal then goes out before the rows are chained and
    written (its ``Written`` without ``seq`` and ``hash``): receivers read what the entries are about, not the log.
    """
    now = timezone.now()
    if not returning and _batch.entries is None:
        items = entries if isinstance(entries, list) else list(entries)
        if items and (_serialises_writers() or len(items) >= CHAIN_AT_INSERT):
            return _write_plain(items, now)
        entries = items
    rows = [_entry(at=now, **item) for item in entries]
    if _batch.entries is not None:
        _batch.entries.extend(rows)
        return rows
    return _write(rows, batch_size=batch_size)


def _write_plain(items: list[dict], at) -> list[Written]:
    """``_write``'s chained branch without model objects: the rows as values, their keys reserved, one COPY."""
    from jianguan.registry import bulk as rows_bulk

    columns = ["id", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr", "unit_id",
               "changes", "seq", "prev_hash", "hash"]
    with transaction.atomic(savepoint=False):
        ids = bulk.reserve_ids(AuditEntry._meta.db_table, len(items))
        prepared = []
        for pk, item in zip(ids, items, strict=True):
            content = _content(at=at, **item)
            actor = content.pop("actor")
            content["actor_id"] = actor.pk if actor is not None else None
            # one dump serves the normalised value (hashed) and the stored text
            text = json.dumps(content["changes"], default=_json_default, ensure_ascii=False)
            content["changes"] = json.loads(text)
            prepared.append((pk, content, text))
        # what follows the entries (the stored records' marks) is done before the chain's lock, which is held until
        # the commit: a process deciding beside this one waits only for the chaining and its COPY
        recorded_many.send(sender=AuditEntry, entries=[Written(pk, c["object_type"], c["object_id"], None, None)
                                                       for pk, c, _text in prepared])
        if not _serialises_writers():
            with connection.cursor() as cur:  # held until the transaction ends, as in _write
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        seq, prev = _chain_end()
        key = chain_key()
        rows, written = [], []
        for pk, content, text in prepared:
            seq += 1
            digest = _hash_of(content, prev, key)
            rows.append((pk, at, content["actor_id"], content["actor_label"], content["action"],
                         content["object_type"], content["object_id"], content["object_repr"], content["unit_id"],
                         text, seq, prev, digest))
            written.append(Written(pk, content["object_type"], content["object_id"], seq, digest))
            prev = digest
        rows_bulk.insert(AuditEntry, columns, rows)
    if not _serialises_writers() and not any(hook[1] is seal for hook in connection.run_on_commit):
        transaction.on_commit(seal, robust=True)  # the entries of writers that found the lock taken
    return written


# A batch this large is chained as it is inserted, under the chain's lock, on PostgreSQL too (module docstring).
CHAIN_AT_INSERT = 1000


def _write(rows: list[AuditEntry], *, batch_size: int = 1000) -> list[AuditEntry]:
    if not rows:
        return []
    if _serialises_writers() or len(rows) >= CHAIN_AT_INSERT:
        with transaction.atomic(savepoint=False):
            if not _serialises_writers():
                with connection.cursor() as cur:  # held until the transaction ends: nobody chains meanwhile
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
            seq, prev = _chain_end()
            key = chain_key()  # once for the batch: derived from the secret key, it was a tenth of the hashing
            for entry in rows:
                seq += 1
                entry.seq, entry.prev_hash = seq, prev
                entry.hash = prev = _hash_of(entry, prev, key)
            created = bulk.create(rows, batch_size=batch_size)
        if not _serialises_writers() and not any(hook[1] is seal for hook in connection.run_on_commit):
            transaction.on_commit(seal, robust=True)  # the entries of writers that found the lock taken
    else:
        created = bulk.create(rows, batch_size=batch_size)
        if not any(hook[1] is seal for hook in connection.run_on_commit):
            transaction.on_commit(seal, robust=True)
    recorded_many.send(sender=AuditEntry, entries=created)
    return created


class _Batch(threading.local):
    entries: list[AuditEntry] | None = None


_batch = _Batch()


@contextlib.contextmanager
def batched():
    """Write the entries that ``record``/``record_many`` make inside the block as one batch when it ends — one entry
    each, in the order they were made, with the time each was made — through ``record_many``'s set-based path (one
    read of the chain's end, one prepared INSERT, one invalidation of the stored public records per kind of source)
    instead of three statements and an invalidation each. For loaders that run the services many times in one
    transaction (each step of ``jianguan demo``: the complaint step alone makes ~1,400 entries).

    The batch holds what the database would: the entries made inside a savepoint that is rolled back (a service
    that failed and whose error was caught) are dropped with it, and an error leaving the block drops the whole
    batch. Entries are unsaved (no ``pk``, no ``seq``) until the block ends. Nested blocks join the outer one.
    """
    if _batch.entries is not None:
        yield
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit.batched() must run inside a transaction")
    entries: list[AuditEntry] = []
    marks: dict[str, int] = {}  # savepoint → the batch's length when it was taken
    savepoint, savepoint_rollback = conn.savepoint, conn.savepoint_rollback

    def taking(*args, **kwargs):
        sid = savepoint(*args, **kwargs)
        if sid is not None:
            marks[sid] = len(entries)
        return sid

    def rolling_back(sid, *args, **kwargs):
        savepoint_rollback(sid, *args, **kwargs)
        if sid in marks:
            del entries[marks[sid]:]

    conn.savepoint, conn.savepoint_rollback = taking, rolling_back
    _batch.entries = entries
    try:
        yield
    finally:
        _batch.entries = None
        del conn.savepoint, conn.savepoint_rollback  # the class's methods again
    _write(entries)


def _chain_end() -> tuple[int, str]:
    """(seq, hash) of the last chained entry, or (0, GENESIS)."""
    last = AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)


def _hash_of(entry: AuditEntry | dict, prev: str, key: bytes | None = None) -> str:
    get = entry.get if isinstance(entry, dict) else entry.__dict__.get
    return entry_hash(
        prev_hash=prev,
        at=get("at"),
        actor_id=get("actor_id"),
        actor_label=get("actor_label"),
        action=get("action"),
        object_type=get("object_type"),
        object_id=get("object_id"),
        object_repr=get("object_repr"),
        unit_id=get("unit_id"),
        changes=get("changes"),
        key=key,
    )


# The sealer's SQL (PostgreSQL only). Several statements in one round trip run one after the other, each with its
# own snapshot (READ COMMITTED), so a statement after the lock sees everything committed before the lock was had.
_T = AuditEntry._meta.db_table
_END = f"SELECT seq, hash FROM {_T} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
_PENDING = f"SELECT {', '.join(_CONTENT)} FROM {_T} WHERE seq IS NULL ORDER BY id LIMIT %s"
_ANY_PENDING = f"SELECT 1 FROM {_T} WHERE seq IS NULL LIMIT 1"


def _chain(cur, end, rows) -> tuple[int, str]:
    """Append ``rows`` (unchained, in id order) to the chain ending at ``end``; returns the new end. The caller holds
    the chain lock."""
    seq, prev = end or (0, GENESIS)
    values = []
    key = chain_key()
    for row in rows:
        row = dict(zip(_CONTENT, row, strict=True))
        if isinstance(row["changes"], str):
            row["changes"] = json.loads(row["changes"])
        seq += 1
        digest = _hash_of(row, prev, key)  # from the stored values, exactly what verify_chain will read
        values += [row["id"], seq, prev, digest]
        prev = digest
    # One statement: the batch is chained entirely or not at all (and the unique seq refuses a fork).
    cur.execute(
        f"UPDATE {_T} AS a SET seq = v.seq, prev_hash = v.prev, hash = v.hash "
        f"FROM (VALUES {', '.join(['(%s::bigint, %s::bigint, %s, %s)'] * len(rows))}) AS v(id, seq, prev, hash) "
        "WHERE a.id = v.id AND a.seq IS NULL",
        values,
    )
    if cur.rowcount != len(rows):  # cannot happen while every sealer takes the lock
        raise RuntimeError("audit entries were chained by someone else while the chain lock was held")
    return seq, prev


def _seal_locked(cur, lock_sql: str) -> tuple[bool, int]:
    """Take the lock with ``lock_sql`` and chain everything pending: (lock obtained, entries chained)."""
    cur.execute(f"{lock_sql}; {_END}; {_PENDING}", [_LOCK_ID, SEAL_BATCH])
    if cur.fetchone()[0] is False:
        return False, 0
    cur.nextset()
    end = cur.fetchone()
    cur.nextset()
    rows = cur.fetchall()
    sealed = 0
    while rows:
        end = _chain(cur, end, rows)
        sealed += len(rows)
        if len(rows) < SEAL_BATCH:
            break
        cur.execute(_PENDING, [SEAL_BATCH])
        rows = cur.fetchall()
    return True, sealed


def seal(*, wait: bool = False) -> int:
    """Chain the committed entries that are not chained yet; returns how many. A no-op on SQLite.

    Called after every commit that recorded an entry: three round trips (lock + chain's end + pending entries;
    the UPDATE; unlock + look again). If another process is sealing, returns after the first (``wait`` false): that
    process looks for new entries again after it releases the lock, so none is left behind.
    """
    if _serialises_writers():
        return 0
    with connection.cursor() as cur:
        if connection.in_atomic_block:
            # Inside a transaction (a test, the sweep, verify_chain called in one): the lock lasts until it commits.
            return _seal_locked(cur, "SELECT true FROM pg_advisory_xact_lock(%s)")[1]
        sealed = 0
        for _ in range(100):  # a bound, not a schedule: each round normally finds nothing new
            try:
                got, n = _seal_locked(
                    cur, "SELECT true FROM pg_advisory_lock(%s)" if wait else "SELECT pg_try_advisory_lock(%s)"
                )
            except BaseException:
                cur.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_ID])
                raise
            if not got:
                return sealed  # the holder will see our entries when it looks again
            sealed += n
            # Unlock, then look again: an entry committed while we held the lock, whose writer found the lock
            # taken, is ours to chain.
            cur.execute(f"SELECT pg_advisory_unlock(%s); {_ANY_PENDING}", [_LOCK_ID])
            cur.nextset()
            if cur.fetchone() is None:
                return sealed
    logger.warning("audit seal: entries still arriving after 100 rounds; the next writer will chain them")
    return sealed


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""
    pending: int = 0  # entries of transactions that committed while we checked, not chained yet


def verify_chain(batch: int = 5000) -> ChainReport:
    """Chain what is pending, then walk the whole log in chain order and report the first entry whose link or
    content does not match."""
    seal(wait=True)
    prev = GENESIS
    checked = 0
    last_seq = 0
    fields = ("seq", *_CONTENT[1:], "prev_hash", "hash", "id")
    key = chain_key()
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq").values_list(*fields)[:batch])
        if not rows:
            return ChainReport(ok=True, checked=checked, pending=AuditEntry.objects.filter(seq__isnull=True).count())
        for seq, at, actor_id, actor_label, action, otype, oid, orepr, unit_id, changes, prev_hash, digest, pk in rows:
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
                key=key,
            )
            if expected != digest:
                return ChainReport(False, checked, pk, f"审计记录 #{pk} 的内容与其哈希不符（记录被改动）")
            prev = digest
            checked += 1
            last_seq = seq


def _check_anchor(anchor: dict) -> str:
    """Why ``anchor`` does not hold against the table (or its signature is wrong), or ''."""
    if not hmac.compare_digest(str(anchor.get("signature", "")), sign_anchor(anchor)):
        return f"锚点（{anchor.get('date')}）的签名无效：锚点被伪造或密钥不符"
    row = AuditEntry.objects.filter(seq=anchor["seq"]).values_list("hash", flat=True).first()
    if row is None:
        return (f"锚点（{anchor['date']}）记录的第 {anchor['seq']} 条链上记录已不存在："
                "链尾的记录被删除")
    if row != anchor["hash"]:
        return f"锚点（{anchor['date']}）记录的第 {anchor['seq']} 条链上记录的哈希不符：记录被改写"
    if AuditEntry.objects.filter(seq__isnull=False, seq__lte=anchor["seq"]).count() != anchor["count"]:
        return f"锚点（{anchor['date']}）之前的记录条数与锚点不符：有记录被删除"
    return ""


def verify_with_anchors(anchors: list[dict] | None = None) -> ChainReport:
    """``verify_chain`` and then every anchor (default: those in the anchor file) against the table."""
    report = verify_chain()
    if not report.ok:
        return report
    for anchor in anchors if anchors is not None else read_anchors():
        problem = _check_anchor(anchor)
        if problem:
            return ChainReport(False, report.checked, None, problem, report.pending)
    return report


# --- anchors ----------------------------------------------------------------------------------------------------------

_ANCHOR_FIELDS = ("date", "seq", "hash", "count")


def sign_anchor(anchor: dict) -> str:
    raw = json.dumps({k: anchor[k] for k in _ANCHOR_FIELDS}, sort_keys=True, separators=(",", ":"))
    return hmac.new(chain_key(), b"anchor:" + raw.encode(), hashlib.sha256).hexdigest()


def anchor_path():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.JIANGUAN_AUDIT_ANCHOR_FILE)


def read_anchors() -> list[dict]:
    path = anchor_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def latest_anchor() -> dict | None:
    anchors = read_anchors()
    return anchors[-1] if anchors else None


def make_anchor(today: dt.date) -> dict | None:
    """Write today's anchor (chain head and count, signed) to the anchor file, once a day; returns it (or None when
    today's is already written or the chain is empty)."""
    seal(wait=True)
    if any(a["date"] == today.isoformat() for a in read_anchors()):
        return None
    head = AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    if head is None:
        return None
    anchor = {"date": today.isoformat(), "seq": head[0], "hash": head[1],
              "count": AuditEntry.objects.filter(seq__isnull=False, seq__lte=head[0]).count()}
    anchor["signature"] = sign_anchor(anchor)
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(anchor, sort_keys=True) + "\n")
        f.flush()
    return anchor


# --- retention and export ---------------------------------------------------------------------------------------------

def refuse_early_deletion(sender, instance: AuditEntry, **kwargs) -> None:
    """pre_delete: no audit entry younger than the retention period (≥ 180 days, 网络安全法 第二十一条) is deleted
    through the application, whatever the door (admin, shell, a cascade)."""
    from .errors import Conflict
    from .rules import rule

    days = max(180, int(rule("core.audit_retention_days")))
    if instance.at > timezone.now() - dt.timedelta(days=days):
        raise Conflict(f"审计记录须保存至少 {days} 天，#{instance.pk} 尚未到期，不能删除", code="audit_retention")


EXPORT_COLUMNS = ("seq", "id", "at", "actor", "action", "object_type", "object_id", "object_repr", "unit", "changes",
                  "prev_hash", "hash")


def export_rows(qs):
    """CSV rows for the assessor: every entry with its chain values, in chain order."""
    yield EXPORT_COLUMNS
    fields = ("seq", "id", "at", "actor_label", "action", "object_type", "object_id", "object_repr", "unit_id",
              "changes", "prev_hash", "hash")
    for row in qs.order_by("seq").values_list(*fields).iterator(chunk_size=2000):
        row = list(row)
        row[2] = row[2].astimezone(dt.UTC).isoformat(timespec="microseconds")
        row[9] = json.dumps(row[9], ensure_ascii=False, sort_keys=True)
        yield row


# --- reads of personal data -------------------------------------------------------------------------------------------

#: One read entry per person, object and window: a page reloaded ten times is one read, not ten entries.
PERSONAL_READ_WINDOW_SECONDS = 3600


def record_personal_read(*, actor, obj: models.Model, fields, unit=None) -> AuditEntry | None:
    """Log that ``actor`` was shown personal data (ID numbers, phone numbers, a reporter's identity) of ``obj``.

    Called by the views and API endpoints that show such data unmasked (网络安全法 第四十条、个人信息保护法 第五十一条:
    the handler keeps a record of access to personal information). At most one entry per actor, object, set of fields and hour.
    """
    from django.core.cache import cache

    if not getattr(actor, "is_authenticated", False):
        return None
    # per set of fields too: a page showing the reporter and then the business address reads two things
    key = f"jianguan:pread:{actor.pk}:{obj._meta.label_lower}:{obj.pk}:{','.join(sorted(fields))}"
    if not cache.add(key, 1, PERSONAL_READ_WINDOW_SECONDS):
        return None
    with transaction.atomic():
        return record(actor=actor, action="core.personal_data.viewed", obj=obj, unit=unit,
                      changes={"fields": [None, sorted(fields)]})
