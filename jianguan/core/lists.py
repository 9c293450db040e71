"""Workbench lists: one mechanism for the total, sorting on the main columns, pages, and the Excel export of exactly
the list on screen.

A list view builds its filtered, scoped queryset once and hands it to ``show`` (the page) or, when the query string
asks ``export=xlsx``, to ``export`` — the same function, the same filters, so the file holds exactly the rows the
user filtered, in the order shown, with the columns shown::

    CASES = lists.Spec(key="enforcement.cases", title="行政处罚案件", columns=(
        lists.Column("number", "立案编号", sort="number"),
        lists.Column("filed", "立案日期", "filed_on", sort="filed_on"), ...),
        default_sort="-filed", export_permission="enforcement.view_case")

    def case_list(request):
        qs = selectors.case_search(request.user, filters)           # scoped, filtered
        if lists.wants_export(request):
            return lists.export(request, CASES, qs, filters=data)    # permission-checked, audited, streamed
        listing = lists.show(request, CASES, qs)                      # total, sort, page

Sorting is whitelisted: only a column's declared ``sort`` fields reach ``order_by``; anything else in ``?sort=`` is
ignored and the page says so. Every order ends on the primary key so pages never repeat or skip a row.

The export is written by openpyxl in write-only mode (rows go to a temporary file as they are read from the
database in chunks, so memory stays flat whatever the size) and sent as a streamed file response. It is refused
above ``Spec.export_max`` rows with the count and the limit, and every export is an audit entry (``list.exported``:
which list, the filters, the sort, the row count).

The total is exact up to ``EXACT_COUNT_UP_TO`` rows (a count that stops there); past it, on PostgreSQL, it is the
planner's estimate, shown as 约 N 条 — counting two million active list entries of a province on every page view
took seconds (#23). Pages past the estimate are still reached: a page reads one row more than it shows to know
whether another follows, and a page number past the real end counts once and shows the real last page.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections, transaction
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property

from . import audit, planner

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows read from the database per round trip while exporting.
CHUNK = 2000
#: A list's total is counted exactly up to this many rows; past it the planner's estimate is shown (约). A count
#: that stops at 1,001 rows takes a few milliseconds whatever the table; at 10,001 it already took 50-120 ms on a
#: district's share of a 2,000,000-entity register (docs/scale.md), and grows with it.
EXACT_COUNT_UP_TO = 1_000


def estimated_count(qs: QuerySet) -> int | None:
    """The planner's row estimate for ``qs`` on PostgreSQL (no rows are read), None elsewhere.

    Counting a million rows on every page is what makes list pages slow; the estimate is free. It is good for
    equality filters (statistics) and poor for text fragments, so callers use it only past an exact count's cap."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = qs.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """``(total, approximate)``: the exact count of ``qs`` while it is at most ``cap`` (the count stops reading at
    ``cap + 1`` rows, in whatever order is cheapest); past it the planner's estimate on PostgreSQL (never below what
    was counted), the exact count elsewhere (SQLite holds a city, whose lists count quickly). ``cap`` defaults to
    ``EXACT_COUNT_UP_TO``."""
    cap = EXACT_COUNT_UP_TO if cap is None else cap
    counted = qs.order_by()[:cap + 1].count()
    if counted <= cap:
        return counted, False
    estimate = estimated_count(qs)
    if estimate is None:
        return qs.count(), False
    return max(estimate, counted), True


def count_text(total: int, approximate: bool) -> str:
    """A count as shown: exact, or an estimate rounded to two significant figures (约 51,000: an estimate printed to
    the unit would claim a precision it has not)."""
    if not approximate:
        return str(total)
    digits = len(str(total)) - 2
    return f"约 {round(total, -digits) if digits > 0 else total:,}"


class _Paginator(Paginator):
    """Django's paginator with ``capped_count``'s total for a queryset (``approximate`` says which).

    With an estimated total the estimate only draws the page links: a page reads one row past its end, so "next"
    is offered while rows follow (and the total grows to what was seen), the page that ends the rows makes the
    total exact, and a page number past the real end counts the rows once and gives the real last page."""

    approximate = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        total, self.approximate = capped_count(self.object_list)
        return total

    def _exact(self, total: int) -> None:
        self.__dict__["count"] = total
        self.__dict__.pop("num_pages", None)
        self.approximate = False

    def validate_number(self, number):
        if not (self.count and self.approximate):
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number  # no upper bound: the estimate may be short of the rows

    def page(self, number):
        number = self.validate_number(number)
        if not self.approximate:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page + 1])
        more = len(rows) > self.per_page
        rows = rows[:self.per_page]
        if not rows and number > 1:  # past the real end (the estimate was high): count once, show the last page
            self._exact(self.object_list.count())
            return super().page(self.num_pages)
        if not more:
            self._exact(bottom + len(rows))  # this page ends the rows: the total is known
        elif bottom + len(rows) + 1 > self.count:
            self.__dict__["count"] = bottom + len(rows) + 1  # at least this many: the next page exists
            self.__dict__.pop("num_pages", None)
        return self._get_page(rows, number, self)


@dataclass(frozen=True)
class Column:
    """A column of a list: ``key`` (the name in ``?sort=``), the header ``label``, the cell ``value`` for the export
    (a key/attribute path like ``"entity.name"``, or a function of the row; default the key) and the ORM fields it
    sorts on (``sort``; None: not sortable). ``width`` is the Excel column width in characters."""

    key: str
    label: str
    value: str | Callable[[Any], Any] | None = None
    sort: str | tuple | None = None
    width: int = 14
    #: False: shown inside another column on screen (a second line), its own column in the export.
    header: bool = True

    def cell(self, row: Any) -> Any:
        how = self.value if self.value is not None else self.key
        if callable(how):
            return how(row)
        value = row
        for part in how.split("."):
            if value is None:
                return None
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        return value() if callable(value) else value


@dataclass(frozen=True)
class Spec:
    """A list: ``key`` names it in the audit log, ``title`` in the file name and sheet; ``default_sort`` is a column
    key, with ``-`` for descending (a work queue puts what is due first); ``prepare`` adds computed values to a
    batch of rows (labels, days left) for the page and the export alike."""

    key: str
    title: str
    columns: tuple[Column, ...]
    default_sort: str
    export_permission: str
    page_size: int = 50
    export_max: int = 50_000
    prepare: Callable[[list], Any] | None = None
    #: What the default order means to the reader (a work queue: "期限最近的在前").
    default_note: str = ""

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass
class Sorting:
    key: str
    descending: bool
    problem: str = ""

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key


@dataclass
class Header:
    label: str
    key: str
    sortable: bool
    active: bool = False
    descending: bool = False
    #: The ``sort`` value a click on the header asks for.
    next_param: str = ""


@dataclass
class Listing:
    spec: Spec
    page: Any
    total: int
    sorting: Sorting
    headers: list[Header] = field(default_factory=list)
    #: The total is the planner's estimate (past ``EXACT_COUNT_UP_TO``): shown as 约.
    approximate: bool = False

    @property
    def rows(self) -> list:
        return self.page.object_list

    @property
    def total_text(self) -> str:
        return count_text(self.total, self.approximate)

    @property
    def over_export_limit(self) -> bool:
        return self.total > self.spec.export_max

    @property
    def order_text(self) -> str:
        """The order in words: the default's note, else the column and direction."""
        if self.sorting.param == self.spec.default_sort and self.spec.default_note:
            return self.spec.default_note
        col = self.spec.column(self.sorting.key)
        return f"按{col.label}{'降序' if self.sorting.descending else '升序'}" if col else ""

    @property
    def problems(self) -> list[str]:
        return [self.sorting.problem] if self.sorting.problem else []


