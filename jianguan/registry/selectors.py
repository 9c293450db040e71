"""Reads of the registry that respect the user's scope. Views and the staff API use only these."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, Func, Q, QuerySet, TextField
from django.utils import timezone

from jianguan.core import lists, planner
from jianguan.core.models import Division, OrgUnit
from jianguan.core.rules import rule
from jianguan.core.scope import get_in_scope_or_404, scope_filter, scoped_units

from . import uscc
from .models import Entity, EntityChange, EntityStatus, Industry, Licence, LicenceStatus


def entities_for(user) -> QuerySet[Entity]:
    """The entities ``user`` may see: those supervised by a unit in the user's scope."""
    return scope_filter(Entity.objects.all(), user, "unit")


def entity_for(user, uscc: str) -> Entity:
    """One entity by code, or 404 when it does not exist or lies outside the user's scope."""
    return get_in_scope_or_404(
        Entity.objects.select_related("unit", "unit__parent", "division", "industry", "registration_authority"),
        user,
        "unit",
        uscc=uscc.strip().upper(),
    )


def licences_for(user) -> QuerySet[Licence]:
    return scope_filter(Licence.objects.all(), user, "entity__unit")


# --- Search (workbench list and staff API) -------------------------------------------------------------------------
#
# One text box, one column at a time: the searched column is chosen by the user (名称 / 法定代表人 / 住所) rather
# than ORed across columns, because an OR over three columns defeats every index and turns each search into a
# full scan of a million rows. An 18-character code is recognised whatever column is chosen and looked up exactly
# through the unique index. Results are ordered by id and paged by keyset (``id > after``), so page 1000 costs
# what page 1 costs and no COUNT(*) over the table is needed.

SEARCH_FIELDS = {"name": "名称", "legal_rep": "法定代表人/经营者", "address": "住所（经营场所）"}
DEFAULT_PAGE_SIZE = 50


def looks_like_code(text: str) -> bool:
    """Whether ``text`` (after ``uscc.normalize``) has the shape of a USCC: 18 ASCII letters/digits. Legacy codes
    that fail the check are still codes, so validity is not asked here."""
    code = uscc.normalize(text)
    return len(code) == 18 and code.isascii() and code.isalnum()


#: A one- or two-character fragment in at least this share of names is searched with the ``LIKE`` alone: the
#: primary-key walk finds a first page after ~51 / share rows, sooner than a bitmap of all its matches.
COMMON_GRAM_SHARE = 0.003
#: How long a process keeps the grams' frequencies read from the planner statistics.
GRAM_STATS_SECONDS = 600
_gram_stats: dict[str, tuple[float, dict[str, float]]] = {}


def common_grams(using: str = "default") -> dict[str, float]:
    """Share of names holding each of the most common grams, from ANALYZE's statistics of the grams index
    (``pg_stats`` for ``entity_name_grams``; empty before the first ANALYZE), read once per ``GRAM_STATS_SECONDS``."""
    loaded = _gram_stats.get(using)
    if loaded is not None and time.monotonic() - loaded[0] < GRAM_STATS_SECONDS:
        return loaded[1]
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'entity_name_grams'")
        row = cursor.fetchone()
    shares = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _gram_stats[using] = (time.monotonic(), shares)
    return shares


def name_contains(qs: QuerySet, q: str, field: str = "name") -> QuerySet:
    """``qs`` narrowed to rows whose entity name (``field``: ``name``, or ``entity__name`` from a related model)
    contains ``q``: a ``LIKE``, and on PostgreSQL, for a fragment of one or two characters that is not common,
    also the grams condition of migration 0004.

    The trigram index cannot serve such a fragment, and the planner cannot tell from a ``LIKE`` how rare it is, so
    for a rare one it walks the primary key through the whole table. The grams index serves it. A common fragment
    (``COMMON_GRAM_SHARE`` of the names or more, per the index's statistics) keeps the ``LIKE`` alone: the
    primary-key walk finds its first page at once, while the planner — multiplying the two conditions' estimates
    as if they were independent — would take a bitmap of all its matches. Longer fragments are the ``LIKE`` alone,
    served by the trigram index: a grams condition beside it would be rechecked with the grams recomputed for
    every candidate row (measured: slower). Elsewhere the ``LIKE`` alone."""
    qs = qs.filter(**{f"{field}__contains": q})
    if not q or len(q) > 2 or connections[qs.db].vendor != "postgresql":
        return qs
    if common_grams(qs.db).get(q, 0.0) >= COMMON_GRAM_SHARE:
        return qs
    from django.contrib.postgres.fields import ArrayField  # needs psycopg: imported on PostgreSQL only

    grams = Func(F(field), function="jianguan_name_grams", output_field=ArrayField(TextField()))
    return qs.alias(_name_grams=grams).filter(_name_grams__contains=[q])


