"""Staff API of enforcement: scoped lists and details of leads and cases, and every transition — the same services
as the workbench. A refused transition is a 409 with the reason (``{"error": {"code", "message"}}``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.errors import ValidationFailed

from . import clocks, selectors, services
from .models import OPEN_CASE_STATUSES, ClockPause, Penalty

router = Router(tags=["enforcement"], auth=staff_auth)


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


def _users(usernames: list[str]) -> list:
    users = list(get_user_model().objects.filter(username__in=usernames))
    missing = set(usernames) - {u.username for u in users}
    if missing:
        raise ValidationFailed(f"找不到工作人员：{'、'.join(sorted(missing))}", field="officers")
    return users


# --- schemas ----------------------------------------------------------------------------------------------------------


class LeadOut(Schema):
    id: int
    source_kind: str
    party: str
    unit: str
    description: str
    discovered_on: dt.date
    filing_deadline: dt.date | None
    extended: bool
    paused_workdays: int
    status: str
    overdue: bool
    deadline_explained: dict | None


class CaseFilters(Schema):
    q: str = ""
    status: str = ""
    case_type: str = ""
    unit: str = ""
    officer: int | None = None
    campaign: str = ""
    overdue: bool = False
    mine: bool = False
    before: int | None = None


class CaseRow(Schema):
    id: int
    number: str
    status: str
    case_type: str
    party_name: str
    unit: str
    filed_on: dt.date
    decision_deadline: dt.date | None
    days_left: int | None
    overdue: bool
    deadline_explained: dict | None


class CasePage(Schema):
    items: list[CaseRow]
    next_before: int | None


class PenaltyOut(Schema):
    decision_no: str
    decided_on: dt.date
    kinds: list[str]
    fine_amount: Decimal
    payment_status: str
    payment_due: dt.date | None
    payment_due_provisional: bool = False
    service_due: dt.date | None = None
    service_due_provisional: bool = False
    is_light: bool
    published_on: dt.date | None


class CaseOut(Schema):
    id: int
    number: str
    status: str
    procedure: str
    case_type: str
    party_name: str
    party_kind: str
    entity_uscc: str | None
    unit: str
    lead_id: int | None
    officers: list[str]
    filed_on: dt.date
    decision_deadline: dt.date | None
    days_left: int | None
    extended: bool
    collective_extension_days: int
    paused_days: int
    clock_paused: bool
    overdue: bool
    outcome: str
    proposed_kinds: list[str]
    proposed_fine: Decimal | None
    penalty: PenaltyOut | None
    closed_on: dt.date | None
    deadline_explained: dict | None
    clocks_explained: list[dict]


class FileIn(Schema):
    case_type: str
    title: str
    party_kind: str
    officers: list[str]
    campaigns: list[str] = []
    on: dt.date | None = None
    late_reason: str = ""


class DeclineIn(Schema):
    status: str
    note: str
    on: dt.date | None = None


class ReasonIn(Schema):
    reason: str
    on: dt.date | None = None


class PauseIn(Schema):
    reason: str
    starts_on: dt.date
    note: str = ""



class CollectiveIn(Schema):
    # 《市场监督管理行政处罚程序规定》第六十四条: the heads set "a reasonable period"; one decision beyond a year is not one
    days: int = Field(..., ge=1, le=365)
    decision_no: str = Field(..., max_length=60)
    on: dt.date | None = None


class ConcludeIn(Schema):
    report: str
    outcome: str
    circumstance: str = "normal"
    proposed_kinds: list[str] = []
    proposed_fine: Decimal | None = None
    goods_value: Decimal | None = None
    illegal_income: Decimal | None = None
    outcome_reason: str = ""
    on: dt.date | None = None


class OnIn(Schema):
    on: dt.date | None = None


class ReviewIn(Schema):
    result: str
    opinion: str
    on: dt.date | None = None


class ReplyIn(Schema):
    statement: str = ""
    waived: bool = False
    on: dt.date | None = None


class HearingRequestIn(Schema):
    requested_on: dt.date


class HearingIn(Schema):
    host: str
    held_on: dt.date
    minutes: str
    report: str
    place: str = ""


class DecideIn(Schema):
    kinds: list[str]
    facts: str
    legal_basis: str
    fine_amount: Decimal = Decimal(0)
    confiscated_amount: Decimal = Decimal(0)
    confiscated_items: str = ""
    suspension_days: int | None = None
    collective: bool = False
    on: dt.date | None = None


class ServiceIn(Schema):
    document_title: str
    method: str
    served_on: dt.date | None = None
    recipient: str
    proof: str
    document_no: str = ""
    is_decision: bool = False
    sent_on: dt.date | None = None


class ServedIn(Schema):
    """Service of a document: method (direct, left, electronic, mail, entrusted, announcement), date, recipient,
    proof; ``sent_on`` is the posting day (mail) or the day the announcement was issued (announcement)."""

    method: str
    served_on: dt.date | None = None
    recipient: str
    proof: str
    sent_on: dt.date | None = None


class NoticeIn(Schema):
    on: dt.date | None = None
    served: ServedIn | None = None


class HearingScheduleIn(ServedIn):
    scheduled_on: dt.date
    place: str = ""


class SeizurePauseIn(Schema):
    reason: str
    starts_on: dt.date
    evidence_ref: str


class PauseEndIn(Schema):
    ends_on: dt.date


class PaymentIn(Schema):
    paid_on: dt.date
    amount: Decimal
    receipt_no: str


class CloseIn(Schema):
    note: str
    on: dt.date | None = None


# --- leads ------------------------------------------------------------------------------------------------------------


def _lead(lead) -> dict:
    return {"id": lead.pk, "source_kind": lead.source_kind, "party": lead.party, "unit": lead.unit.name,
            "description": lead.description, "discovered_on": lead.discovered_on,
            "filing_deadline": lead.filing_deadline, "extended": lead.extended,
            "paused_workdays": lead.paused_workdays, "status": lead.status, "overdue": lead.overdue,
            "deadline_explained": _as_dict(clocks.lead_deadline_explained(lead))}


def _as_dict(explanation) -> dict | None:
    return explanation.as_dict() if explanation is not None else None


@router.get("/leads", response=list[LeadOut], summary="待决定的案源线索（数据范围内，最新在前，最多 200 条）")
def list_leads(request: HttpRequest, status: str = "open", before: int | None = None):
    _need(request.auth, "enforcement.view_lead")
    qs = selectors.lead_search(request.auth, selectors.LeadFilters(status=status))
    if before:
        qs = qs.filter(id__lt=before)
    return [_lead(lead) for lead in qs[:200]]


@router.get("/leads/{pk}", response=LeadOut, summary="线索详情（超出数据范围时为 404）")
def lead_detail(request: HttpRequest, pk: int):
    _need(request.auth, "enforcement.view_lead")
    return _lead(selectors.lead_for(request.auth, pk))


@router.post("/leads/{pk}/file", response=dict,
             summary="立案：本单位负责人直接立案；其他办案人员提请负责人审批（返回 filing_request，状态 pending）。"
                     "至少两名持有效执法证件的办案人员；期限届满须先延长")
def lead_file(request: HttpRequest, pk: int, body: FileIn):
    _need(request.auth, "enforcement.handle_case")
    from .models import Campaign

    lead = selectors.lead_for(request.auth, pk)
    fields = {"lead": lead, "case_type": body.case_type, "title": body.title, "officers": _users(body.officers),
              "party_kind": body.party_kind, "campaigns": list(Campaign.objects.filter(code__in=body.campaigns)),
              "on": body.on, "late_reason": body.late_reason}
    if not services.is_unit_head(request.auth, lead.unit_id):
        filing = services.filing_request(actor=request.auth, **fields)
        return {"id": None, "number": None, "filing_request": filing.pk, "status": filing.status}
    case = services.case_file(actor=request.auth, **fields)
    return {"id": case.pk, "number": case.number}


class FilingDecisionIn(Schema):
    approve: bool
    note: str = ""
    on: dt.date | None = None


@router.post("/leads/{pk}/filing-decision", response=dict,
             summary="负责人审批立案申请：approve=true 批准（立案日期为批准日期），false 退回（须写明理由）")
def lead_filing_decision(request: HttpRequest, pk: int, body: FilingDecisionIn):
    _need(request.auth, "enforcement.approve_case")
    from django.shortcuts import get_object_or_404

    from .models import FilingRequest

    lead = selectors.lead_for(request.auth, pk)
    pending = get_object_or_404(FilingRequest, lead=lead, status=FilingRequest.Status.PENDING)
    if body.approve:
        case = services.filing_approve(actor=request.auth, request=pending, note=body.note, on=body.on)
        return {"id": case.pk, "number": case.number, "status": "approved"}
    services.filing_return(actor=request.auth, request=pending, note=body.note, on=body.on)
    return {"id": None, "number": None, "status": "returned"}


@router.post("/leads/{pk}/decline", response=LeadOut, summary="不予立案（not_filed）或移送（transferred）")
def lead_decline(request: HttpRequest, pk: int, body: DeclineIn):
    _need(request.auth, "enforcement.handle_lead")
    lead = selectors.lead_for(request.auth, pk)
    return _lead(services.lead_decline(actor=request.auth, lead=lead, status=body.status, note=body.note, on=body.on))


@router.post("/leads/{pk}/extend", response=LeadOut, summary="批准延长立案决定期限 15 个工作日（一次）")
def lead_extend(request: HttpRequest, pk: int, body: ReasonIn):
    _need(request.auth, "enforcement.approve_case")
    lead = selectors.lead_for(request.auth, pk)
    return _lead(services.lead_extend(actor=request.auth, lead=lead, reason=body.reason, on=body.on))


# --- cases ------------------------------------------------------------------------------------------------------------


@router.get("/cases", response=CasePage, summary="案件列表（数据范围内，最新在前，按 id 键集分页）")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]):
    _need(request.auth, "enforcement.view_case")
    data = filters.dict()
    before = data.pop("before")
    page = selectors.page_of(selectors.case_search(request.auth, selectors.CaseFilters(**data)), before=before)
    items = [{"id": r["id"], "number": r["number"], "status": r["status"], "case_type": r["case_type"],
              "party_name": r["party_name"], "unit": r["unit__name"], "filed_on": r["filed_on"],
              "decision_deadline": r["decision_deadline"], "days_left": r["days_left"], "overdue": r["overdue"],
              "deadline_explained": _as_dict(r["explained"])}
             for r in page.rows]
    return {"items": items, "next_before": page.next_before}


def _case(case) -> dict:
    from django.utils import timezone

    penalty = Penalty.objects.filter(case=case).first()
    today = timezone.localdate()
    return {
        "id": case.pk, "number": case.number, "status": case.status, "procedure": case.procedure,
        "case_type": case.case_type, "party_name": case.party_name, "party_kind": case.party_kind,
        "entity_uscc": case.entity.uscc if case.entity_id else None, "unit": case.unit.name, "lead_id": case.lead_id,
        "officers": list(case.assignments.values_list("user__username", flat=True)), "filed_on": case.filed_on,
        "decision_deadline": case.decision_deadline,
        "days_left": services.days_left(case.decision_deadline, today) if case.status in OPEN_CASE_STATUSES else None,
        "extended": case.extended, "collective_extension_days": case.collective_extension_days,
        "paused_days": case.paused_days, "clock_paused": case.clock_paused, "overdue": case.overdue,
        "outcome": case.outcome, "proposed_kinds": case.proposed_kinds, "proposed_fine": case.proposed_fine,
        "penalty": None if penalty is None else {
            "decision_no": penalty.decision_no, "decided_on": penalty.decided_on, "kinds": penalty.kinds,
            "fine_amount": penalty.fine_amount, "payment_status": penalty.payment_status,
            "payment_due": penalty.payment_due, "payment_due_provisional": penalty.payment_due_provisional,
            "service_due": penalty.service_due, "service_due_provisional": penalty.service_due_provisional,
            "is_light": penalty.is_light, "published_on": penalty.published_on},
        "closed_on": case.closed_on,
        "deadline_explained": _as_dict(clocks.case_deadline_explained(case, today=today)),
        "clocks_explained": [e.as_dict() for e in clocks.case_clocks_explained(case, today=today)],
    }


@router.get("/cases/{pk}", response=CaseOut, summary="案件详情（超出数据范围时为 404）")
def case_detail(request: HttpRequest, pk: int):
    _need(request.auth, "enforcement.view_case")
    return _case(selectors.case_for(request.auth, pk))


def _act(request, pk: int, perm: str, fn, **kwargs) -> dict:
    _need(request.auth, perm)
    case = selectors.case_for(request.auth, pk)
    fn(actor=request.auth, case=case, **kwargs)
    return _case(selectors.case_for(request.auth, pk))


HANDLE, APPROVE, REVIEW = "enforcement.handle_case", "enforcement.approve_case", "enforcement.review_case"


@router.post("/cases/{pk}/extend", response=CaseOut, summary="批准延长 30 日（期限届满前，一次）")
def extend(request: HttpRequest, pk: int, body: ReasonIn):
    return _act(request, pk, APPROVE, services.case_extend, reason=body.reason, on=body.on)


@router.post("/cases/{pk}/collective-extend", response=CaseOut, summary="记录集体讨论决定的再延长")
def collective_extend(request: HttpRequest, pk: int, body: CollectiveIn):
    return _act(request, pk, APPROVE, services.case_collective_extend, days=body.days, decision_no=body.decision_no,
                on=body.on)


@router.post("/cases/{pk}/pauses", response=CaseOut, summary="期限中止（检测、检验、鉴定、听证、中止、公告）")
def pause(request: HttpRequest, pk: int, body: PauseIn):
    _need(request.auth, HANDLE)
    case = selectors.case_for(request.auth, pk)
    services.pause_start(actor=request.auth, case=case, reason=body.reason, starts_on=body.starts_on, note=body.note)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/pauses/end", response=CaseOut, summary="结束正在进行的期限中止")
def pause_end(request: HttpRequest, pk: int, body: PauseEndIn):
    from django.shortcuts import get_object_or_404

    from .models import ClockPause

    _need(request.auth, HANDLE)
    case = selectors.case_for(request.auth, pk)
    running = get_object_or_404(ClockPause, case=case, ends_on__isnull=True)
    services.pause_end(actor=request.auth, pause=running, ends_on=body.ends_on)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/conclude", response=CaseOut, summary="调查终结（罚款须在裁量基准的法定幅度内）")
def conclude(request: HttpRequest, pk: int, body: ConcludeIn):
    return _act(request, pk, HANDLE, services.investigation_conclude, **body.dict())


@router.post("/cases/{pk}/review-submit", response=CaseOut, summary="送法制审核")
def review_submit(request: HttpRequest, pk: int, body: OnIn):
    _need(request.auth, HANDLE)
    services.review_submit(actor=request.auth, case=selectors.case_for(request.auth, pk), on=body.on)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/review", response=CaseOut, summary="法制审核结论：approved / returned")
def review(request: HttpRequest, pk: int, body: ReviewIn):
    _need(request.auth, REVIEW)
    services.review_decide(actor=request.auth, case=selectors.case_for(request.auth, pk), result=body.result,
                           opinion=body.opinion, on=body.on)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/notice", response=CaseOut,
             summary="事先告知（较重处罚同时告知听证权利）；served 给出送达信息时同时记录送达，5 个工作日自送达之日起算")
def notice(request: HttpRequest, pk: int, body: NoticeIn):
    _need(request.auth, HANDLE)
    served = body.served.dict() if body.served else {}
    services.notice_issue(actor=request.auth, case=selectors.case_for(request.auth, pk), on=body.on,
                          served_on=served.get("served_on") if served else None, method=served.get("method", ""),
                          recipient=served.get("recipient", ""), proof=served.get("proof", ""),
                          sent_on=served.get("sent_on"))
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/notice/service", response=CaseOut,
             summary="记录事先告知书送达（方式、日期、受送达人、凭证）：陈述申辩、要求听证的 5 个工作日自此起算")
def notice_service(request: HttpRequest, pk: int, body: ServedIn):
    return _act(request, pk, HANDLE, services.notice_serve, **body.dict())


@router.post("/cases/{pk}/hearing-notice", response=CaseOut,
             summary="送达听证通知书并确定听证日期（须在举行听证的七个工作日前通知，过近时 409 并给出最早日期）")
def hearing_notice(request: HttpRequest, pk: int, body: HearingScheduleIn):
    data = body.dict()
    data["notice_served_on"] = data.pop("served_on")
    if data["notice_served_on"] is None:
        raise ValidationFailed("请填写听证通知书送达日期", field="served_on")
    data.pop("sent_on", None)
    return _act(request, pk, HANDLE, services.hearing_schedule, **data)


@router.post("/cases/{pk}/seizures/{seizure_id}/pauses", response=CaseOut,
             summary="查封扣押：检测、检验、检疫、技术鉴定期间开始（不计入查封扣押期限）")
def seizure_pause(request: HttpRequest, pk: int, seizure_id: int, body: SeizurePauseIn):
    _need(request.auth, HANDLE)
    case = selectors.case_for(request.auth, pk)
    seizure = get_object_or_404(case.seizures, pk=seizure_id)
    services.pause_start(actor=request.auth, seizure=seizure, **body.dict())
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/seizures/{seizure_id}/pauses/end", response=CaseOut,
             summary="查封扣押：检测（检验、鉴定）期间结束，期限恢复计算")
def seizure_pause_end(request: HttpRequest, pk: int, seizure_id: int, body: PauseEndIn):
    _need(request.auth, HANDLE)
    case = selectors.case_for(request.auth, pk)
    pause = get_object_or_404(ClockPause, seizure__case=case, seizure_id=seizure_id, ends_on__isnull=True)
    services.pause_end(actor=request.auth, pause=pause, ends_on=body.ends_on)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/reply", response=CaseOut, summary="记录陈述申辩或放弃")
def reply(request: HttpRequest, pk: int, body: ReplyIn):
    _need(request.auth, HANDLE)
    services.notice_reply(actor=request.auth, case=selectors.case_for(request.auth, pk), statement=body.statement,
                          waived=body.waived, on=body.on)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/hearing-request", response=CaseOut, summary="当事人要求听证（5 个工作日内）")
def hearing_request(request: HttpRequest, pk: int, body: HearingRequestIn):
    _need(request.auth, HANDLE)
    services.hearing_request(actor=request.auth, case=selectors.case_for(request.auth, pk),
                             requested_on=body.requested_on)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/hearing", response=CaseOut, summary="记录听证（主持人非本案调查人员）")
def hearing(request: HttpRequest, pk: int, body: HearingIn):
    _need(request.auth, HANDLE)
    host = _users([body.host])[0]
    services.hearing_hold(actor=request.auth, case=selectors.case_for(request.auth, pk), host=host,
                          held_on=body.held_on, minutes=body.minutes, report=body.report, place=body.place)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/decide", response=CaseOut, summary="作出行政处罚决定（期限、裁量幅度、告知内容均受检查）")
def decide(request: HttpRequest, pk: int, body: DecideIn):
    return _act(request, pk, APPROVE, services.case_decide, **body.dict())


@router.post("/cases/{pk}/decide-without-penalty", response=CaseOut, summary="不予处罚、违法事实不成立或移送")
def decide_without_penalty(request: HttpRequest, pk: int, body: OnIn):
    return _act(request, pk, APPROVE, services.case_decide_without_penalty, on=body.on)


@router.post("/cases/{pk}/services", response=CaseOut, summary="记录送达（须有送达凭证；送达决定书起算缴款期限）")
def service(request: HttpRequest, pk: int, body: ServiceIn):
    return _act(request, pk, HANDLE, services.service_record, **body.dict())


@router.post("/cases/{pk}/payment", response=CaseOut, summary="记录缴纳罚没款")
def payment(request: HttpRequest, pk: int, body: PaymentIn):
    return _act(request, pk, HANDLE, services.payment_record, **body.dict())


@router.post("/cases/{pk}/enforcement", response=CaseOut, summary="逾期未缴：申请强制执行")
def enforcement(request: HttpRequest, pk: int, body: OnIn):
    _need(request.auth, APPROVE)
    services.enforcement_apply(actor=request.auth, case=selectors.case_for(request.auth, pk), on=body.on)
    return _case(selectors.case_for(request.auth, pk))


@router.post("/cases/{pk}/close", response=CaseOut, summary="结案")
def close(request: HttpRequest, pk: int, body: CloseIn):
    return _act(request, pk, APPROVE, services.case_close, note=body.note, on=body.on)


# --- penalty publication: the push to the party's home province (Order 45 art. 10) ------------------------------------


class PushOut(Schema):
    id: int
    decision_no: str
    other_province: str
    other_province_name: str = Field(description="登记地省份名称（GB/T 2260），如 北京市")
    decided_on: dt.date
    push_due: dt.date | None
    push_due_provisional: bool = Field(description="期限跨入尚未录入节假日安排的年度：暂定，录入后重算")
    push_extended: bool
    push_extension_approved_by: str | None
    push_extension_approved_on: dt.date | None
    push_extension_reason: str
    push_overdue: bool
    pushed_on: dt.date | None
    deadline_explained: dict | None


class PushExtendIn(Schema):
    reason: str
    approver: str | None = Field(None, description="批准人（本单位负责人）的用户名；缺省为调用者本人")
    on: dt.date | None = None


def _publication(user, pk: int):
    from jianguan.core.scope import get_in_scope_or_404

    from .document_models import Publication

    return get_in_scope_or_404(Publication.objects.select_related("push_extension_approved_by"), user, "unit", pk=pk)


def _push(pub) -> dict:
    from .publication import push_explained

    who = pub.push_extension_approved_by
    from jianguan.core.divisions import province_name

    return {"id": pub.pk, "decision_no": pub.decision_no, "other_province": pub.other_province,
            "other_province_name": province_name(pub.other_province), "decided_on": pub.decided_on,
            "push_due": pub.push_due, "push_due_provisional": pub.push_due_provisional,
            "push_extended": pub.push_extended,
            "push_extension_approved_by": who.get_username() if who else None,
            "push_extension_approved_on": pub.push_extension_approved_on,
            "push_extension_reason": pub.push_extension_reason, "push_overdue": pub.push_overdue,
            "pushed_on": pub.pushed_on, "deadline_explained": _as_dict(push_explained(pub))}


@router.get("/publications/{pk}/push", response=PushOut, summary="外省当事人处罚信息的推送期限（超出数据范围时为 404）")
def publication_push_clock(request: HttpRequest, pk: int):
    _need(request.auth, "enforcement.view_case")
    return _push(_publication(request.auth, pk))


@router.post("/publications/{pk}/push-extension", response=PushOut,
             summary="批准延长推送至登记地省份的期限 10 个工作日（负责人批准，一次；重复提交同一批准不重复延长）")
def publication_push_extend(request: HttpRequest, pk: int, body: PushExtendIn):
    from . import publication

    _need(request.auth, "enforcement.approve_case")
    pub = _publication(request.auth, pk)
    approver = None
    if body.approver:
        approver = get_user_model().objects.filter(username=body.approver, is_active=True).first()
        if approver is None:
            raise ValidationFailed(f"批准人「{body.approver}」不存在", field="approver")
    publication.publication_push_extend(publication=pub, actor=request.auth, reason=body.reason, approver=approver,
                                        today=body.on)
    return _push(_publication(request.auth, pk))
