"""What the public may see of an entity: one place for the public record, used by the pages, the API and the
bulk dumps, so a field is either public everywhere or nowhere.

Never public: ID numbers, phone numbers, e-mail addresses, contact people, complainants and reporters, staff
notes. Individual businesses' operators are natural persons: their names are masked (张*明).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor

from jianguan.core import bulk
from jianguan.core.rules import rule
from jianguan.registry import uscc as uscc_mod
from jianguan.registry.models import Entity, EntityKind, EntityStatus
from jianguan.registry.selectors import name_contains, rows_in_id_order

#: Registration fields published for every entity (legal_rep is masked for individual businesses).
ENTITY_FIELDS = ("uscc", "name", "kind", "legal_rep", "registered_capital", "established_on", "address",
                 "division", "industry", "registration_authority", "business_scope", "status", "status_changed_on")
KIND_LABELS = dict(EntityKind.choices)
STATUS_LABELS = dict(EntityStatus.choices)
#: timeline sources the record shows in their own sections; the others (penalties, …) are shown as they come.
OWN_SECTIONS = {"registry", "credit", "inspections", "complaints"}
OWN_PROVIDER_MODULES = {"jianguan.credit.timeline", "jianguan.inspections.integrations",
                        "jianguan.complaints.credit_hooks"}


def mask_person_name(name: str) -> str:
    """``张三明`` → ``张*明``, ``张三`` → ``张*``, ``欧阳小明`` → ``欧**明``: a natural person's name on a public page."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def public_legal_rep(kind: str, legal_rep: str) -> str:
    return mask_person_name(legal_rep) if kind == EntityKind.INDIVIDUAL else legal_rep


def _money(value) -> str | None:
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f") if Decimal(value) == Decimal(value).to_integral() else str(value)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def filter_division(qs: QuerySet, division: str, field: str = "division__code") -> QuerySet:
    """A district code matches itself; a city or province code (410400, 410000) covers its districts."""
    prefix = division
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    if prefix == division:
        return qs.filter(**{field: division})
    return qs.filter(**{f"{field}__startswith": prefix})


# --- search -------------------------------------------------------------------------------------------------------


def search(*, q: str = "", division: str = "", kind: str = "", status: str = "") -> QuerySet[Entity]:
    """Entities matching a name fragment or a code (full USCC), and the filters; ordered by id (keyset-ready)."""
    qs = Entity.objects.all()
    q = (q or "").replace("\x00", "").strip()
    if q:
        code = uscc_mod.normalize(q)
        if len(code) == 18 and code.isascii() and code.isalnum():
            qs = qs.filter(uscc=code)
        else:
            qs = name_contains(qs, q)
    if division:
        qs = filter_division(qs, division)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("id")


SUMMARY_VALUES = ("id", "uscc", "name", "kind", "legal_rep", "status", "established_on", "address", "division_id",
                  "division__name")


def summary_row(row: dict) -> dict:
    """A search hit (from ``values(*SUMMARY_VALUES)``) as published."""
    return {
        "uscc": row["uscc"],
        "name": row["name"],
        "kind": row["kind"],
        "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
        "legal_rep": public_legal_rep(row["kind"], row["legal_rep"]),
        "status": row["status"],
        "status_label": STATUS_LABELS.get(row["status"], row["status"]),
        "established_on": _date(row["established_on"]),
        "address": row["address"],
        "division": row["division_id"],
        "division_name": row["division__name"],
    }


# --- cursors ------------------------------------------------------------------------------------------------------


class BadCursor(ValueError):
    pass


def encode_cursor(last_id: int, scope: str) -> str:
    """An opaque cursor: the last id seen and the query it belongs to (a cursor of one query is refused by
    another, rather than silently paging through the wrong list)."""
    raw = json.dumps({"after": last_id, "q": scope}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, scope: str) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = int(data["after"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor("游标无效") from exc
    if data.get("q") != scope or after < 0:
        raise BadCursor("游标与查询条件不符")
    return after


def searches_name(q: str) -> bool:
    """Whether ``search(q=q)`` looks for a name fragment (not a whole code, not nothing)."""
    q = (q or "").replace("\x00", "").strip()
    code = uscc_mod.normalize(q)
    return bool(q) and not (len(code) == 18 and code.isascii() and code.isalnum())


def keyset_page(qs: QuerySet, *, after: int, limit: int, values: Iterable[str],
                searched: bool = False) -> tuple[list[dict], int | None]:
    """One page of ``qs`` (ordered by id) after id ``after``: rows and the last id when there may be more.
    ``searched``: ``qs`` has a name condition — the page is read in steps, as the workbench's search reads it
    (``registry.selectors.rows_in_id_order``: at 10,000,000 entities one query left to the planner took 0.3–5 s for
    some fragments)."""
    rows = rows_in_id_order(qs.values(*values), after, limit + 1, searched)
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1]["id"] if more and rows else None)