def unit_and_subunits(user, unit: str) -> list[int] | None:
    """The ids of the org unit with code ``unit`` and its sub-units, within ``user``'s scope: [] when the unit is not in
    the scope, None when ``unit`` is empty (no unit filter). Two small queries; resolved to a literal list so that the
    planner estimates from the column's statistics."""
    if not unit:
        return None
    root = scoped_units(user).filter(code=unit).values_list("path", flat=True).first()
    if root is None:
        return []
    return list(scoped_units(user).filter(path__startswith=root).values_list("id", flat=True))


def entity_search(
    user, *, q: str = "", field: str = "name", unit: str = "", status: str = "", kind: str = "", industry: str = "",
    unit_ids: list[int] | None = None,
) -> QuerySet[Entity]:
    """Entities in ``user``'s scope matching the search text and filters, ordered by id.

    ``q``: an 18-character code (exact), else a fragment of the column ``field`` (``name``/``address``: contains;
    ``legal_rep``: prefix, which includes the exact name). ``unit``: an org-unit code in the user's scope (its
    sub-units included; a unit outside the scope matches nothing). ``industry``: a GB/T 4754 section letter (all
    its divisions) or a division code. ``unit_ids``: ``unit_and_subunits(user, unit)`` when the caller has it
    already (the list page passes the same ids to ``keyset_page``), so that it is not read twice.
    """
    qs = entities_for(user)
    q = (q or "").strip()
    if q:
        if looks_like_code(q):
            qs = qs.filter(uscc=uscc.normalize(q))
        elif field == "legal_rep":
            qs = qs.filter(legal_rep__startswith=q)
        elif field == "address":
            qs = qs.filter(address__contains=q)
        else:
            qs = name_contains(qs, q)
    if unit:
        ids = unit_ids if unit_ids is not None else unit_and_subunits(user, unit)
        if not ids:
            return qs.none()
        qs = qs.filter(unit__in=ids)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if industry:
        codes = Industry.objects.filter(Q(code=industry) | Q(parent_id=industry)).values_list("code", flat=True)
        qs = qs.filter(industry__in=list(codes))
    return qs.order_by("id")


#: The entity list's sorts: ``?sort=`` value → (field, descending). "" is the registration order (id). Each field is
#: indexed (``uscc`` unique, ``name`` and ``established_on`` db_index), so a page is an index range scan, not a sort
#: of the whole result, whatever its size.
ENTITY_SORTS: dict[str, tuple[str, bool]] = {
    "": ("id", False),
    "uscc": ("uscc", False), "-uscc": ("uscc", True),
    "name": ("name", False), "-name": ("name", True),
    "established_on": ("established_on", False), "-established_on": ("established_on", True),
}


@dataclass(frozen=True)
class KeysetPage:
    """One page of a keyset-paginated list: ``next_after`` / ``prev_before`` are the ids to page on (or None)."""

    items: list
    next_after: int | None
    prev_before: int | None
    is_first: bool

    @property
    def has_other_pages(self) -> bool:
        return self.next_after is not None or self.prev_before is not None


#: Sorts read one unit at a time along the index ``(unit, field, id)`` when the list is limited to a few units.
#: A district's entities sit together in one stretch of the name index (names begin with the place), so walking that
#: index and filtering ``unit IN (…)`` read 19,000 other rows before the first page on PostgreSQL; per unit, the
#: composite index gives each unit's next rows directly, and the pages are merged.
PER_UNIT_SORTS = frozenset({"name"})
#: Above this many units the per-unit reads cost more than they save (the city: no restriction at all).
PER_UNIT_MAX = lists.BY_UNIT_MAX


