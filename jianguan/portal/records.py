"""Stored public records: ``GET /api/v1/entities/{code}`` served with one indexed read.

The record (``public.build``) takes ten queries and a render; a public API has to answer far more often than the
register changes, so each entity's record is rendered once into ``PublicRecord`` and served from there.

Keeping it right:

- **Invalidation in the writer's transaction.** Any change to a source of the record — a save or delete of a
  source model (signals), or an audit entry about one (every service audits each object it writes, which also
  covers ``bulk_update`` / ``bulk_create`` in services such as the publication of inspection results and the
  daily listing sweep) — counts one more change in the entity's ``RecordMark`` (a small row: the stored record
  itself is not rewritten), in the same transaction as the change: once the change is committed, no reader gets
  the old record, because a record is served only if it was built with every counted change.
- **Rebuild on read, guarded by the count.** A reader that finds no valid row reads the count, *then* the
  sources, builds the record and stores it with that count as its ``generation`` — never over a record built
  with a higher one. A build that raced a change is stored behind the mark, so it is not served again.
- **Date-dependent records** (complaint figures of the last 12 months, penalties whose publication starts or
  ends) are stored with ``valid_until`` = tomorrow and rebuilt on their first read of the next day.
- **In bulk**: ``rebuild()`` (``jianguan publicrecords [--all]``, and the daily sweep for the stale ones) builds
  2,000 records per ten queries and writes them with COPY.

Writes that bypass both the ORM and the audit log (raw SQL, ``QuerySet.update`` in a service that does not audit
each object) must call ``invalidate()`` themselves; the registry import's updates are covered by the
``EntityChange`` row it writes for each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from array import array
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from jianguan.core import bulk
from jianguan.registry import uscc as uscc_mod
from jianguan.registry.models import Entity

from . import public
from .models import PublicRecord, RecordMark

CHUNK = 2000
TABLE = PublicRecord._meta.db_table


def render(data: dict) -> bytes:
    """The record's bytes as served (compact JSON, UTF-8)."""
    return json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


# --- serving ------------------------------------------------------------------------------------------------------

MARKS = RecordMark._meta.db_table
ENTITIES = Entity._meta.db_table
_READ = (
    f"SELECT r.body, r.etag FROM {TABLE} r WHERE r.uscc = %s AND r.body IS NOT NULL "
    f"AND (r.valid_until IS NULL OR r.valid_until > %s) "
    f"AND NOT EXISTS (SELECT 1 FROM {MARKS} m WHERE m.entity_id = r.entity_id AND m.changed > r.generation)"
)


def get(code: str, *, today: dt.date | None = None) -> tuple[bytes, str] | None:
    """The stored record of the entity with this code and its ETag — one indexed query — or, when there is no
    valid stored row, the record built now (and stored). None: no such entity."""
    code = uscc_mod.normalize((code or "").replace("\x00", ""))
    if not code or len(code) > 18:
        return None
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_READ, [code, today])
        row = cursor.fetchone()
    if row is not None:
        return row[0].encode(), row[1]
    return refresh(code, today=today)


def refresh(code: str, *, today: dt.date | None = None) -> tuple[bytes, str] | None:
    """Build one record now and store it (behind its mark if a change came in while it was being built)."""
    today = today or timezone.localdate()
    # The count of changes is read before any source, so a change committed after this point counts past ours.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT e.id, m.changed FROM {ENTITIES} e LEFT JOIN {MARKS} m ON m.entity_id = e.id "
                       f"WHERE e.uscc = %s", [code])
        found = cursor.fetchone()
    entity = public.get_public_entity(code) if found else None
    if entity is None:
        return None
    public.prefetch_record([entity])
    counted = {entity.pk: found[1]} if found[1] and entity.pk == found[0] else {}
    ((_, _, body, etag, *_),) = rows = _rows([entity], today=today, generations=counted)
    _store(rows)
    _built(counted)  # not in one transaction with the store: a stale ``built`` only means one more rebuild later
    return body.encode(), etag


def _rows(
    entities: list[Entity], *, today: dt.date, generations: dict[int, int], complained: set[int] | None = None
) -> list[tuple]:
    """(entity_id, uscc, body, etag, valid_until, generation, built_at) for entities already prefetched;
    ``generations``: the changes counted for each (read before the sources), none if absent."""
    now, tomorrow = timezone.now(), today + dt.timedelta(days=1)
    out = []
    for entity in entities:
        data, dated = public.build(entity, today=today, complained=complained)
        raw = render(data)
        out.append(
            (
                entity.pk,
                entity.uscc,
                raw.decode(),
                etag_of(raw),
                tomorrow if dated else None,
                generations.get(entity.pk, 0),
                now,
            )
        )
    return out