# --- the record ---------------------------------------------------------------------------------------------------
#
# Built for many entities at once: each section is one prefetch query per batch (``prefetch_related_objects``), so
# one record costs a fixed ten queries and a batch of 2,000 costs the same ten (the bulk rebuild of
# ``portal.records``). A single record and the bulk rebuild run the same code, and so render the same bytes.


def get_public_entity(code: str) -> Entity | None:
    code = uscc_mod.normalize((code or "").replace("\x00", ""))
    if not code:
        return None
    return public_entities().filter(uscc=code).first()


def public_entities() -> QuerySet[Entity]:
    # The ID number and phone are never public: not read (nor decrypted) for a record.
    return (Entity.objects.select_related("division", "industry", "registration_authority")
            .defer("legal_rep_id_no", "phone"))


def _prefetches() -> dict[str, Prefetch]:
    from jianguan.credit.models import AnnualReport, EntryStatus, InstantInfo, ListEntry
    from jianguan.inspections.models import InspectionTask, ItemResult, TaskStatus
    from jianguan.registry.models import Licence

    from .models import Reply

    tasks = (InspectionTask.objects.filter(status=TaskStatus.PUBLISHED)
             .select_related("batch__plan__unit", "unit").defer("batch__manifest", "batch__bundle")
             .prefetch_related(Prefetch("results", queryset=ItemResult.objects.select_related("item")))
             .order_by("-inspected_on", "-id"))
    return {
        # a licence whose register row was withdrawn (登记已撤回) is not public
        "pub_licences": Prefetch("licences", Licence.objects.exclude(status="withdrawn").select_related("kind")
                                 .order_by("-issued_on", "id"), to_attr="pub_licences"),
        "pub_reports": Prefetch("annual_reports", AnnualReport.objects.filter(is_current=True).order_by("-year"),
                                to_attr="pub_reports"),
        "pub_instant": Prefetch("instant_infos", InstantInfo.objects.filter(published_on__isnull=False)
                                .order_by("-published_on", "-id"), to_attr="pub_instant"),
        "pub_lists": Prefetch("list_entries", ListEntry.objects.filter(
            listed_on__isnull=False, status__in=(EntryStatus.ACTIVE, EntryStatus.REMOVED))
            .select_related("deciding_unit").order_by("-listed_on", "-id"), to_attr="pub_lists"),
        "pub_tasks": Prefetch("inspection_tasks", tasks, to_attr="pub_tasks"),
        "pub_replies": Prefetch("replies", Reply.objects.filter(status=Reply.Status.PUBLISHED).order_by("id"),
                                to_attr="pub_replies"),
    }


def _other_providers() -> list:
    """Timeline providers of other modules (penalties, …); those shown in their own sections are skipped."""
    from jianguan.credit import timeline

    return [p for p in timeline.PROVIDERS if p.__module__ not in OWN_PROVIDER_MODULES]


def _section(entity: Entity, attr: str) -> list:
    """The prefetched rows of one section, fetched now for an entity that came without them."""
    if not hasattr(entity, attr):
        prefetch_related_objects([entity], _prefetches()[attr])
    return getattr(entity, attr)


def prefetch_record(entities: list[Entity]) -> None:
    """Load every section of the records of ``entities`` in one query per section (and per provider relation:
    a timeline provider may name the relations it reads in a ``prefetch`` attribute)."""
    lookups = list(_prefetches().values())
    for provider in _other_providers():
        lookups += [p for p in getattr(provider, "prefetch", ()) if p not in lookups]
    rest = [lookup for lookup in lookups if not _load_rows_into(entities, lookup)]
    if rest:
        prefetch_related_objects(entities, *rest)