def search_units(user, unit_ids: list[int] | None = None) -> list[int] | None:
    """The org-unit ids that ``entity_search(user, unit_ids=unit_ids)`` limits the entities to — ``unit_ids``
    (``unit_and_subunits``) when a unit is chosen, else the user's scope — or None when nothing limits them (the
    city's scope without a unit filter). For ``keyset_page(units=…)``."""
    from jianguan.core.scope import scope_for

    if unit_ids is not None:
        return unit_ids
    scope = scope_for(user)
    return None if scope.everything else sorted(scope.unit_ids)


def _page_rows(qs: QuerySet, cond: Q | None, order: tuple, limit: int, field: str, units) -> list:
    """``limit`` rows of ``qs`` (filtered by ``cond``) in ``order``; with ``units``, the first ``limit`` rows of each
    unit merged by the database (``core.lists.ByUnit``: UNION ALL of ``(field, id)``, ordered and limited again; then
    the rows by id: two queries). SQLite cannot order and limit the parts of a compound query; there the plan is
    already the cheap one (the unit index, then the district's rows sorted: 13 ms for 16,000 rows), so it reads the
    plain query."""
    page_qs = qs.filter(cond) if cond is not None else qs
    if not units or field not in PER_UNIT_SORTS:
        return list(page_qs.order_by(*order)[:limit])
    return lists.ByUnit(page_qs, units, order, read_along_index=False)[0:limit]


def keyset_page(
    qs: QuerySet, *, after: int | None = None, before: int | None = None, size: int = DEFAULT_PAGE_SIZE,
    sort: str = "", units: list[int] | None = None, searched: bool = False,
) -> KeysetPage:
    """The page of ``qs`` in the order ``sort`` (a key of ``ENTITY_SORTS``: a field, then id) after the row with id
    ``after`` or before the row with id ``before``. The cursor stays a row id: its sort value is read back (one
    primary-key query; a cursor no longer in the result starts again at the first page), and the page is ``(field, id) > (value, id)`` — written as ``field >= value AND (field >
    value OR id > cursor)`` so the index on the field bounds the scan on both databases. One query for the page
    (plus that one for a cursor): it fetches one row more than the page to know whether another follows, instead
    of counting. ``units`` (``search_units``): the units ``qs`` is limited to, read one by one for the sorts of
    ``PER_UNIT_SORTS``. ``searched``: ``qs`` holds a text condition (a name fragment) whose rarity the planner
    cannot know — registration order then reads the page in two steps (``_rows_by_id``)."""
    field, descending = ENTITY_SORTS.get(sort, ENTITY_SORTS[""])
    if field == "id" and not descending:
        return _keyset_by_id(qs, after=after, before=before, size=size, searched=searched)

    def beyond(cursor: int, forward: bool) -> Q | None:
        """Rows after (``forward``) or before the row ``cursor`` in this order; None when that row is gone."""
        # Through ``qs`` (scoped and filtered): a cursor outside the result does not place the page.
        found = qs.filter(pk=cursor).order_by().values_list(field, flat=True)[:1]
        if not found:
            return None
        value = found[0]
        up = forward != descending  # rows with a greater (field, id)
        if up:
            return Q(**{f"{field}__gte": value}) & (Q(**{f"{field}__gt": value}) | Q(id__gt=cursor))
        return Q(**{f"{field}__lte": value}) & (Q(**{f"{field}__lt": value}) | Q(id__lt=cursor))

    forward_order = (f"-{field}", "-id") if descending else (field, "id")
    backward_order = (field, "id") if descending else (f"-{field}", "-id")
    if before is not None:
        cond = beyond(before, forward=False)
        if cond is not None:
            rows = _page_rows(qs, cond, backward_order, size + 1, field, units)
            if rows:
                more_before = len(rows) > size
                rows = rows[:size][::-1]
                return KeysetPage(rows, rows[-1].id, rows[0].id if more_before else None, not more_before)
        after = None  # nothing before (or the row is gone): show the first page
    cond = beyond(after, forward=True) if after is not None else None
    if after is not None and cond is None:
        after = None  # the cursor's row is gone: start again
    rows = _page_rows(qs, cond, forward_order, size + 1, field, units)
    has_next = len(rows) > size
    rows = rows[:size]
    next_after = rows[-1].id if has_next else None
    # Past the end (a stale link): no 上一页; 首页 leads back.
    prev_before = None if after is None else (rows[0].id if rows else None)
    return KeysetPage(rows, next_after, prev_before, after is None)