# --- invalidation -------------------------------------------------------------------------------------------------


#: Up to this many entity ids are read before the write; more stay a subquery.
FEW = 1000


def invalidate(entities: Iterable[int] | models.QuerySet) -> None:
    """Count one more change for the records of these entities (ids, or a query yielding entity ids), in the
    current transaction: none of them is served again until rebuilt with it. Entities without a stored record
    get a mark too, so that a build racing this change cannot pass for a current one either."""
    if isinstance(entities, models.QuerySet):
        # The query's own SQL, not ``Entity.objects.filter(pk__in=query)``: that nests the entity table inside itself
        # and, on statistics taken while the table was empty (one row estimated), PostgreSQL ran the self-join as a
        # nested loop over every entity for every change — the demo's complaint step took over half an hour in CI.
        # Most changes touch one entity: read the ids first (an index lookup) so the write below is a key lookup
        # whatever the planner believes of the tables' sizes; only a large set stays a subquery.
        entities = entities.order_by()
        found = list(entities[: FEW + 1])
        if len(found) > FEW:
            sql, params = entities.query.sql_with_params()
        else:
            raw = (next(iter(r.values())) if isinstance(r, dict) else r[0] if isinstance(r, tuple) else r for r in found)
            ids = sorted({int(v) for v in raw if v is not None})
            if not ids:
                return
            sql, params = ", ".join(["%s"] * len(ids)), ids
    else:
        ids = sorted({int(i) for i in entities if i is not None})
        if not ids:
            return
        sql, params = ", ".join(["%s"] * len(ids)), ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MARKS} (entity_id, changed, built) SELECT id, 1, 0 FROM {ENTITIES} WHERE id IN ({sql}) "
            f"ON CONFLICT (entity_id) DO UPDATE SET changed = {MARKS}.changed + 1",
            params,
        )


def marked(ids: Iterable[int] | None = None) -> set[int]:
    """The entities (of ``ids``, or all) with changes their stored record does not include yet."""
    due = RecordMark.objects.filter(changed__gt=models.F("built"))
    if ids is not None:
        due = due.filter(entity_id__in=list(ids))
    return set(due.values_list("entity_id", flat=True))