def sorting(spec: Spec, raw: str | None) -> Sorting:
    """The sort asked for in ``?sort=`` if it names a sortable column of ``spec``, else the default and why."""
    default = Sorting(spec.default_sort.lstrip("-"), spec.default_sort.startswith("-"))
    raw = (raw or "").strip()
    if not raw:
        return default
    descending, key = raw.startswith("-"), raw.lstrip("-")
    col = spec.column(key)
    if col is None or not col.sort:
        default.problem = f"不能按「{raw[:30]}」排序（可排序的列：{'、'.join(c.label for c in spec.columns if c.sort)}），已按默认顺序显示"
        return default
    return Sorting(key, descending)


def order(spec: Spec, qs: QuerySet, s: Sorting) -> QuerySet:
    """``qs`` in the order ``s`` (whitelisted fields only), ending on the primary key so paging is stable."""
    col = spec.column(s.key)
    fields = (col.sort,) if isinstance(col.sort, str) else tuple(col.sort)
    exprs = [F(f) if isinstance(f, str) else f for f in fields]  # a field name, or an expression (a rank)
    # An already directed expression (``F("started_at").desc()``) is a tie-break kept whichever way the column is
    # sorted: a work queue's rows with the same deadline stay newest first in both directions.
    expressions = [e if isinstance(e, OrderBy) else e.desc(nulls_last=True) if s.descending
                   else e.asc(nulls_last=True) for e in exprs]
    return qs.order_by(*expressions, "-pk" if s.descending else "pk")


