"""Staff API of credit supervision: an entity's risk class with its reasons and history, its credit record,
the list entries in scope, and the listing decisions. Same selectors and services as the workbench."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.scope import get_in_scope_or_404
from jianguan.registry.selectors import entity_for

from . import selectors, services, timeline
from .models import EntityRisk, EntryStatus, Ground, ListKind, RiskClass

router = Router(tags=["credit"], auth=staff_auth)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied("无权执行此操作")


class ReasonOut(Schema):
    code: str
    label: str
    points: int
    detail: str = ""


class HistoryOut(Schema):
    classified_on: dt.date
    previous_class: str
    risk_class: RiskClass
    score: int


class RiskOut(Schema):
    uscc: str
    risk_class: RiskClass
    score: int
    reasons: list[ReasonOut]
    reasons_text: str = Field(description="如「D: 列入经营异常名录 +30; 持有高风险许可 食品经营许可证 +15」")
    computed_at: dt.datetime
    history: list[HistoryOut]


@router.get("/entities/{uscc}/risk", response=RiskOut, summary="市场主体的信用风险分类及依据")
def entity_risk(request: HttpRequest, uscc: str):
    _require(request.user, "credit.view_entityrisk")
    entity = entity_for(request.user, uscc)
    risk = EntityRisk.objects.filter(entity=entity).first()
    if risk is None:
        from django.http import Http404

        raise Http404
    return {"uscc": entity.uscc, "risk_class": risk.risk_class, "score": risk.score, "reasons": risk.reasons,
            "reasons_text": risk.reasons_text, "computed_at": risk.computed_at,
            "history": list(entity.risk_history.values("classified_on", "previous_class", "risk_class", "score")[:50])}


class EventOut(Schema):
    on: dt.date
    category: str
    title: str
    detail: str
    public: bool


@router.get("/entities/{uscc}/record", response=list[EventOut], summary="信用档案（各模块信用事件时间线）")
def entity_record(request: HttpRequest, uscc: str):
    _require(request.user, "credit.view_entityrisk")
    return timeline.events_for(entity_for(request.user, uscc), request.user)


class EntryOut(Schema):
    id: int
    uscc: str
    entity_name: str
    list_kind: ListKind
    ground: Ground
    ground_label: str
    status: EntryStatus
    listed_on: dt.date | None
    decision_no: str
    term_ends_on: dt.date | None
    removed_on: dt.date | None
    removal_no: str
    listing_due_on: dt.date | None
    removal_due_on: dt.date | None
    deadline_explained: dict | None


class EntryFilter(Schema):
    list_kind: ListKind | None = None
    status: EntryStatus | None = None
    after: int = Field(0, ge=0, description="上一页最后一条的 id（按 id 递增分页）")
    limit: int = Field(50, ge=1, le=200)


def _entry_out(e) -> dict:
    return {"id": e.pk, "uscc": e.entity.uscc, "entity_name": e.entity.name, "list_kind": e.list_kind,
            "ground": e.ground, "ground_label": e.get_ground_display(), "status": e.status, "listed_on": e.listed_on,
            "decision_no": e.decision_no, "term_ends_on": e.term_ends_on, "removed_on": e.removed_on,
            "removal_no": e.removal_no, "listing_due_on": e.listing_due_on, "removal_due_on": e.removal_due_on,
            "deadline_explained": _explained(e)}


def _explained(entry) -> dict | None:
    from .clocks import deadline_explained

    explanation = deadline_explained(entry)
    return explanation.as_dict() if explanation is not None else None


@router.get("/lists", response=list[EntryOut], summary="经营异常名录、严重违法失信名单记录（数据范围内）")
def list_entries(request: HttpRequest, filters: Query[EntryFilter]):
    _require(request.user, "credit.view_listentry")
    qs = selectors.entries_for(request.user).filter(id__gt=filters.after)
    if filters.list_kind:
        qs = qs.filter(list_kind=filters.list_kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return [_entry_out(e) for e in qs.select_related("entity").order_by("id")[: filters.limit]]


class ListEnterIn(Schema):
    ground: Ground
    facts: str = Field(..., min_length=1, max_length=2000)
    report_year: int | None = Field(None, ge=2013, le=2100)  # annual reports exist from the 2013 report year


@router.post("/entities/{uscc}/lists", response={201: EntryOut}, summary="列入经营异常名录（作出列入决定）")
def list_enter(request: HttpRequest, uscc: str, payload: ListEnterIn):
    _require(request.user, "credit.decide_listing")
    entity = entity_for(request.user, uscc)
    entry = services.list_enter(actor=request.user, entity=entity, ground=payload.ground, facts=payload.facts,
                                report_year=payload.report_year)
    return 201, _entry_out(entry)


class RemoveIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


@router.post("/lists/{entry_id}/remove", response=EntryOut, summary="移出经营异常名录（列入事由已消除）")
def list_remove(request: HttpRequest, entry_id: int, payload: RemoveIn):
    _require(request.user, "credit.decide_listing")
    entry = get_in_scope_or_404(selectors.entries_for(request.user).select_related("entity"), request.user,
                                "entity__unit", pk=entry_id)
    entry = services.list_remove(actor=request.user, entity=entry.entity, list_kind=entry.list_kind,
                                 ground=entry.ground, reason=payload.reason)
    return _entry_out(entry)