def served(entity_id: int, *, today: dt.date | None = None) -> bool:
    """Whether the stored record of this entity is served as it is (built, current, not past its date)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ.replace("r.uscc = %s", "r.entity_id = %s"), [entity_id, today or timezone.localdate()])
        return cursor.fetchone() is not None


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _task_entities(task_ids) -> models.QuerySet:
    return apps.get_model("inspections", "InspectionTask").objects.filter(pk__in=task_ids).values("entity_id")


#: Sources whose rows belong to one entity: label → the entity ids of an instance.
ENTITY_SOURCES: dict[str, Callable] = {
    "registry.entity": lambda obj: [obj.pk],
    "registry.licence": lambda obj: [obj.entity_id],
    "registry.entitychange": lambda obj: [obj.entity_id],  # the registry import updates entities with .update()
    "credit.annualreport": lambda obj: [obj.entity_id],
    "credit.instantinfo": lambda obj: [obj.entity_id],
    "credit.listentry": lambda obj: [obj.entity_id],
    "inspections.inspectiontask": lambda obj: [obj.entity_id],
    "inspections.itemresult": lambda obj: _task_entities([obj.task_id]),
    "complaints.complaint": lambda obj: [obj.entity_id],
    "enforcement.penalty": lambda obj: [obj.entity_id],
    "portal.reply": lambda obj: [obj.entity_id],
}


def _entities_of_unit(unit) -> list[models.QuerySet]:
    ListEntry = apps.get_model("credit", "ListEntry")
    InspectionTask = apps.get_model("inspections", "InspectionTask")
    return [
        Entity.objects.filter(registration_authority=unit).values("pk"),
        ListEntry.objects.filter(deciding_unit=unit).values("entity_id"),
        InspectionTask.objects.filter(batch__plan__unit=unit).values("entity_id"),
    ]


#: Shared reference data whose names appear in records: label → (fields shown, the entities that show them).
REFERENCES: dict[str, tuple[tuple[str, ...], Callable]] = {
    "core.division": (("name",), lambda obj: [Entity.objects.filter(division=obj).values("pk")]),
    "registry.industry": (("name",), lambda obj: [Entity.objects.filter(industry=obj).values("pk")]),
    "core.orgunit": (("name",), _entities_of_unit),
    "registry.licencekind": (
        ("name",),
        lambda obj: [apps.get_model("registry", "Licence").objects.filter(kind=obj).values("entity_id")],
    ),
    "inspections.inspectionitem": (
        ("name",),
        lambda obj: [
            _task_entities(apps.get_model("inspections", "ItemResult").objects.filter(item=obj).values("task_id"))
        ],
    ),
    "inspections.inspectionplan": (
        ("code", "title", "unit_id"),
        lambda obj: [
            apps.get_model("inspections", "InspectionTask").objects.filter(batch__plan=obj).values("entity_id")
        ],
    ),
}

#: Rules the record reads: a new value changes the records of the entities concerned.
RULES = {"complaints.public_stats_min_count"}


def _as_target(found) -> Iterable[int] | models.QuerySet:
    return found if isinstance(found, models.QuerySet) else [i for i in found if i is not None]


def _source_saved(sender, instance, **kwargs) -> None:
    invalidate(_as_target(ENTITY_SOURCES[sender._meta.label_lower](instance)))


def _source_deleted(sender, instance, **kwargs) -> None:
    invalidate(_as_target(ENTITY_SOURCES[sender._meta.label_lower](instance)))


def _reference_before(sender, instance, **kwargs) -> None:
    fields, _ = REFERENCES[sender._meta.label_lower]
    if instance.pk is not None and not instance._state.adding:
        instance._public_record_before = sender._default_manager.filter(pk=instance.pk).values_list(*fields).first()


def _reference_changed(sender, instance, created=False, **kwargs) -> None:
    fields, resolve = REFERENCES[sender._meta.label_lower]
    before = getattr(instance, "_public_record_before", None)
    if created or before is None or before == tuple(getattr(instance, f) for f in fields):
        return
    for qs in resolve(instance):
        invalidate(qs)


def _audited(sender, instance, created=False, **kwargs) -> None:
    """An audit entry about a source object: covers services writing with bulk_update/bulk_create/update."""
    resolve = ENTITY_SOURCES.get(instance.object_type)
    model = _model(instance.object_type) if created and resolve else None
    if model is None or not instance.object_id.isdigit():
        return
    if model is Entity:
        invalidate([int(instance.object_id)])
        return
    field = "entity_id" if any(f.attname == "entity_id" for f in model._meta.concrete_fields) else None
    if field is not None:
        invalidate(model._default_manager.filter(pk=int(instance.object_id)).values(field))
    elif model._meta.label_lower == "inspections.itemresult":
        invalidate(_task_entities(model._default_manager.filter(pk=int(instance.object_id)).values("task_id")))


def _audited_many(sender, entries, **kwargs) -> None:
    """``audit.record_many`` (set-based writes audited one entry per row): one invalidation per kind of source,
    whatever the number of entries — what ``_audited`` does for each, grouped."""
    by_type: dict[str, set[int]] = {}
    for entry in entries:
        if ENTITY_SOURCES.get(entry.object_type) and entry.object_id.isdigit():
            by_type.setdefault(entry.object_type, set()).add(int(entry.object_id))
    for object_type, ids in by_type.items():
        model = _model(object_type)
        if model is None:
            continue
        if model is Entity:
            invalidate(ids)
        elif any(f.attname == "entity_id" for f in model._meta.concrete_fields):
            invalidate(model._default_manager.filter(_keys(ids)).values("entity_id"))
        elif model._meta.label_lower == "inspections.itemresult":
            invalidate(_task_entities(model._default_manager.filter(_keys(ids)).values("task_id")))


def _keys(ids: set[int], most_runs: int = 16) -> models.Q:
    return bulk.key_ranges(ids, "pk", most_runs)


def _rule_changed(sender, instance, **kwargs) -> None:
    if instance.key in RULES:
        invalidate(_complained_since(timezone.localdate()))


def _complained_since(today: dt.date) -> models.QuerySet:
    from jianguan.complaints.models import Complaint
    from jianguan.complaints.selectors import public_window

    start, _ = public_window(today)
    return Complaint.objects.filter(entity__isnull=False, received_on__gte=start).values("entity_id")


def connect() -> None:
    """Wire the invalidation (``PortalConfig.ready``). Modules that are not installed are skipped."""
    for label in ENTITY_SOURCES:
        if (model := _model(label)) is not None:
            post_save.connect(_source_saved, sender=model, dispatch_uid=f"public-record-{label}")
            post_delete.connect(_source_deleted, sender=model, dispatch_uid=f"public-record-del-{label}")
    for label in REFERENCES:
        if (model := _model(label)) is not None:
            pre_save.connect(_reference_before, sender=model, dispatch_uid=f"public-record-ref-{label}")
            post_save.connect(_reference_changed, sender=model, dispatch_uid=f"public-record-ref-{label}")
    post_save.connect(_audited, sender=apps.get_model("core", "AuditEntry"), dispatch_uid="public-record-audit")
    from jianguan.core.audit import recorded_many

    recorded_many.connect(_audited_many, dispatch_uid="public-record-audit-many")
    post_save.connect(_rule_changed, sender=apps.get_model("core", "RuleValue"), dispatch_uid="public-record-rule")


# --- in bulk ------------------------------------------------------------------------------------------------------


def rebuild(*, everything: bool = False, today: dt.date | None = None, chunk: int | None = None, stdout=None,
            seconds: float | None = None, workers: int = 1) -> dict:
    """Build and store records in bulk: every entity's (``everything``), or only those due — missing, with
    changes not built yet, past their ``valid_until``, or with complaints in the public window (whose figures
    move with the date and with the threshold rule). The ids to build are read once, then built ``chunk`` at a
    time, each chunk its own transaction; safe to run beside the server.

    ``seconds``: stop after the chunk that passes this much time (``left`` in the result: more were due). What is
    left is still correct to serve — a marked or missing record is rebuilt when it is read — and the next run
    starts with it.

    ``workers``: on PostgreSQL, that many processes, each building an equal share of the ids. Building a record is
    Python work, one core per process; at 10,000,000 entities one process takes about 40 minutes
    (docs/scale.md). SQLite has one writer at a time, so there it is always one process."""
    today = today or timezone.localdate()
    chunk = chunk or CHUNK
    began = time.monotonic()  # ``seconds`` counts the reading of the ids too (5 s at 10,000,000 due)
    ids = _all_ids() if everything else due(today)
    if seconds is not None:
        seconds = max(0.0, seconds - (time.monotonic() - began))
    if workers > 1 and len(ids) > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _rebuild_in_processes(ids, today=today, chunk=chunk, stdout=stdout, seconds=seconds, workers=workers)

    def progress(built):
        if stdout is not None:
            stdout.write(f"\r  公示信息 {built:,}/{len(ids):,}")
            stdout.flush()

    result = _rebuild_ids(ids, today=today, chunk=chunk, seconds=seconds, progress=progress)
    if stdout is not None and result["built"]:
        stdout.write("\n")
    return result


def _ids(sql: str, params: list | tuple = ()) -> array:
    """The ids a query yields (sorted by it), 8 bytes each: 80 MB for a province's 10,000,000."""
    out = array("q")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(100_000):
            out.extend(row[0] for row in batch)
    return out