def _load_rows_into(entities: list[Entity], lookup) -> bool:
    """A ``Prefetch(relation, queryset, to_attr=…)`` of a foreign key to the entity, loaded for all ``entities``
    with one query keyed by their ids, each entity's rows set as a list on ``to_attr`` (and each row's entity cached),
    as ``prefetch_related_objects`` would. Its generic path costs more per entity than the query itself: an ``IN``
    list made from model instances, and for a relation kept on the manager a queryset clone per entity — most of
    the bulk rebuild's time at 10,000,000 entities (docs/scale.md). False: not such a lookup, left to Django."""
    if not isinstance(lookup, Prefetch) or not lookup.to_attr or "__" in lookup.prefetch_through or not entities:
        return False
    descriptor = getattr(Entity, lookup.prefetch_through, None)
    if not isinstance(descriptor, ReverseManyToOneDescriptor):
        return False
    key = descriptor.field  # the foreign key on the rows' model
    if key.many_to_many or key.target_field != Entity._meta.pk:
        return False
    queryset = lookup.queryset if lookup.queryset is not None else key.model._default_manager.all()
    found: dict[int, list] = {entity.pk: [] for entity in entities}
    by_id = {entity.pk: entity for entity in entities}
    for row in queryset.filter(bulk.key_ranges(found, key.attname)):
        owner = getattr(row, key.attname)
        found[owner].append(row)
        key.set_cached_value(row, by_id[owner])
    for entity in entities:
        setattr(entity, lookup.to_attr, found[entity.pk])
    return True


def registration(entity: Entity) -> dict:
    return {
        "uscc": entity.uscc,
        "name": entity.name,
        "kind": entity.kind,
        "kind_label": entity.get_kind_display(),
        "legal_rep": public_legal_rep(entity.kind, entity.legal_rep),
        "legal_rep_title": "经营者" if entity.kind == EntityKind.INDIVIDUAL else "法定代表人（负责人）",
        "registered_capital": _money(entity.registered_capital),
        "established_on": _date(entity.established_on),
        "address": entity.address,
        "division": entity.division_id,
        "division_name": entity.division.name,
        "industry": entity.industry_id,
        "industry_name": entity.industry.name,
        "registration_authority": entity.registration_authority.name,
        "business_scope": entity.business_scope,
        "status": entity.status,
        "status_label": entity.get_status_display(),
        "status_changed_on": _date(entity.status_changed_on),
    }


def licences(entity: Entity) -> list[dict]:
    return [{"kind": lic.kind.name, "number": lic.number, "issuer": lic.issuer, "issued_on": _date(lic.issued_on),
             "valid_until": _date(lic.valid_until), "scope": lic.scope, "status": lic.get_status_display(),
             "by_commitment": lic.by_commitment}
            for lic in _section(entity, "pub_licences")]


def annual_reports(entity: Entity) -> list[dict]:
    """The current version of each year's report, public parts only (phone, e-mail and, unless the enterprise
    chose to publish them, employees, financials and guarantees stay private)."""
    out = []
    for rep in _section(entity, "pub_reports"):
        row = {"year": rep.year, "filed_on": _date(rep.filed_on), "late": rep.late, "version": rep.version,
               "address": rep.address, "postal_code": rep.postal_code, "operating_status": rep.operating_status,
               "insured_employees": rep.insured_employees, "websites": rep.websites,
               "investments": rep.investments}
        if rep.public_employees:
            row["employees"] = rep.employees
        if rep.public_financials:
            row["financials"] = {f: _money(getattr(rep, f)) for f in
                                 ("total_assets", "total_liabilities", "revenue", "profit", "net_profit", "tax")}
        if rep.public_guarantees:
            row["guarantees"] = rep.guarantees
        out.append(row)
    return out


def instant_infos(entity: Entity) -> list[dict]:
    return [{"kind": i.get_kind_display(), "content": i.content, "arose_on": _date(i.arose_on),
             "published_on": _date(i.published_on)}
            for i in _section(entity, "pub_instant")]


def list_entries(entity: Entity) -> list[dict]:
    """Abnormal and serious listings that were decided (listed), current and removed, with grounds and dates."""
    from jianguan.credit.models import EntryStatus

    return [{"list": e.list_kind, "list_label": e.get_list_kind_display(), "ground": e.ground,
             "ground_label": e.get_ground_display(), "listed_on": _date(e.listed_on),
             "decision_no": e.decision_no, "deciding_unit": e.deciding_unit.name,
             "current": e.status == EntryStatus.ACTIVE, "removed_on": _date(e.removed_on),
             "removal_reason": e.removal_reason, "removal_no": e.removal_no}
            for e in _section(entity, "pub_lists")]


