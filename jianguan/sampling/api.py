"""API of the sampling flow at /api/v1/sampling/ (staff): plans, samples in scope, and lab results recorded through
the same service as the workbench (units checked against the standard, conclusion computed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema

from jianguan.api.auth import staff_auth

from . import selectors, services

router = Router(tags=["sampling"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class ItemOut(Schema):
    id: int
    name: str
    unit: str
    min_value: Decimal | None
    max_value: Decimal | None
    method: str
    required: bool


class PlanOut(Schema):
    code: str
    sector: str
    year: int
    title: str
    category: str
    standard: str
    status: str
    commitment: str
    bundle_sha256: str
    samples: int
    unqualified: int
    items: list[ItemOut]


class SampleOut(Schema):
    id: int
    number: str
    plan: str
    entity_uscc: str
    entity_name: str
    status: str
    product_name: str
    batch_no: str
    tested_on: dt.date | None
    served_on: dt.date | None
    objection_deadline: dt.date | None
    rectification_deadline: dt.date | None
    lead_id: int | None


class SampleFilters(Schema):
    plan: str = ""
    status: str = ""
    offset: int = 0
    limit: int = 50


class ValueIn(Schema):
    item: int
    value: str
    unit: str


class ResultIn(Schema):
    values: list[ValueIn]
    lab: str
    report_no: str
    tested_on: dt.date


def _plan(p) -> dict:
    return {"code": p.code, "sector": p.sector, "year": p.year, "title": p.title, "category": p.category.name,
            "standard": p.standard.code, "status": p.status, "commitment": p.commitment,
            "bundle_sha256": p.bundle_sha256, "samples": p.n, "unqualified": p.bad,
            "items": [{"id": i.pk, "name": i.name, "unit": i.unit, "min_value": i.min_value, "max_value": i.max_value,
                       "method": i.method, "required": i.required} for i in p.standard.items.all()]}


@router.get("/plans", response=list[PlanOut], summary="抽查计划（含判定标准的检验项目）")
def list_plans(request: HttpRequest, year: int | None = None):
    _need(request.auth, "sampling.view_plan")
    qs = selectors.plans(request.auth).prefetch_related("standard__items")
    if year:
        qs = qs.filter(year=year)
    return [_plan(p) for p in qs]


def _sample(s) -> dict:
    return {"id": s.pk, "number": s.number, "plan": s.plan.code, "entity_uscc": s.entity.uscc,
            "entity_name": s.entity.name, "status": s.status, "product_name": s.product_name, "batch_no": s.batch_no,
            "tested_on": s.tested_on, "served_on": s.served_on, "objection_deadline": s.objection_deadline,
            "rectification_deadline": s.rectification_deadline, "lead_id": s.lead_id}


@router.get("/samples", response=list[SampleOut], summary="样品（数据范围内）")
def list_samples(request: HttpRequest, filters: Query[SampleFilters]):
    _need(request.auth, "sampling.view_plan")
    qs = selectors.samples(request.auth).order_by("id")
    if filters.plan:
        qs = qs.filter(plan__code=filters.plan)
    if filters.status:
        qs = qs.filter(status=filters.status)
    start = max(filters.offset, 0)
    return [_sample(s) for s in qs[start:start + max(1, min(filters.limit, 500))]]


@router.post("/samples/{sample_id}/results", response=SampleOut, summary="录入检验结果（结论按标准计算）")
def record_results(request: HttpRequest, sample_id: int, payload: ResultIn):
    _need(request.auth, "sampling.record_sample")
    sample = selectors.sample_for(request.auth, sample_id)
    sample = services.result_record(actor=request.auth, sample=sample, values=[v.dict() for v in payload.values],
                                    lab=payload.lab, report_no=payload.report_no, tested_on=payload.tested_on)
    return _sample(selectors.sample_for(request.auth, sample.pk))
