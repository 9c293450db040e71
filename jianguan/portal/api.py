"""The open data API (公开数据接口): read-only, no key, public data only. Mounted at /api/v1/.

- ``GET /entities?q=&division=&kind=&status=&cursor=&limit=`` — search by name fragment or code;
- ``GET /entities/{code}`` — one entity's public record (ETag; 304 on ``If-None-Match``);
- ``GET /lists/abnormal``, ``GET /lists/serious`` — listings with grounds and dates;
- ``GET /inspection-plans``, ``GET /inspection-results`` — published plans and results (a batch's commitment
  and bundle digest: ``/api/v1/public/inspections/plans/{code}/batches/{n}``).

Lists use keyset pagination: ``next_cursor`` is opaque, stable (ordered by id) and as fast on page 10,000 as on
page 1. Each IP gets ``portal.open_api_rate`` requests (rule; default 300/m); beyond that 429 with Retry-After in
the one error format. Everything here reads through ``portal.public``, the one definition of what is public.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited
from ninja import Query, Router, Schema
from pydantic import field_validator

from jianguan.api.errors import error_body
from jianguan.core.rules import rule
from jianguan.core.views import rate_limited
from jianguan.registry.models import EntityKind, EntityStatus

from . import public, records

router = Router(tags=["open-data"])

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
CACHE_CONTROL = "public, max-age=300"


# --- plumbing -----------------------------------------------------------------------------------------------------


def client_ip(group, request) -> str:
    """The client address; a WSGI server always sets REMOTE_ADDR, an in-process test client may not."""
    return request.META.get("REMOTE_ADDR") or "unknown"


#: Set in the WSGI environ by ``api.handler.FastReads`` when it has already counted this request against the per-IP
#: limit (True: over it), so that a request it hands on (a 404, a 429) is not counted twice. Not a header: a client
#: cannot send it.
RATE_COUNTED = "jianguan.open_api_limited"


def _limited(request) -> HttpResponse | None:
    limited = request.META.get(RATE_COUNTED)
    if limited is None:
        rate = rule("portal.open_api_rate")
        limited = bool(rate) and is_ratelimited(request, group="portal.open_api", key=client_ip, rate=rate,
                                                increment=True)
    return rate_limited(request) if limited else None


def _json(request, data, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(records.render(data), status=status, content_type="application/json; charset=utf-8")
    if status == 200:
        response["Cache-Control"] = CACHE_CONTROL
    return response


def _error(request, status: int, code: str, message: str, details=None) -> HttpResponse:
    return _json(request, error_body(code, message, details), status=status)


def _page(request, qs, *, scope: str, cursor: str, limit: int, values, row, searched: bool = False):
    try:
        after = public.decode_cursor(cursor, scope)
    except public.BadCursor as exc:
        return _error(request, 400, "bad_cursor", str(exc), [{"field": "cursor"}])
    rows, last = public.keyset_page(qs, after=after, limit=limit, values=values, searched=searched)
    next_cursor = public.encode_cursor(last, scope) if last else None
    return _json(request, {"results": [row(r) for r in rows], "next_cursor": next_cursor})


def _scope(**params) -> str:
    """The part of the query a cursor is bound to (filters, not the page size)."""
    return hashlib.blake2b(json.dumps(params, sort_keys=True).encode(), digest_size=6).hexdigest()


# --- schemas (for the OpenAPI description) ------------------------------------------------------------------------


class ErrorBody(Schema):
    code: str
    message: str
    details: list[dict] | None = None


class ErrorOut(Schema):
    error: ErrorBody


class EntitySummary(Schema):
    uscc: str
    name: str
    kind: str
    kind_label: str
    legal_rep: str
    status: str
    status_label: str
    established_on: str | None
    address: str
    division: str
    division_name: str


class EntityPage(Schema):
    results: list[EntitySummary]
    next_cursor: str | None


class EntityRecord(Schema):
    registration: dict
    licences: list[dict]
    annual_reports: list[dict]
    instant_information: list[dict]
    lists: list[dict]
    inspections: list[dict]
    complaints: dict | None
    other_events: list[dict]
    replies: list[dict]


class ListEntryOut(Schema):
    uscc: str
    name: str
    list: str
    list_label: str
    ground: str
    ground_label: str
    listed_on: str | None
    decision_no: str
    deciding_unit: str
    current: bool
    removed_on: str | None
    removal_reason: str


class ListPage(Schema):
    results: list[ListEntryOut]
    next_cursor: str | None


class PlanOut(Schema):
    code: str
    year: int
    title: str
    unit: str
    joint_departments: str
    published_at: str | None
    items: list[dict]
    batches: list[dict]
    notice_url: str


class PlanPage(Schema):
    results: list[PlanOut]
    next_cursor: str | None


class ResultOut(Schema):
    uscc: str
    name: str
    plan: str
    batch: int
    inspecting_unit: str
    inspected_on: str | None
    published_on: str | None
    results: list[dict]
    reply: str | None


class ResultPage(Schema):
    results: list[ResultOut]
    next_cursor: str | None


class Filters(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        # PostgreSQL text cannot hold NUL: drop it rather than answer a server error
        return value.replace("\x00", "") if isinstance(value, str) else value


class EntityFilters(Filters):
    q: str = ""
    division: str = ""
    kind: EntityKind | None = None
    status: EntityStatus | None = None
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _limit(value: int) -> int:
    return max(1, min(int(value or DEFAULT_LIMIT), MAX_LIMIT))


# --- entities -----------------------------------------------------------------------------------------------------


@router.get("/entities", response={200: EntityPage, **ERRORS}, auth=None, summary="市场主体检索（名称片段或统一社会信用代码）")
def entities(request: HttpRequest, filters: Query[EntityFilters]):
    if (limited := _limited(request)) is not None:
        return limited
    q = filters.q.strip()[:100]
    if filters.division and not (filters.division.isdigit() and len(filters.division) == 6):
        return _error(request, 422, "validation_failed", "请求参数有误",
                      [{"field": "division", "message": "6 位行政区划代码"}])
    kind = filters.kind.value if filters.kind else ""
    status = filters.status.value if filters.status else ""
    qs = public.search(q=q, division=filters.division, kind=kind, status=status)
    return _page(request, qs, scope=_scope(q=q, d=filters.division, k=kind, s=status), cursor=filters.cursor,
                 limit=_limit(filters.limit), values=public.SUMMARY_VALUES, row=public.summary_row,
                 searched=public.searches_name(q))


@router.get("/entities/{code}", response={200: EntityRecord, **ERRORS}, auth=None,
            summary="一个市场主体的公示信息（登记、许可、年报公示部分、名录、抽查结果、投诉统计、处罚等）")
def entity(request: HttpRequest, code: str):
    if (limited := _limited(request)) is not None:
        return limited
    stored = records.get(code) if len(code) <= 40 else None
    if stored is None:
        return _error(request, 404, "not_found", "未找到该市场主体")
    body, tag = stored
    if tag in (request.headers.get("If-None-Match") or ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"], response["Cache-Control"] = tag, CACHE_CONTROL
    return response


# --- lists --------------------------------------------------------------------------------------------------------

LIST_VALUES = ("id", "entity__uscc", "entity__name", "list_kind", "ground", "listed_on", "decision_no",
               "deciding_unit__name", "status", "removed_on", "removal_reason")


def _list_row(r: dict) -> dict:
    from jianguan.credit.models import EntryStatus, Ground, ListKind

    return {"uscc": r["entity__uscc"], "name": r["entity__name"], "list": r["list_kind"],
            "list_label": ListKind(r["list_kind"]).label, "ground": r["ground"], "ground_label": Ground(r["ground"]).label,
            "listed_on": public._date(r["listed_on"]), "decision_no": r["decision_no"],
            "deciding_unit": r["deciding_unit__name"], "current": r["status"] == EntryStatus.ACTIVE,
            "removed_on": public._date(r["removed_on"]), "removal_reason": r["removal_reason"]}


class ListFilters(Filters):
    current: bool = True
    division: str = ""
    listed_since: dt.date | None = None
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


def _list(request, kinds: tuple[str, ...], name: str, f: ListFilters):
    if (limited := _limited(request)) is not None:
        return limited
    from jianguan.credit.models import EntryStatus, ListEntry

    qs = ListEntry.objects.filter(list_kind__in=kinds, listed_on__isnull=False)
    qs = qs.filter(status=EntryStatus.ACTIVE) if f.current else qs.filter(
        status__in=(EntryStatus.ACTIVE, EntryStatus.REMOVED))
    if f.division:
        qs = public.filter_division(qs, f.division, "entity__division__code")
    if f.listed_since:
        qs = qs.filter(listed_on__gte=f.listed_since)
    scope = _scope(l=name, c=f.current, d=f.division, s=str(f.listed_since or ""))
    return _page(request, qs, scope=scope, cursor=f.cursor, limit=_limit(f.limit), values=LIST_VALUES,
                 row=_list_row)


@router.get("/lists/abnormal", response={200: ListPage, **ERRORS}, auth=None,
            summary="经营异常名录（含个体工商户经营异常状态）")
def abnormal_list(request: HttpRequest, filters: Query[ListFilters]):
    from jianguan.credit.models import ListKind

    return _list(request, (ListKind.ABNORMAL, ListKind.ABNORMAL_STATUS), "abnormal", filters)


@router.get("/lists/serious", response={200: ListPage, **ERRORS}, auth=None, summary="严重违法失信名单")
def serious_list(request: HttpRequest, filters: Query[ListFilters]):
    from jianguan.credit.models import ListKind

    return _list(request, (ListKind.SERIOUS,), "serious", filters)


# --- inspections --------------------------------------------------------------------------------------------------


class PlanFilters(Filters):
    year: int | None = None
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


@router.get("/inspection-plans", response={200: PlanPage, **ERRORS}, auth=None,
            summary="公示的双随机抽查计划（批次的承诺值与结果包摘要见 /public/inspections/）")
def inspection_plans(request: HttpRequest, filters: Query[PlanFilters]):
    if (limited := _limited(request)) is not None:
        return limited
    from jianguan.inspections.models import DrawBatch, InspectionPlan
    from jianguan.inspections.public_views import PUBLIC_BATCH_STATUSES

    qs = InspectionPlan.objects.filter(status__in=(InspectionPlan.Status.PUBLISHED, InspectionPlan.Status.CLOSED))
    if filters.year:
        qs = qs.filter(year=filters.year)
    scope = _scope(y=filters.year)
    try:
        after = public.decode_cursor(filters.cursor, scope)
    except public.BadCursor as exc:
        return _error(request, 400, "bad_cursor", str(exc), [{"field": "cursor"}])
    limit = _limit(filters.limit)
    plans = list(qs.filter(id__gt=after).order_by("id").select_related("unit").prefetch_related("items")[: limit + 1])
    more, plans = len(plans) > limit, plans[:limit]
    batches: dict[int, list] = {}
    for b in (DrawBatch.objects.filter(plan__in=plans, status__in=PUBLIC_BATCH_STATUSES)
              .defer("manifest", "bundle").order_by("plan_id", "number")):
        published = b.status in (DrawBatch.Status.PUBLISHED, DrawBatch.Status.SUPERSEDED)
        batches.setdefault(b.plan_id, []).append({
            "number": b.number, "status": b.status, "status_label": b.get_status_display(), "beacon": b.beacon,
            "commitment": b.commitment, "bundle_sha256": b.bundle_sha256 if published else ""})
    rows = []
    for p in plans:
        for b in batches.get(p.pk, []):
            b["api_url"] = f"/api/v1/public/inspections/plans/{p.code}/batches/{b['number']}"
            b["notice_url"] = f"/inspections/plans/{p.code}/batches/{b['number']}/"
            b["bundle_url"] = f"/inspections/plans/{p.code}/batches/{b['number']}/bundle.json" \
                if b["bundle_sha256"] else ""
        rows.append({"code": p.code, "year": p.year, "title": p.title, "unit": p.unit.name,
                     "joint_departments": p.joint_departments,
                     "published_at": p.published_at.isoformat(timespec="seconds") if p.published_at else None,
                     "items": [{"code": i.code, "name": i.name} for i in p.items.all()],
                     "batches": batches.get(p.pk, []), "notice_url": f"/inspections/plans/{p.code}/"})
    next_cursor = public.encode_cursor(plans[-1].pk, scope) if more and plans else None
    return _json(request, {"results": rows, "next_cursor": next_cursor})


class ResultFilters(Filters):
    plan: str = ""
    entity: str = ""
    published_since: dt.date | None = None
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


@router.get("/inspection-results", response={200: ResultPage, **ERRORS}, auth=None, summary="公示的双随机抽查结果")
def inspection_results(request: HttpRequest, filters: Query[ResultFilters]):
    if (limited := _limited(request)) is not None:
        return limited
    from jianguan.inspections.models import InspectionTask, ItemResult, TaskStatus

    from .models import Reply

    qs = InspectionTask.objects.filter(status=TaskStatus.PUBLISHED)
    if filters.plan:
        qs = qs.filter(batch__plan__code=filters.plan)
    if filters.entity:
        qs = qs.filter(entity__uscc=filters.entity.strip().upper())
    if filters.published_since:
        qs = qs.filter(published_at__date__gte=filters.published_since)
    scope = _scope(p=filters.plan, e=filters.entity, s=str(filters.published_since or ""))
    try:
        after = public.decode_cursor(filters.cursor, scope)
    except public.BadCursor as exc:
        return _error(request, 400, "bad_cursor", str(exc), [{"field": "cursor"}])
    limit = _limit(filters.limit)
    tasks = list(qs.filter(id__gt=after).order_by("id")
                 .select_related("entity", "batch__plan__unit").defer("batch__manifest", "batch__bundle")
                 .only("id", "inspected_on", "published_at", "entity__uscc", "entity__name", "batch__number",
                       "batch__plan__code", "batch__plan__unit__name")[: limit + 1])
    more, tasks = len(tasks) > limit, tasks[:limit]
    results: dict[int, list] = {}
    for r in (ItemResult.objects.filter(task__in=tasks).select_related("item").order_by("task_id", "item__sort",
                                                                                           "item__code")):
        results.setdefault(r.task_id, []).append({"item": r.item.name, "category": r.category,
                                                  "category_label": r.get_category_display()})
    replies = dict(Reply.objects.filter(object_type="inspections.inspectiontask", status=Reply.Status.PUBLISHED,
                                        object_id__in=[str(t.pk) for t in tasks]).values_list("object_id", "body"))
    rows = [{"uscc": t.entity.uscc, "name": t.entity.name, "plan": t.batch.plan.code, "batch": t.batch.number,
             "inspecting_unit": t.batch.plan.unit.name, "inspected_on": public._date(t.inspected_on),
             "published_on": public._date(t.published_at.date() if t.published_at else None),
             "results": results.get(t.pk, []), "reply": replies.get(str(t.pk))} for t in tasks]
    next_cursor = public.encode_cursor(tasks[-1].pk, scope) if more and tasks else None
    return _json(request, {"results": rows, "next_cursor": next_cursor})