def inspection_results(entity: Entity, replies: dict) -> list[dict]:
    out = []
    for t in _section(entity, "pub_tasks"):
        plan = t.batch.plan
        out.append({
            "id": t.pk, "plan": plan.code, "plan_title": plan.title, "batch": t.batch.number,
            "inspecting_unit": plan.unit.name, "inspected_on": _date(t.inspected_on),
            "published_on": _date(t.published_at.date() if t.published_at else None),
            "results": [{"item": r.item.name, "category": r.category, "category_label": r.get_category_display()}
                        for r in t.results.all()],
            "reply": replies.get(("inspections.inspectiontask", str(t.pk))),
        })
    return out


def complaint_stats(entity: Entity, today: dt.date | None = None) -> dict | None:
    from jianguan.complaints.selectors import public_stats_for

    stats = public_stats_for(entity, today=today)
    if stats is None:
        return None
    start, end = stats["period"]
    return {"period_start": _date(start), "period_end": _date(end), "total": stats["total"],
            "accepted": stats["accepted"], "acceptance_rate": stats["acceptance_rate"], "resolved": stats["resolved"],
            "resolution_rate": stats["resolution_rate"],
            "money_recovered": _money(stats["money_recovered"]) if stats["money_recovered"] is not None else None}


def complained_about(entity_ids: list[int], today: dt.date | None = None) -> set[int] | None:
    """Which of ``entity_ids`` have a complaint in the public window (one query), so that a batch asks for the
    figures of those only; None when the publication threshold is 0 (every entity then has figures)."""
    from jianguan.complaints.models import Complaint, Kind
    from jianguan.complaints.selectors import public_window

    start, end = public_window(today)
    if int(rule("complaints.public_stats_min_count", on=end)) <= 0:
        return None
    return set(Complaint.objects.filter(entity_id__in=entity_ids, kind=Kind.COMPLAINT, received_on__gte=start,
                                        received_on__lte=end).values_list("entity_id", flat=True).distinct())


def provider_events(entity: Entity) -> list:
    """Every event other modules' providers give for ``entity`` (public or not: a penalty outside its
    publication period still makes the record date-dependent)."""
    events = []
    for provider in _other_providers():
        events += [e for e in provider(entity, None) or () if e.source not in OWN_SECTIONS]
    return events


def other_events(entity: Entity, events: list | None = None, replies: dict | None = None) -> list[dict]:
    """Public events of other modules (penalties within their publication period, …) from the credit timeline,
    each with the entity's reply to it where there is one (``replies`` from ``public_replies``)."""
    events = sorted((e for e in (provider_events(entity) if events is None else events) if e.public),
                    key=lambda e: e.on, reverse=True)
    replies = replies or {}
    return [{"on": _date(e.on), "category": e.category, "title": e.title, "detail": e.detail, "source": e.source,
             "ref": list(e.ref) if e.ref else None, "reply": replies.get(e.ref) if e.ref else None}
            for e in events]


def public_replies(entity: Entity) -> dict:
    return {(r.object_type, r.object_id): {"body": r.body, "posted_at": r.posted_at.isoformat(timespec="seconds"),
                                           "object_label": r.object_label}
            for r in _section(entity, "pub_replies")}


def build(entity: Entity, *, today: dt.date | None = None, complained: set[int] | None = None) -> tuple[dict, bool]:
    """The entity's whole public record, JSON-ready, and whether it depends on the date (complaint figures of
    the last 12 months, events whose publication starts or ends): such a record is good for ``today`` only.
    ``complained``: the entities known to have complaints (from ``complained_about``), to skip asking the
    others."""
    replies = public_replies(entity)
    inspections = inspection_results(entity, replies)
    shown = {("inspections.inspectiontask", str(t["id"])) for t in inspections}
    complaints = complaint_stats(entity, today) if complained is None or entity.pk in complained else None
    events = provider_events(entity)
    # a reply goes beside its record; one to a record no longer public (a penalty past its publication period)
    # goes with it, since its label names the record
    shown |= {e.ref for e in events if e.ref}
    data = {
        "registration": registration(entity),
        "licences": licences(entity),
        "annual_reports": annual_reports(entity),
        "instant_information": instant_infos(entity),
        "lists": list_entries(entity),
        "inspections": inspections,
        "complaints": complaints,
        "other_events": other_events(entity, events, replies),
        # replies to records of modules that show no event for them
        "replies": [dict(v, object_type=k[0], object_id=k[1]) for k, v in replies.items() if k not in shown],
    }
    return data, complaints is not None or bool(events)


def record(entity: Entity) -> dict:
    """The entity's whole public record, JSON-ready."""
    prefetch_record([entity])
    return build(entity)[0]