#: Ids walked in registration order by a search with a text condition before it judges the fragment's density.
SEARCH_WALK_IDS = 20_000
#: The longest second walk (in ids) a search takes when the first found some rows but not a page.
SEARCH_WALK_MAX_IDS = 200_000


def _rows_by_id(qs: QuerySet, after: int | None, limit: int, searched: bool) -> list:
    """The first ``limit`` rows of ``qs`` after the id ``after``, in id order.

    With a text condition on PostgreSQL, read in steps (#23). The planner chooses between walking the primary key
    until ``limit`` rows pass the filters and a bitmap of every match sorted by id, from an estimate of the
    fragment that treats it and the scope as independent. At 10,000,000 entities a fragment common in the city but
    absent from the district took 4.3 s (a walk over every row), and one of tens of thousands of matches 0.3-0.5 s
    (a bitmap of all of them). So the density is measured instead of estimated:

    1. the next ``SEARCH_WALK_IDS`` ids, a primary-key range whatever the planner thinks (a few milliseconds);
       a fragment that fills the page there is done;
    2. if some matched, the walk goes on as far as that density says the page needs (twice that, for safety), when
       that is at most ``SEARCH_WALK_MAX_IDS`` ids;
    3. what is still missing is read through the indexes of the fragment and the scope (trigram or grams, the unit
       index): a fragment this sparse in id order has few matches, so their bitmap is the cheap plan — index walks
       and sequential scans are priced out for that one statement."""
    base = qs.filter(id__gt=after) if after is not None else qs
    if not searched or connections[qs.db].vendor != "postgresql":
        return list(base.order_by("id")[:limit])
    start = after if after is not None else 0
    end = start + SEARCH_WALK_IDS
    rows = list(base.filter(id__lte=end).order_by("id")[:limit])
    if rows and len(rows) < limit:
        further = -(-(limit - len(rows)) * SEARCH_WALK_IDS * 2 // len(rows))  # ceil(missing × ids per row × 2)
        if further <= SEARCH_WALK_MAX_IDS:
            rows += list(qs.filter(id__gt=end, id__lte=end + further).order_by("id")[:limit - len(rows)])
            end += further
    if len(rows) == limit:
        return rows
    rest = qs.filter(id__gt=end).order_by("id")[:limit - len(rows)]
    with planner.without("indexscan", "seqscan", using=qs.db):
        rows += list(rest)
    return rows


#: The stepped read for other lists of entities in id order (the public search: ``portal.public.keyset_page``).
rows_in_id_order = _rows_by_id


def _keyset_by_id(qs: QuerySet, *, after: int | None, before: int | None, size: int,
                  searched: bool = False) -> KeysetPage:
    """Registration order: the id is the key itself."""
    if before is not None:
        rows = list(qs.filter(id__lt=before).order_by("-id")[: size + 1])
        if rows:
            more_before = len(rows) > size
            rows = rows[:size][::-1]
            # We came from the page starting at ``before``, so a next page exists.
            return KeysetPage(rows, rows[-1].id, rows[0].id if more_before else None, not more_before)
        after = None  # nothing before: show the first page
    rows = _rows_by_id(qs, after, size + 1, searched)
    has_next = len(rows) > size
    rows = rows[:size]
    next_after = rows[-1].id if has_next else None
    if after is None:
        prev_before = None
    else:
        prev_before = rows[0].id if rows else after + 1  # past the end: "上一页" shows the last page
    return KeysetPage(rows, next_after, prev_before, after is None)


#: The planner's row estimate (``core.lists.estimated_count``), kept under its old name for the entity list.
estimated_count = lists.estimated_count


# --- The entity page ----------------------------------------------------------------------------------------------


def entity_licences(entity: Entity) -> list[Licence]:
    """All permits of ``entity`` ("多证合一": shown under the business licence), by kind then expiry."""
    return list(entity.licences.select_related("kind").order_by("kind__sort", "kind__code", "valid_until", "id"))


def entity_history(entity: Entity) -> list[EntityChange]:
    """The registration history (设立、变更、状态变更) of ``entity``, newest first."""
    return list(entity.changes.select_related("actor").order_by("-on", "-id"))


def history_labels(changes: list[EntityChange]) -> dict[str, dict]:
    """Display names for the ids stored in history before/after values: {"unit": {id: name}, "division": …,
    "industry": …}. Three queries at most, however long the history."""
    wanted: dict[str, set] = {"unit": set(), "registration_authority": set(), "division": set(), "industry": set()}
    for change in changes:
        for name, pair in (change.changes or {}).items():
            if name in wanted and isinstance(pair, list):
                wanted[name].update(v for v in pair if v not in (None, ""))
    unit_ids = wanted["unit"] | wanted["registration_authority"]
    units = dict(OrgUnit.objects.filter(id__in=unit_ids).values_list("id", "name")) if unit_ids else {}
    return {
        "unit": units,
        "registration_authority": units,
        "division": dict(Division.objects.filter(code__in=wanted["division"]).values_list("code", "name"))
        if wanted["division"]
        else {},
        "industry": dict(Industry.objects.filter(code__in=wanted["industry"]).values_list("code", "name"))
        if wanted["industry"]
        else {},
    }


# --- Licences ----------------------------------------------------------------------------------------------------


def licences_expiring(user, *, on: dt.date | None = None, within_days: int | None = None) -> QuerySet[Licence]:
    """Valid licences in ``user``'s scope whose validity ends within ``within_days`` of ``on`` (rule
    ``registry.licence_expiry_warning_days``), overdue ones included, soonest first. Only entities still in
    business: a deregistered entity's permits are not reminded."""
    on = on or timezone.localdate()
    if within_days is None:
        within_days = int(rule("registry.licence_expiry_warning_days", on=on))
    return (
        licences_for(user)
        .filter(
            status=LicenceStatus.VALID,
            valid_until__isnull=False,
            valid_until__lte=on + dt.timedelta(days=within_days),
            entity__status=EntityStatus.ACTIVE,
        )
        .select_related("kind", "entity", "entity__unit")
        .order_by("valid_until", "id")
    )


def _expiring_rows(rows: list) -> None:
    today = timezone.localdate()
    for lic in rows:
        lic.days_left = (lic.valid_until - today).days


#: The expiring-permits queue: what expires first is first (overdue ones above).
EXPIRING = lists.Spec(
    key="registry.licences_expiring", title="许可证到期提醒", default_sort="valid_until",
    default_note="有效期最早到的在前（已过期的在最前）", export_permission="registry.view_licence", prepare=_expiring_rows,
    columns=(
        lists.Column("valid_until", "有效期至", sort="valid_until", width=12),
        lists.Column("days_left", "剩余天数", width=10, header=False),
        lists.Column("kind", "许可种类", "kind.name", sort=("kind__sort", "kind__code"), width=22),
        lists.Column("number", "编号", sort="number", width=20),
        lists.Column("entity", "市场主体", "entity.name", sort="entity__name", width=30),
        lists.Column("uscc", "统一社会信用代码", "entity.uscc", width=20, header=False),
        lists.Column("unit", "监管单位", lambda r: r.entity.unit.short_name or r.entity.unit.name,
                     sort="entity__unit__path", width=16),
    ),
)


def licence_for(user, entity: Entity, pk: int) -> Licence:
    """One licence of ``entity``, 404 outside the user's scope."""
    return get_in_scope_or_404(
        Licence.objects.select_related("kind", "entity"), user, "entity__unit", pk=pk, entity=entity
    )