def _all_ids() -> array:
    return _ids(f"SELECT id FROM {ENTITIES} ORDER BY id")


def due(today: dt.date | None = None) -> array:
    """The entities whose records the next rebuild builds, in id order; one query, each part on an index."""
    today = today or timezone.localdate()
    complained, params = _complained_since(today).query.sql_with_params()
    return _ids(
        f"SELECT e.id FROM {ENTITIES} e WHERE NOT EXISTS (SELECT 1 FROM {TABLE} r WHERE r.entity_id = e.id) "
        f"UNION SELECT entity_id FROM {MARKS} WHERE changed > built "
        f"UNION SELECT entity_id FROM {TABLE} WHERE body IS NULL "
        f"UNION SELECT entity_id FROM {TABLE} WHERE valid_until <= %s "
        f"UNION SELECT c.entity_id FROM ({complained}) c ORDER BY 1",
        [today, *params],
    )


def _rebuild_ids(ids: array, *, today: dt.date, chunk: int, seconds: float | None,
                 progress: Callable[[int], None] | None = None) -> dict:
    """Build the records of these entities (sorted ids), ``chunk`` per transaction."""
    started, built, left = time.monotonic(), 0, False
    for start in range(0, len(ids), chunk):
        part = list(ids[start:start + chunk])
        with transaction.atomic():
            # the changes counted are read before the sources, as ``refresh`` does
            counted = dict(RecordMark.objects.filter(bulk.key_ranges(part, "entity_id"))
                           .values_list("entity_id", "changed"))
            entities = list(public.public_entities().filter(bulk.key_ranges(part)).order_by("pk"))
            public.prefetch_record(entities)
            rows = _rows(entities, today=today, generations=counted, complained=public.complained_about(part, today))
            _store(rows)
            _built(counted)
            if len(entities) < len(part):  # marks counted for entities deleted since
                gone = set(part) - {e.pk for e in entities}
                RecordMark.objects.filter(entity_id__in=gone).delete()
        built += len(rows)
        if progress is not None:
            progress(len(rows))
        if seconds is not None and time.monotonic() - started >= seconds:
            left = start + chunk < len(ids)
            break
    return {"built": built, "seconds": round(time.monotonic() - started, 1), "left": left}