def headers(spec: Spec, s: Sorting) -> list[Header]:
    out = []
    for col in spec.columns:
        if not col.header:
            continue
        active = col.key == s.key
        # A first click sorts ascending, a second on the same column reverses.
        nxt = (col.key if s.descending else f"-{col.key}") if active else col.key
        out.append(Header(col.label, col.key, bool(col.sort), active, active and s.descending, nxt))
    return out


def wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


class Segments:
    """The rows of several ordered querysets one after the other, for a list whose order is "first these, then
    those" — a chase list: the non-filers, then the late filers, then the rest, each by name. Sorting by a rank
    computed for every row makes the database rank and sort the whole set before the first page (15 s over nine
    million entities); here a page reads only the segment(s) it falls in, each in an order an index can give.

    ``total`` is the paginator's count: known from statistics kept elsewhere, or None to count the segments. A page
    that starts past a segment's end counts that segment (once) to know where the next one starts."""

    ordered = True  # for the paginator: the order is the segments' own

    def __init__(self, segments: list[QuerySet], total: int | None = None):
        self.segments = segments
        self.total = total
        self._sizes: dict[int, int] = {}

    def count(self) -> int:
        if self.total is None:
            self.total = sum(self._size(i) for i in range(len(self.segments)))
        return self.total

    def __len__(self) -> int:
        return self.count()

    def _size(self, i: int) -> int:
        if i not in self._sizes:
            self._sizes[i] = self.segments[i].count()
        return self._sizes[i]

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        rows: list = []
        offset = start  # where the window starts within what remains of the segments
        for i, segment in enumerate(self.segments):
            need = stop - start - len(rows)
            if need <= 0:
                break
            got = list(segment[offset:offset + need])
            rows.extend(got)
            if len(got) == need:
                break
            # this segment ends inside the window (or before it): the next one is read from its start, or from
            # as far into it as the window starts past this one's end
            size = offset + len(got) if got or offset == 0 else self._size(i)
            offset = max(0, offset - size)
        return rows


#: Above this many units a per-unit read costs more than it saves (the city reads the plain query).
BY_UNIT_MAX = 12


class ByUnit:
    """The rows of ``qs`` in ``order`` (ending on ``id``), read one unit at a time, for a list limited to a few
    ``units`` (a district and its stations) whose rows an index ``(unit, <order>, id)`` keeps together.

    A district's entities are a sixth of the name index, spread through it: walking it for the district's first
    page read 374,000 other rows at 2,000,000 entities (0.6 s, #23). Here each unit's first rows come from the
    composite index and the database merges them (``UNION ALL`` of each unit's ordered, limited keys, ordered and
    limited again), then the rows are read by id. SQLite cannot order and limit the parts of a compound query; a
    city's register there reads the plain query. Usable as a segment of ``Segments`` (slicing and ``count``)."""

    def __init__(self, qs: QuerySet, units: list[int], order: tuple[str, ...], field: str = "unit_id",
                 read_along_index: bool = True):
        self.qs, self.units, self.order, self.field = qs, list(units), order, field
        self.read_along_index = read_along_index

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if len(self.units) == 1:  # the unit named, so that its index can serve (a path or scope filter cannot)
            return list(self.qs.filter(**{self.field: self.units[0]}).order_by(*self.order)[start:stop])
        if (not self.units or len(self.units) > BY_UNIT_MAX
                or not connections[self.qs.db].features.supports_slicing_ordering_in_compound):
            return list(self.qs.order_by(*self.order)[start:stop])
        names = [f.lstrip("-") for f in self.order]
        keys = self.qs.order_by()
        parts = [keys.filter(**{self.field: u}).values_list(*names).order_by(*self.order)[:stop] for u in self.units]
        merged = parts[0].union(*parts[1:], all=True).order_by(*self.order)[start:stop]
        # Each part is read along the unit's index, never sorted: the planner multiplies the scope's unit_id IN (…)
        # by the part's unit_id = u as if independent, thinks a unit has a few thousand rows, and would sort all of
        # one unit's (88,000 at 2,000,000 entities: 0.9 s for the late filers' page).
        # (``read_along_index=False``: the planner's own choice, where it was measured to choose well.)
        with planner.without(*(("sort",) if self.read_along_index else ()), using=self.qs.db):
            ids = [row[-1] for row in merged]
        by_id = {row.pk: row for row in self.qs.filter(pk__in=ids).order_by()}
        return [by_id[pk] for pk in ids if pk in by_id]


