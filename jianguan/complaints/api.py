"""Staff API of complaints: scoped list and detail, and the main transitions (the same services as the workbench).

Personal data follows the workbench rules: lists never carry a reporter's identity and mask consumers'; a
report's reporter appears only for its assigned handler.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.models import OrgUnit

from . import selectors, services

router = Router(tags=["complaints"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class ListFilters(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    category: str = ""
    unit: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False
    before: int | None = None


class RowOut(Schema):
    number: str
    kind: str
    status: str
    category: str
    entity_name: str
    person: str
    unit: str
    received_on: dt.date
    due: dt.date | None
    overdue: bool
    deadline_explained: dict | None


class PageOut(Schema):
    items: list[RowOut]
    next_before: int | None


class EventOut(Schema):
    at: dt.datetime
    text: str


class DetailOut(Schema):
    number: str
    kind: str
    channel: str
    status: str
    national_no: str | None
    entity_name: str
    entity_uscc: str
    unit: str
    category: str
    description: str
    demand: str
    amount: Decimal | None
    received_on: dt.date
    next_deadline: dt.date | None
    deadline_explained: dict | None
    person_name: str
    person_phone: str
    identity_visible: bool
    money_recovered: Decimal
    lead_id: int | None
    history: list[EventOut]


class DecisionIn(Schema):
    on: dt.date | None = None
    note: str = ""


class RefuseIn(DecisionIn):
    reason: str


class TransferIn(Schema):
    to_unit: str
    reason: str


class AgreeIn(Schema):
    agreement: str
    money_recovered: Decimal
    on: dt.date | None = None


class CloseIn(Schema):
    satisfaction: str = ""


class ReportDecisionIn(Schema):
    outcome: str
    note: str = ""


@router.get("/", response=PageOut, summary="投诉举报列表（数据范围内，最新在前，按 id 键集分页）")
def list_complaints(request: HttpRequest, filters: Query[ListFilters]):
    _need(request.auth, "complaints.view_complaint")
    data = filters.dict()
    before = data.pop("before")
    page = selectors.page_of(selectors.complaint_search(request.auth, selectors.Filters(**data)), before=before)
    items = [{"number": r["number"], "kind": r["kind"], "status": r["status"], "category": r["category"],
              "entity_name": r["entity_name"], "person": r["person"], "unit": r["unit__name"],
              "received_on": r["received_on"], "due": r["due"], "overdue": r["overdue"],
              "deadline_explained": r["explained"].as_dict() if r["explained"] else None} for r in page.rows]
    return {"items": items, "next_before": page.next_before}


def _explained(complaint) -> dict | None:
    from .clocks import deadline_explained

    explanation = deadline_explained(complaint)
    return explanation.as_dict() if explanation else None


def _detail(user, complaint) -> dict:
    person = selectors.identity(user, complaint)
    deadline = complaint.next_deadline()
    return {
        "number": complaint.number, "kind": complaint.kind, "channel": complaint.channel,
        "status": complaint.status, "national_no": complaint.national_no, "entity_name": complaint.entity_name,
        "entity_uscc": complaint.entity_uscc, "unit": complaint.unit.name, "category": complaint.category,
        "description": complaint.description, "demand": complaint.demand, "amount": complaint.amount,
        "received_on": complaint.received_on, "next_deadline": deadline[1] if deadline else None,
        "deadline_explained": _explained(complaint),
        "person_name": person["name"], "person_phone": person["phone"], "identity_visible": person["visible"],
        "money_recovered": complaint.money_recovered, "lead_id": complaint.lead_id,
        "history": [{"at": e.at, "text": e.public_text} for e in selectors.history(complaint)],
    }


@router.get("/{number}", response=DetailOut, summary="投诉举报详情（超出数据范围时为 404）")
def detail(request: HttpRequest, number: str):
    _need(request.auth, "complaints.view_complaint")
    return _detail(request.auth, selectors.complaint_for(request.auth, number))


def _act(request, number: str, fn, **kwargs) -> dict:
    _need(request.auth, "complaints.handle_complaint")
    complaint = selectors.complaint_for(request.auth, number)
    return _detail(request.auth, fn(actor=request.auth, complaint=complaint, **kwargs))


@router.post("/{number}/claim", response=DetailOut, summary="领办")
def claim(request: HttpRequest, number: str):
    return _act(request, number, services.complaint_claim)


@router.post("/{number}/accept", response=DetailOut, summary="受理投诉（状态不允许时 409）")
def accept(request: HttpRequest, number: str, body: DecisionIn):
    return _act(request, number, services.complaint_accept, on=body.on, note=body.note)


@router.post("/{number}/refuse", response=DetailOut, summary="不予受理（情形见规则 complaints.refusal_reasons）")
def refuse(request: HttpRequest, number: str, body: RefuseIn):
    return _act(request, number, services.complaint_refuse, reason=body.reason, note=body.note, on=body.on)


@router.post("/{number}/transfer", response=DetailOut, summary="转办（期限连续计算）")
def transfer(request: HttpRequest, number: str, body: TransferIn):
    from django.shortcuts import get_object_or_404

    to_unit = get_object_or_404(OrgUnit, code=body.to_unit, is_active=True)
    return _act(request, number, services.complaint_transfer, to_unit=to_unit, reason=body.reason)


@router.post("/{number}/agree", response=DetailOut, summary="调解成功")
def agree(request: HttpRequest, number: str, body: AgreeIn):
    return _act(request, number, services.complaint_agree, agreement=body.agreement,
                money_recovered=body.money_recovered, on=body.on)


@router.post("/{number}/close", response=DetailOut, summary="办结")
def close(request: HttpRequest, number: str, body: CloseIn):
    return _act(request, number, services.complaint_close, satisfaction=body.satisfaction)


@router.post("/{number}/decide", response=DetailOut, summary="举报核查结论：lead（转执法线索）或 dismiss")
def decide(request: HttpRequest, number: str, body: ReportDecisionIn):
    return _act(request, number, services.report_decide, outcome=body.outcome, note=body.note)


class ExtendIn(Schema):
    reason: str
    approver: str = ""  # the head's username; empty: the caller approves as the head
    on: dt.date | None = None


class PauseIn(Schema):
    reason: str
    starts_on: dt.date
    evidence: str


class ResumeIn(Schema):
    ends_on: dt.date


@router.post("/{number}/extend", response=DetailOut,
             summary="举报核查期限延长 15 个工作日（一次；批准人须为本单位负责人，按用户名指定）")
def extend(request: HttpRequest, number: str, body: ExtendIn):
    from django.contrib.auth import get_user_model

    from jianguan.core.errors import ValidationFailed

    approver = None
    if body.approver:
        approver = get_user_model().objects.filter(username=body.approver, is_active=True).first()
        if approver is None:
            raise ValidationFailed(f"批准人「{body.approver}」不存在", field="approver")
    return _act(request, number, services.report_extend_check, reason=body.reason, approver=approver, on=body.on)


@router.post("/{number}/mediation-pauses", response=DetailOut,
             summary="检定、检验、检测、鉴定开始：所需时间不计入调解期限（须写明依据）")
def mediation_pause(request: HttpRequest, number: str, body: PauseIn):
    _act_then_detail(request, number, services.mediation_pause_start, reason=body.reason, starts_on=body.starts_on,
                     evidence=body.evidence)
    return _detail(request.auth, selectors.complaint_for(request.auth, number))


def _act_then_detail(request, number: str, fn, **kwargs) -> None:
    _need(request.auth, "complaints.handle_complaint")
    fn(actor=request.auth, complaint=selectors.complaint_for(request.auth, number), **kwargs)


@router.post("/{number}/mediation-pauses/end", response=DetailOut, summary="检定、检验、检测、鉴定结束，调解期限恢复计算")
def mediation_resume(request: HttpRequest, number: str, body: ResumeIn):
    _act_then_detail(request, number, services.mediation_pause_end, ends_on=body.ends_on)
    return _detail(request.auth, selectors.complaint_for(request.auth, number))