def _rebuild_in_processes(ids: array, *, today: dt.date, chunk: int, stdout, seconds: float | None,
                          workers: int) -> dict:
    """``rebuild`` in ``workers`` forked processes, each building an equal share of ``ids``."""
    import multiprocessing

    from django.db import connections

    started = time.monotonic()
    share = -(-len(ids) // workers)
    context = multiprocessing.get_context("fork")  # the children start with this process's settings, code and ids
    done, left = context.Value("q", 0), context.Value("b", False)
    connections.close_all()  # a forked child must not share the parent's database connection
    processes = [context.Process(target=_rebuild_worker, name=f"publicrecords-{k + 1}",
                                 args=(ids, k * share, (k + 1) * share, today, chunk, seconds, done, left))
                 for k in range(workers) if k * share < len(ids)]
    for process in processes:
        process.start()
    while any(p.is_alive() for p in processes):
        for process in processes:
            process.join(timeout=1)
        if stdout is not None:
            stdout.write(f"\r  公示信息 {done.value:,}/{len(ids):,}（{len(processes)} 个进程）")
            stdout.flush()
    if stdout is not None:
        stdout.write("\n")
    failed = [p.name for p in processes if p.exitcode != 0]
    if failed:
        raise RuntimeError(f"公示信息生成进程 {'、'.join(failed)} 失败（其他进程已完成的部分已保存，可重新运行补齐）")
    return {"built": done.value, "seconds": round(time.monotonic() - started, 1), "left": bool(left.value)}


def _rebuild_worker(ids, start, stop, today, chunk, seconds, done, left) -> None:
    def progress(n):
        with done.get_lock():
            done.value += n

    result = _rebuild_ids(ids[start:stop], today=today, chunk=chunk, seconds=seconds, progress=progress)
    if result["left"]:
        left.value = True
    from django.db import connections

    connections.close_all()


_COLUMNS = ("entity_id", "uscc", "body", "etag", "valid_until", "generation", "built_at")
# A stored row is never replaced by one built with fewer of the changes counted (a slower build that raced).
_UPSERT_TAIL = (
    f"ON CONFLICT (entity_id) DO UPDATE SET uscc = excluded.uscc, body = excluded.body, "
    f"etag = excluded.etag, valid_until = excluded.valid_until, generation = excluded.generation, "
    f"built_at = excluded.built_at WHERE {TABLE}.generation <= excluded.generation"
)


def _built(counted: dict[int, int]) -> None:
    """Note in the marks that these changes are built (one statement per distinct count: mostly one or two)."""
    by_count: dict[int, list[int]] = {}
    for pk, n in counted.items():
        by_count.setdefault(n, []).append(pk)
    for n, pks in by_count.items():
        RecordMark.objects.filter(bulk.key_ranges(sorted(pks), "entity_id"), built__lt=n).update(built=n)


def _store(rows: list[tuple]) -> None:
    columns = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > 1:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS portal_publicrecord_load "
                f"(LIKE {TABLE} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            cursor.execute("DELETE FROM portal_publicrecord_load")  # left over when inside an outer transaction
            with cursor.cursor.copy(f"COPY portal_publicrecord_load ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM portal_publicrecord_load "
                f"WHERE true {_UPSERT_TAIL}"
            )
            return
        placeholders = ", ".join(["%s"] * len(_COLUMNS))
        cursor.executemany(
            f"INSERT INTO {TABLE} ({columns}) VALUES ({placeholders}) {_UPSERT_TAIL}",
            [
                (
                    *row[:4],
                    row[4].isoformat() if row[4] and connection.vendor == "sqlite" else row[4],
                    row[5],
                    connection.ops.adapt_datetimefield_value(row[6]),
                )
                for row in rows
            ],
        )
