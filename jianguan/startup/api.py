"""Start-up API: the registrar's queue and decisions (staff token or session) and the public name check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from jianguan.api.auth import staff_auth

from . import namecheck, selectors, services

router = Router(tags=["startup"], auth=staff_auth)


class ApplicationOut(Schema):
    id: int
    number: str | None
    kind: str
    state: str
    name: str
    registration_authority: str | None
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision_work_hours: Decimal | None
    auto_approved: bool
    entity_uscc: str | None
    reasons: list[str]

    @staticmethod
    def resolve_registration_authority(obj):
        return obj.registration_authority.name if obj.registration_authority_id else None

    @staticmethod
    def resolve_entity_uscc(obj):
        return obj.entity.uscc if obj.entity_id else None

    @staticmethod
    def resolve_reasons(obj):
        return [r for result in obj.rule_results or [] for r in result.get("reasons", [])]

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class DecisionIn(Schema):
    message: str = ""


class NameCheckOut(Schema):
    name: str
    division: str
    trade: str
    industry: str
    form: str
    clean: bool
    problems: list[str]
    restricted: list[str]
    similar: list[str]


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


@router.get("/applications", response=list[ApplicationOut], summary="审核队列（本单位范围内待审核的申请）")
@paginate(LimitOffsetPagination)
def queue(request):
    _require(request, "startup.review_application")
    return selectors.review_queue(request.user)


@router.get("/applications/{pk}", response=ApplicationOut, summary="申请详情")
def application(request, pk: int):
    _require(request, "startup.view_application")
    return selectors.application_for_staff(request.user, pk)


def _decide(request, pk, fn, body):
    _require(request, "startup.review_application")
    app = selectors.application_for_staff(request.user, pk)
    return fn(actor=request.user, application=app, message=body.message)


@router.post("/applications/{pk}/approve", response=ApplicationOut, summary="核准")
def approve(request, pk: int, body: DecisionIn):
    return _decide(request, pk, services.application_approve, body)


@router.post("/applications/{pk}/reject", response=ApplicationOut, summary="不予核准（须填写理由）")
def reject(request, pk: int, body: DecisionIn):
    return _decide(request, pk, services.application_reject, body)


@router.post("/applications/{pk}/return", response=ApplicationOut, summary="退回补正（须填写理由）")
def return_(request, pk: int, body: DecisionIn):
    return _decide(request, pk, services.application_return, body)


@router.get("/name-check", response=NameCheckOut, auth=None, summary="企业名称自主申报查重（公开）")
def name_check(request, name: str, division: str | None = None, industry: str | None = None):
    parts = namecheck.parse_name(name[:100])
    result = namecheck.check_name(parts, entity_kind=None, division_code=division, industry_code=industry)
    return {
        "name": parts.full,
        "division": parts.division,
        "trade": parts.trade,
        "industry": parts.industry,
        "form": parts.form,
        "clean": result.clean,
        "problems": result.problems,
        "restricted": result.restricted,
        "similar": [h.explanation for h in result.similar],
    }