def show(request, spec: Spec, qs: QuerySet, *, size: int | None = None, segments: Segments | None = None) -> Listing:
    """The page of ``qs`` asked for (``?page=``, out-of-range numbers give the nearest page), sorted as asked
    (``?sort=``), with the total (``capped_count``: exact up to ``EXACT_COUNT_UP_TO``, else an estimate). Two
    queries: the count and the page (three past the cap on PostgreSQL: the estimate).

    ``segments``: the same rows already in the spec's default order (``Segments``), read instead of ordering ``qs``
    when no other sort is asked for."""
    s = sorting(spec, request.GET.get("sort"))
    default = s.key == spec.default_sort.lstrip("-") and s.descending == spec.default_sort.startswith("-")
    rows_in_order = segments if segments is not None and default else order(spec, qs, s)
    paginator = _Paginator(rows_in_order, size or spec.page_size)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if spec.prepare is not None and rows:
        spec.prepare(rows)
    page.object_list = rows
    return Listing(spec, page, paginator.count, s, headers(spec, s), approximate=paginator.approximate)


def cell_value(ws, value):
    """A value as an export cell: dates formatted, booleans 是/否, text never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, int | float | Decimal):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text[:1] in ("=", "+", "-", "@"):  # text, never a formula (CSV/Excel injection)
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        return cell
    return text


def _chunks(qs: QuerySet) -> Iterator[list]:
    """``qs`` read once (a server-side cursor on PostgreSQL, so one consistent snapshot) in lists of CHUNK rows."""
    batch: list = []
    for row in qs.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


#: Characters Excel refuses in a sheet title, each replaced by its full-width twin (a Chinese reader sees the same
#: mark; "检验/检测" stays legible).
_SHEET_FORBIDDEN = str.maketrans({"/": "／", "\\": "＼", "?": "？", "*": "＊", "[": "【", "]": "】", ":": "："})


def sheet_title(text: str, *, fallback: str = "Sheet1") -> str:
    """``text`` as a title Excel accepts: no ``/ \\ ? * [ ] :`` (full-width twins instead), no apostrophe at either
    end, at most 31 characters, never empty. Every sheet made from a list's or a register's title goes through it."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    title = ILLEGAL_CHARACTERS_RE.sub("", str(text or "")).translate(_SHEET_FORBIDDEN).strip()
    title = title[:31].strip("'").strip()
    return title or fallback


def write_xlsx(spec: Spec, rows: Iterable[list], target) -> int:
    """Write the header and ``rows`` (batches of rows) to ``target`` with openpyxl write-only. Returns the count."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(spec.title))
    for i, col in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for col in spec.columns:
        cell = WriteOnlyCell(ws, value=col.label)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for batch in rows:
        if spec.prepare is not None:
            spec.prepare(batch)
        for row in batch:
            ws.append([cell_value(ws, col.cell(row)) for col in spec.columns])
            count += 1
    wb.save(target)
    return count


def _jsonable(value):
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "__iter__") and not isinstance(value, str | dict):
        return [_jsonable(v) for v in value]
    return value


def export(request, spec: Spec, qs: QuerySet, *, filters: dict | None = None) -> HttpResponse:
    """The whole filtered list ``qs`` (already scoped and filtered by the view, exactly as on screen), in the order
    shown, as an Excel file with the columns shown. Needs ``spec.export_permission``; refused above
    ``spec.export_max`` rows; audited."""
    user = request.user
    if not user.has_perm(spec.export_permission):
        raise PermissionDenied("没有导出该列表的权限")
    s = sorting(spec, request.GET.get("sort"))
    ordered = order(spec, qs, s)
    count, approximate = capped_count(ordered, spec.export_max)
    if count > spec.export_max:
        return HttpResponse(
            f"符合条件的有{'约 ' if approximate else ' '}{count} 条，超过一次导出的上限 {spec.export_max} 条："
            "请加筛选条件缩小范围后再导出。",
            status=422, content_type="text/plain; charset=utf-8")
    with transaction.atomic():
        audit.record(actor=user, action="list.exported", object_type="list", object_id=spec.key,
                     object_repr=spec.title, changes={
                         "list": [None, spec.key], "rows": [None, count], "sort": [None, s.param],
                         "filters": [None, {k: _jsonable(v) for k, v in (filters or {}).items()
                                            if v not in (None, "", False, [], ())}]})
    tmp = tempfile.TemporaryFile()
    write_xlsx(spec, _chunks(ordered), tmp)
    tmp.seek(0)
    name = f"{spec.title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response = FileResponse(tmp, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
