"""Staff API of food safety supervision: the 三小 register (core.registers) and its renewal and cancellation —
the same services and selectors as the workbench."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.registers import api_routes

from . import selectors, services
from .registers import MANAGE, REGISTERS, VIEW

router = Router(tags=["food"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class SmallOut(Schema):
    id: int
    number: str
    kind: str
    name: str
    county: str
    issued_on: dt.date
    valid_until: dt.date
    renewals: int
    status: str


def _small(reg) -> dict:
    return {"id": reg.pk, "number": reg.number, "kind": reg.kind, "name": reg.name, "county": reg.county.code,
            "issued_on": reg.issued_on, "valid_until": reg.valid_until, "renewals": reg.renewals,
            "status": reg.status}


class RenewIn(Schema):
    expected_until: dt.date  # the expiry the caller saw: a repeated request is refused, not renewed twice


class CancelIn(Schema):
    reason: str


@router.post("/smalls/{pk}/renew", response=SmallOut, summary="三小登记延续（同一编号，有效期顺延）")
def small_renew(request, pk: int, payload: RenewIn):
    _need(request.auth, VIEW)
    _need(request.auth, MANAGE)
    reg = selectors.small_for(request.auth, pk)
    reg = services.small_renew(actor=request.auth, registration=reg, expected_until=payload.expected_until,
                               today=timezone.localdate())
    return _small(selectors.small_for(request.auth, reg.pk))


@router.post("/smalls/{pk}/cancel", response=SmallOut, summary="三小登记注销（重复注销不变）")
def small_cancel(request, pk: int, payload: CancelIn):
    _need(request.auth, VIEW)
    _need(request.auth, MANAGE)
    reg = selectors.small_for(request.auth, pk)
    services.small_cancel(actor=request.auth, registration=reg, reason=payload.reason, on=timezone.localdate())
    return _small(selectors.small_for(request.auth, reg.pk))


class GradingIn(Schema):
    entity: str  # the caterer's USCC
    inspected_on: dt.date
    answers: dict[str, bool]  # every item of the checklist rule in force: code → conforms
    note: str = ""


class GradingOut(Schema):
    id: int
    entity: str
    name: str
    inspected_on: dt.date
    score: Decimal
    grade: str
    grade_label: str
    annual_level: str | None


def _grading(g) -> dict:
    annual = selectors.annual_of(g)
    return {"id": g.pk, "entity": g.entity.uscc, "name": g.entity.name, "inspected_on": g.inspected_on,
            "score": g.score, "grade": g.grade, "grade_label": g.get_grade_display(),
            "annual_level": annual.level if annual else None}


@router.get("/gradings", response=list[GradingOut], summary="量化分级检查（本单位范围，最近在前；limit ≤ 500）")
def gradings(request, limit: int = 100, offset: int = 0):
    _need(request.auth, "food.view_gradinginspection")
    limit, offset = max(1, min(limit, 500)), max(offset, 0)
    qs = (selectors.gradings_for(request.auth).select_related("entity__food_annual_grade")
          .order_by("-inspected_on", "-id"))[offset:offset + limit]
    return [_grading(g) for g in qs]


@router.post("/gradings", response=GradingOut, summary="量化分级检查评定（检查表须逐项填写，否则拒绝）")
def grading_create(request, payload: GradingIn):
    from jianguan.core.errors import ValidationFailed
    from jianguan.registry.models import Entity

    _need(request.auth, "food.grade_catering")
    entity = Entity.objects.filter(uscc=payload.entity.strip().upper()).first()
    if entity is None:
        raise ValidationFailed(f"统一社会信用代码 {payload.entity} 未在市场主体名录中", field="entity")
    g = services.grading_record(actor=request.auth, entity=entity, inspected_on=payload.inspected_on,
                                answers=payload.answers, note=payload.note)
    return _grading(selectors.grading_for(request.auth, g.pk))


# --- 明厨亮灶 / 示范店 ------------------------------------------------------------------------------------------------


class DesignationIn(Schema):
    entity: str  # the caterer's USCC
    kind: str  # bright_kitchen | demo_shop
    applied_on: dt.date


class ReviewIn(Schema):
    met: dict[str, bool]  # every criterion of the kind's rule in force: code → met
    note: str = ""


class DesignationOut(Schema):
    id: int
    entity: str
    name: str
    kind: str
    kind_label: str
    applied_on: dt.date
    status: str
    status_label: str
    reviewed_on: dt.date | None
    valid_until: dt.date | None
    criteria: list[dict]


def _designation(d) -> dict:
    return {"id": d.pk, "entity": d.entity.uscc, "name": d.entity.name, "kind": d.kind,
            "kind_label": d.get_kind_display(), "applied_on": d.applied_on, "status": d.status,
            "status_label": d.get_status_display(), "reviewed_on": d.reviewed_on, "valid_until": d.valid_until,
            "criteria": d.criteria}


def _entity(code: str):
    from jianguan.core.errors import ValidationFailed
    from jianguan.registry.models import Entity

    entity = Entity.objects.filter(uscc=(code or "").strip().upper()).first()
    if entity is None:
        raise ValidationFailed(f"统一社会信用代码 {code} 未在市场主体名录中", field="entity")
    return entity


@router.get("/designations", response=list[DesignationOut],
            summary="明厨亮灶和示范店申报与认定（本单位范围；status 可选；limit ≤ 500）")
def designations(request, status: str = "", limit: int = 100, offset: int = 0):
    _need(request.auth, "food.view_designation")
    limit, offset = max(1, min(limit, 500)), max(offset, 0)
    qs = selectors.designations_for(request.auth)
    if status:
        qs = qs.filter(status=status)
    return [_designation(d) for d in qs[offset:offset + limit]]


@router.post("/designations", response=DesignationOut, summary="登记明厨亮灶或示范店申报")
def designation_apply(request, payload: DesignationIn):
    _need(request.auth, "food.review_designation")
    d = services.designation_apply(actor=request.auth, entity=_entity(payload.entity), kind=payload.kind,
                                   applied_on=payload.applied_on)
    return _designation(selectors.designation_for(request.auth, d.pk))


@router.post("/designations/{pk}/review", response=DesignationOut,
             summary="评审（每项标准须填写；全部符合则认定至有效期届满，否则不予认定并列明不符合项；不重复评审）")
def designation_review(request, pk: int, payload: ReviewIn):
    _need(request.auth, "food.view_designation")
    _need(request.auth, "food.review_designation")
    d = selectors.designation_for(request.auth, pk)
    services.designation_review(actor=request.auth, designation=d, met=payload.met, on=timezone.localdate(),
                                note=payload.note)
    return _designation(selectors.designation_for(request.auth, pk))


# --- 不合格食品核查处置和召回 ----------------------------------------------------------------------------------------


class DisposalOut(Schema):
    id: int
    number: str
    source: str
    sample: str | None
    complaint: str | None
    entity: str
    name: str
    product: str
    batch_no: str
    problem: str
    opened_on: dt.date
    due_on: dt.date
    due_provisional: bool
    steps: list[dict]
    recall_level: str
    recall_start_due: dt.datetime | None
    recall_started_at: dt.datetime | None
    recall_announced_on: dt.date | None
    recall_complete_due: dt.date | None
    recall_completed_on: dt.date | None
    lead_id: int | None
    status: str
    conclusion: str
    closed_on: dt.date | None


def _local(value):
    return timezone.localtime(value) if value else None


def _disposal(d) -> dict:
    return {"id": d.pk, "number": d.number, "source": d.source,
            "sample": d.sample.number if d.sample_id else None,
            "complaint": d.complaint.number if d.complaint_id else None,
            "entity": d.entity.uscc, "name": d.entity.name, "product": d.product, "batch_no": d.batch_no,
            "problem": d.problem, "opened_on": d.opened_on, "due_on": d.due_on, "due_provisional": d.calendar_pending,
            "steps": d.steps, "recall_level": d.recall_level, "recall_start_due": _local(d.recall_start_due),
            "recall_started_at": _local(d.recall_started_at), "recall_announced_on": d.recall_announced_on,
            "recall_complete_due": d.recall_complete_due, "recall_completed_on": d.recall_completed_on,
            "lead_id": d.lead_id, "status": d.status, "conclusion": d.conclusion, "closed_on": d.closed_on}


class DisposalIn(Schema):
    sample: str = ""  # a failed food sample's number, or
    complaint: str = ""  # a food complaint's number (then product, problem and opened_on)
    product: str = ""
    batch_no: str = ""
    problem: str = ""
    opened_on: dt.date | None = None


class DisposalAction(Schema):
    action: str  # step | recall | announce | complete | lead | close
    code: str = ""  # step
    done_on: dt.date | None = None  # step
    note: str = ""
    level: str = ""  # recall: 1 | 2 | 3
    known_at: dt.datetime | None = None  # recall
    started_at: dt.datetime | None = None  # announce
    announced_on: dt.date | None = None  # announce
    on: dt.date | None = None  # complete, close
    result: str = ""  # complete
    conclusion: str = ""  # close


@router.get("/disposals", response=list[DisposalOut],
            summary="不合格食品核查处置和召回（本单位范围；status=open|closed；limit ≤ 500）")
def disposals(request, status: str = "", limit: int = 100, offset: int = 0):
    _need(request.auth, "food.view_disposal")
    limit, offset = max(1, min(limit, 500)), max(offset, 0)
    qs = selectors.disposals_for(request.auth).select_related("sample", "complaint")
    if status:
        qs = qs.filter(status=status)
    return [_disposal(d) for d in qs[offset:offset + limit]]


@router.post("/disposals", response=DisposalOut, summary="启动核查处置（不合格食品样品或食品投诉举报；同一来源只启动一次）")
def disposal_open(request, payload: DisposalIn):
    from jianguan.complaints.models import Complaint
    from jianguan.core.errors import ValidationFailed
    from jianguan.sampling.models import Sample

    _need(request.auth, "food.handle_disposal")
    if payload.sample:
        sample = Sample.objects.filter(number=payload.sample.strip()).first()
        if sample is None:
            raise ValidationFailed(f"样品编号 {payload.sample} 不存在", field="sample")
        d = services.disposal_open(actor=request.auth, sample=sample)
    else:
        complaint = Complaint.objects.filter(number=payload.complaint.strip()).first()
        if complaint is None:
            raise ValidationFailed(f"投诉举报编号 {payload.complaint} 不存在", field="complaint")
        d = services.disposal_open(actor=request.auth, complaint=complaint, opened_on=payload.opened_on,
                                   product=payload.product, batch_no=payload.batch_no, problem=payload.problem)
    return _disposal(selectors.disposal_for(request.auth, d.pk))


@router.post("/disposals/{pk}/actions", response=DisposalOut,
             summary="核查处置的一步：step 登记措施，recall 责令召回，announce 启动召回和公告，complete 完成召回，"
                     "lead 移送线索，close 办结（重复提交不重复办理）")
def disposal_act(request, pk: int, payload: DisposalAction):
    from jianguan.core.errors import ValidationFailed

    _need(request.auth, "food.view_disposal")
    _need(request.auth, "food.handle_disposal")
    d = selectors.disposal_for(request.auth, pk)
    user, today = request.auth, timezone.localdate()
    p = payload
    if p.action == "step":
        services.disposal_step(actor=user, disposal=d, code=p.code, done_on=p.done_on, note=p.note, today=today)
    elif p.action == "recall":
        services.recall_order(actor=user, disposal=d, level=p.level, known_at=p.known_at)
    elif p.action == "announce":
        services.recall_announce(actor=user, disposal=d, started_at=p.started_at, announced_on=p.announced_on,
                                 today=today)
    elif p.action == "complete":
        services.recall_complete(actor=user, disposal=d, on=p.on, result=p.result, today=today)
    elif p.action == "lead":
        services.disposal_lead(actor=user, disposal=d, today=today)
    elif p.action == "close":
        services.disposal_close(actor=user, disposal=d, on=p.on, conclusion=p.conclusion, today=today)
    else:
        raise ValidationFailed("action 应为 step、recall、announce、complete、lead 或 close", field="action")
    return _disposal(selectors.disposal_for(request.auth, pk))


api_routes(router, REGISTERS, tag="food")
