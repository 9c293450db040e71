"""Workbench: leads with the filing decision, the case list and a case's page with every step, the deadline board,
the on-the-spot procedure. Reads through ``selectors`` (outside the scope is a 404), writes through ``services``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import lists
from jianguan.core.errors import DomainError
from jianguan.core.models import OrgUnit
from jianguan.core.scope import scoped_units

from . import clocks, forms, selectors, services
from .models import (
    OPEN_CASE_STATUSES,
    CaseStatus,
    ClockPause,
    LeadStatus,
    Outcome,
    PartyKind,
    PaymentStatus,
    Penalty,
    Seizure,
)
from .rules import case_type_label, suggested_range

view_case = permission_required("enforcement.view_case", raise_exception=True)
view_lead = permission_required("enforcement.view_lead", raise_exception=True)


def _form_errors(form, exc: DomainError) -> None:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


@dataclass(frozen=True)
class Action:
    label: str
    form: type | None
    perm: str
    call: Callable
    done: str
    user_form: bool = False  # the form takes ``user=`` (officer pickers)


# --- leads -----------------------------------------------------------------------------------------------------------


@login_required
@view_lead
def lead_list(request):
    form = forms.LeadFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    f = selectors.LeadFilters(status=data.get("status", "open") if form.is_bound else "open",
                              source_kind=data.get("source_kind") or "", overdue=bool(data.get("overdue")))
    qs = selectors.lead_search(request.user, f)
    if lists.wants_export(request):
        return lists.export(request, selectors.LEAD_LIST, qs, filters=vars(f))
    listing = lists.show(request, selectors.LEAD_LIST, qs)
    today = timezone.localdate()
    for lead in listing.rows:  # pauses and approver come with the query (lead_search): no query per row
        lead.explained = clocks.lead_deadline_explained(lead, today=today)
    return render(request, "enforcement/leads.html", {
        "form": form, "listing": listing, "today": today,
        "export_allowed": request.user.has_perm(selectors.LEAD_LIST.export_permission)})


@login_required
@permission_required("enforcement.handle_lead", raise_exception=True)
def lead_new(request):
    """Register a lead by hand (自行发现、移送、监测): for the officer's own unit."""
    form = forms.LeadNewForm(request.POST or None)
    profile = getattr(request.user, "profile", None)
    if request.method == "POST" and form.is_valid() and profile is not None:
        d = form.cleaned_data
        entity = None
        if d.get("uscc"):
            from jianguan.registry.models import Entity

            entity = Entity.objects.filter(uscc=d["uscc"].strip().upper()).first()
            if entity is None:
                form.add_error("uscc", "未找到该统一社会信用代码的市场主体")
        if form.is_valid():
            try:
                lead = services.lead_create(actor=request.user, source_kind=d["source_kind"], entity=entity,
                                            unit=profile.unit, description=d["description"],
                                            discovered_on=d["discovered_on"], party_name=d.get("party_name", ""),
                                            party_address=d.get("party_address", ""))
            except DomainError as exc:
                _form_errors(form, exc)
                return render(request, "enforcement/lead_new.html", {"form": form}, status=exc.status)
            messages.success(request, f"已登记线索 #{lead.pk}")
            return redirect("enforcement:lead", pk=lead.pk)
    return render(request, "enforcement/lead_new.html", {"form": form},
                  status=422 if request.method == "POST" else 200)


LEAD_ACTIONS = {
    "check": Action("开始核查", forms.StartCheckForm, "enforcement.handle_lead", lambda u, lead, d: services.lead_start_check(
        actor=u, lead=lead, note=d.get("note", "")), "已开始核查"),
    "extend": Action("批准延长立案期限", forms.ReasonForm, "enforcement.approve_case", lambda u, lead, d: services.lead_extend(
        actor=u, lead=lead, reason=d["reason"], on=d["on"]), "立案决定期限已延长 15 个工作日"),
    "pause": Action("检测、检验、鉴定（期限中止）", forms.PauseForm, "enforcement.handle_lead", lambda u, lead, d: services.pause_start(
        actor=u, lead=lead, reason=d["reason"], starts_on=d["starts_on"], note=d.get("note", "")), "已记录期限中止"),
    "resume": Action("结束期限中止", forms.PauseEndForm, "enforcement.handle_lead", lambda u, lead, d: services.pause_end(
        actor=u, pause=get_object_or_404(ClockPause, pk=d["pause"], lead=lead), ends_on=d["ends_on"]), "期限恢复计算"),
    "file": Action("立案", forms.FileForm, "enforcement.handle_case", lambda u, lead, d: services.case_file(
        actor=u, lead=lead, case_type=d["case_type"], title=d["title"], officers=list(d["officers"]),
        party_kind=d["party_kind"], campaigns=list(d["campaigns"]), on=d["on"],
        late_reason=d.get("late_reason", "")), "已立案", user_form=True),
    # An officer who is not a head asks for approval (立案审批); a head approves or returns it.
    "request_filing": Action("提请立案审批", forms.FileForm, "enforcement.handle_case",
                             lambda u, lead, d: services.filing_request(
                                 actor=u, lead=lead, case_type=d["case_type"], title=d["title"],
                                 officers=list(d["officers"]), party_kind=d["party_kind"],
                                 campaigns=list(d["campaigns"]), on=d["on"], late_reason=d.get("late_reason", "")),
                             "已提请负责人审批立案", user_form=True),
    "approve_filing": Action("批准立案", forms.FilingDecisionForm, "enforcement.approve_case",
                             lambda u, lead, d: services.filing_approve(
                                 actor=u, request=_pending_request(lead), note=d.get("note", ""), on=d["on"]),
                             "已批准立案"),
    "return_filing": Action("退回立案申请", forms.FilingReturnForm, "enforcement.approve_case",
                            lambda u, lead, d: services.filing_return(actor=u, request=_pending_request(lead),
                                                                      note=d["note"]), "已退回立案申请"),
    "decline": Action("不予立案或移送", forms.DeclineForm, "enforcement.handle_lead", lambda u, lead, d: services.lead_decline(
        actor=u, lead=lead, status=d["status"], note=d["note"], on=d["on"]), "已作出决定"),
}


def _pending_request(lead):
    from .models import FilingRequest

    return get_object_or_404(FilingRequest, lead=lead, status=FilingRequest.Status.PENDING)


def _lead_forms(lead, user, **bound) -> dict:
    out = {}
    if not lead.is_open:
        return out
    running = lead.pauses.filter(ends_on__isnull=True).first()
    pending = lead.filing_requests.filter(status="pending").exists()
    if pending:
        filing = ["approve_filing", "return_filing"] if services.is_unit_head(user, lead.unit_id) else []
    else:
        filing = ["file"] if services.is_unit_head(user, lead.unit_id) else ["request_filing"]
    names = (["check"] if lead.status == LeadStatus.NEW else []) + filing + ["decline"]
    names += ["resume"] if running else ["pause"]
    if not lead.extended:
        names.append("extend")
    for name in names:
        a = LEAD_ACTIONS[name]
        if not user.has_perm(a.perm):
            continue
        if name in bound:
            out[name] = (a, bound[name])
            continue
        kwargs = {"user": user} if a.user_form else {}
        initial = {"pause": running.pk} if name == "resume" else {}
        if name in ("file", "request_filing"):
            initial = {"title": lead.description[:100], "party_kind": "organisation" if lead.entity_id else "individual"}
        out[name] = (a, a.form(prefix=name, initial=initial, **kwargs))
    return out


@login_required
@view_lead
def lead_detail(request, pk: int):
    lead = selectors.lead_for(request.user, pk)
    return _lead_page(request, lead, None, None, 200)


@login_required
@view_lead
@require_POST
def lead_action(request, pk: int, action: str):
    a = LEAD_ACTIONS.get(action)
    if a is None:
        raise Http404
    lead = selectors.lead_for(request.user, pk)
    if not request.user.has_perm(a.perm) or action not in _lead_forms(lead, request.user):
        raise _forbidden()
    kwargs = {"user": request.user} if a.user_form else {}
    form = a.form(request.POST, prefix=action, **kwargs)
    if form.is_valid():
        try:
            result = a.call(request.user, lead, form.cleaned_data)
        except DomainError as exc:
            _form_errors(form, exc)
            return _lead_page(request, lead, action, form, exc.status)
        messages.success(request, a.done)
        if action in ("file", "approve_filing"):
            return redirect("enforcement:case", pk=result.pk)
        return redirect("enforcement:lead", pk=lead.pk)
    return _lead_page(request, lead, action, form, 422)


def _lead_page(request, lead, action, form, status):
    return render(request, "enforcement/lead.html", {
        "lead": lead, "party": _lead_party_address(request.user, lead),
        "pauses": list(lead.pauses.all()), "cases": list(lead.cases.all()),
        "filing_requests": list(lead.filing_requests.select_related("requested_by", "decided_by")),
        "deadline_explained": clocks.lead_deadline_explained(lead),
        "actions": _lead_forms(lead, request.user, **({action: form} if action else {})),
        "today": timezone.localdate()}, status=status)


def _forbidden():
    from django.core.exceptions import PermissionDenied

    return PermissionDenied()


# --- cases -----------------------------------------------------------------------------------------------------------


@login_required
@view_case
def case_list(request):
    units = list(scoped_units(request.user).exclude(kind=OrgUnit.Kind.DEPARTMENT).order_by("path"))
    officers = list(forms.officer_choices(request.user)[:300])
    form = forms.CaseFilterForm(request.GET or None, units=units, officers=officers)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    f = selectors.CaseFilters(q=data.get("q") or "", status=data.get("status") or "",
                              case_type=data.get("case_type") or "", unit=data.get("unit") or "",
                              officer=data.get("officer"), campaign=data.get("campaign") or "",
                              overdue=bool(data.get("overdue")), mine=bool(data.get("mine")))
    qs = selectors.case_search(request.user, f).values(*selectors.LIST_FIELDS)
    if lists.wants_export(request):
        return lists.export(request, selectors.CASE_LIST, qs, filters=vars(f))
    listing = lists.show(request, selectors.CASE_LIST, qs)
    today = timezone.localdate()
    selectors.explain_case_rows(listing.rows, today=today)
    return render(request, "enforcement/cases.html", {
        "form": form, "listing": listing, "today": today,
        "export_allowed": request.user.has_perm(selectors.CASE_LIST.export_permission)})


@login_required
@permission_required("enforcement.review_case", raise_exception=True)
def review_queue(request):
    """法制审核: the cases awaiting the legal reviewer in scope, the review deadline first; each links to its case,
    where the review is recorded."""
    q = request.GET.get("q", "").strip()[:100]
    late = request.GET.get("late") == "1"
    today = timezone.localdate()
    qs = selectors.review_queue(request.user)
    if q:
        qs = qs.filter(Q(case__number=q) | Q(case__party_name__contains=q))
    if late:
        qs = qs.filter(due_on__lt=today)
    spec = selectors.REVIEW_QUEUE
    if lists.wants_export(request):
        return lists.export(request, spec, qs, filters={"q": q, "late": late})
    listing = lists.show(request, spec, qs)
    return render(request, "enforcement/reviews.html", {
        "listing": listing, "q": q, "late": late, "today": today,
        "export_allowed": request.user.has_perm(spec.export_permission)})


def _seizure(case, d):
    return get_object_or_404(Seizure, pk=d["seizure"], case=case)


CASE_ACTIONS = {
    "officers": Action("调整办案人员", forms.OfficersForm, "enforcement.handle_case", lambda u, c, d: services.case_assign_officers(
        actor=u, case=c, officers=list(d["officers"])), "办案人员已调整", user_form=True),
    "evidence": Action("登记证据", forms.EvidenceForm, "enforcement.handle_case", lambda u, c, d: services.evidence_add(
        actor=u, case=c, kind=d["kind"], description=d["description"], collected_on=d["collected_on"],
        source=d.get("source", ""), file=d.get("file")), "证据已登记"),
    "seizure": Action("查封、扣押", forms.SeizureForm, "enforcement.handle_case", lambda u, c, d: services.seizure_decide(
        actor=u, case=c, measure=d["measure"], items=d["items"], place=d.get("place", ""),
        decided_on=d["decided_on"]), "已记录查封扣押"),
    "seizure_extend": Action("延长查封扣押", forms.SeizureActForm, "enforcement.approve_case",
                             lambda u, c, d: services.seizure_extend(actor=u, seizure=_seizure(c, d), on=d["on"]),
                             "查封扣押已延长 30 日"),
    "seizure_release": Action("解除或处理查封扣押", forms.SeizureActForm, "enforcement.handle_case",
                              lambda u, c, d: services.seizure_release(actor=u, seizure=_seizure(c, d), on=d["on"],
                                                                       note=d.get("note", ""),
                                                                       disposed=d.get("disposed", False)),
                              "已解除（处理）"),
    "pause": Action("期限中止（检测、鉴定、中止等）", forms.PauseForm, "enforcement.handle_case", lambda u, c, d: services.pause_start(
        actor=u, case=c, reason=d["reason"], starts_on=d["starts_on"], note=d.get("note", "")), "已记录期限中止"),
    "resume": Action("结束期限中止", forms.PauseEndForm, "enforcement.handle_case", lambda u, c, d: services.pause_end(
        actor=u, pause=get_object_or_404(ClockPause, pk=d["pause"], case=c), ends_on=d["ends_on"]), "期限恢复计算"),
    "extend": Action("批准延长 30 日", forms.ReasonForm, "enforcement.approve_case", lambda u, c, d: services.case_extend(
        actor=u, case=c, reason=d["reason"], on=d["on"]), "处理期限已延长 30 日"),
    "collective": Action("集体讨论决定再延长", forms.CollectiveForm, "enforcement.approve_case",
                         lambda u, c, d: services.case_collective_extend(actor=u, case=c, days=d["days"],
                                                                         decision_no=d["decision_no"], on=d["on"]),
                         "已记录集体讨论决定"),
    "conclude": Action("调查终结", forms.ConcludeForm, "enforcement.handle_case", lambda u, c, d: services.investigation_conclude(
        actor=u, case=c, report=d["report"], outcome=d["outcome"], circumstance=d["circumstance"],
        proposed_kinds=d.get("proposed_kinds") or [], proposed_fine=d.get("proposed_fine"),
        goods_value=d.get("goods_value"), illegal_income=d.get("illegal_income"),
        outcome_reason=d.get("outcome_reason", ""), on=d["on"]), "调查终结"),
    "review_submit": Action("送法制审核", forms.DateForm, "enforcement.handle_case", lambda u, c, d: services.review_submit(
        actor=u, case=c, on=d["on"]), "已送法制审核"),
    "review": Action("法制审核", forms.ReviewForm, "enforcement.review_case", lambda u, c, d: services.review_decide(
        actor=u, case=c, result=d["result"], opinion=d["opinion"], on=d["on"]), "已审核"),
    "notice": Action("事先告知（并送达告知书）", forms.NoticeForm, "enforcement.handle_case",
                     lambda u, c, d: services.notice_issue(
                         actor=u, case=c, on=d["on"], served_on=d.get("served_on"), method=d["method"],
                         recipient=d["recipient"], proof=d["proof"], sent_on=d.get("sent_on")),
                     "已事先告知：陈述申辩、要求听证的期限自送达之日起计算"),
    "notice_serve": Action("送达事先告知书", forms.ServedForm, "enforcement.handle_case",
                           lambda u, c, d: services.notice_serve(
                               actor=u, case=c, method=d["method"], served_on=d.get("served_on"),
                               recipient=d["recipient"], proof=d["proof"], sent_on=d.get("sent_on")),
                           "已记录告知书送达"),
    "hearing_schedule": Action("送达听证通知书", forms.HearingScheduleForm, "enforcement.handle_case",
                               lambda u, c, d: services.hearing_schedule(
                                   actor=u, case=c, scheduled_on=d["scheduled_on"], notice_served_on=d["served_on"],
                                   method=d["method"], recipient=d["recipient"], proof=d["proof"],
                                   place=d.get("place", "")),
                               "已送达听证通知书"),
    "seizure_pause": Action("检测、检验、检疫、技术鉴定期间（查封扣押期限不计入）", forms.SeizurePauseForm,
                            "enforcement.handle_case", lambda u, c, d: services.pause_start(
                                actor=u, seizure=_seizure(c, d), reason=d["reason"], starts_on=d["starts_on"],
                                evidence_ref=d["evidence_ref"]), "已记录：该期间不计入查封扣押期限"),
    "seizure_resume": Action("检测（检验、鉴定）结束", forms.SeizurePauseEndForm, "enforcement.handle_case",
                             lambda u, c, d: services.pause_end(
                                 actor=u, pause=get_object_or_404(ClockPause, pk=d["pause"], seizure__case=c),
                                 ends_on=d["ends_on"]), "查封扣押期限恢复计算"),
    "reply": Action("陈述申辩", forms.ReplyForm, "enforcement.handle_case", lambda u, c, d: services.notice_reply(
        actor=u, case=c, statement=d.get("statement", ""), waived=d.get("waived", False), on=d["on"]),
        "已记录陈述申辩"),
    "hearing_request": Action("当事人要求听证", forms.HearingRequestForm, "enforcement.handle_case",
                              lambda u, c, d: services.hearing_request(actor=u, case=c,
                                                                       requested_on=d["requested_on"]),
                              "已记录听证申请，期限中止"),
    "hearing": Action("举行听证", forms.HearingHoldForm, "enforcement.handle_case", lambda u, c, d: services.hearing_hold(
        actor=u, case=c, host=d["host"], held_on=d["held_on"], place=d.get("place", ""), minutes=d["minutes"],
        report=d["report"]), "已记录听证", user_form=True),
    "decide": Action("作出行政处罚决定", forms.DecideForm, "enforcement.approve_case", lambda u, c, d: services.case_decide(
        actor=u, case=c, kinds=d["kinds"], fine_amount=d.get("fine_amount") or 0,
        confiscated_amount=d.get("confiscated_amount") or 0, confiscated_items=d.get("confiscated_items", ""),
        suspension_days=d.get("suspension_days"), facts=d["facts"], legal_basis=d["legal_basis"],
        collective=d.get("collective", False), on=d["on"]), "已作出行政处罚决定"),
    "decide_none": Action("作出不予处罚（移送）决定", forms.DateForm, "enforcement.approve_case",
                          lambda u, c, d: services.case_decide_without_penalty(actor=u, case=c, on=d["on"]),
                          "已作出决定"),
    "service": Action("送达", forms.ServiceForm, "enforcement.handle_case", lambda u, c, d: services.service_record(
        actor=u, case=c, document_title=d["document_title"], document_no=d.get("document_no", ""), method=d["method"],
        served_on=d.get("served_on"), recipient=d["recipient"], proof=d["proof"], proof_file=d.get("proof_file"),
        is_decision=d.get("is_decision", False), sent_on=d.get("sent_on")), "已记录送达"),
    "payment": Action("缴纳罚没款", forms.PaymentForm, "enforcement.handle_case", lambda u, c, d: services.payment_record(
        actor=u, case=c, paid_on=d["paid_on"], amount=d["amount"], receipt_no=d["receipt_no"]), "已记录缴款"),
    "enforce": Action("申请强制执行", forms.EnforceForm, "enforcement.approve_case", lambda u, c, d: services.enforcement_apply(
        actor=u, case=c, on=d["on"], note=d.get("note", "")), "已申请强制执行"),
    "close": Action("结案", forms.CloseForm, "enforcement.approve_case", lambda u, c, d: services.case_close(
        actor=u, case=c, note=d["note"], on=d["on"]), "已结案"),
}


def _available(case, penalty) -> list[str]:
    s = case.status
    names = []
    if s in OPEN_CASE_STATUSES:
        names += ["officers", "pause"] if not case.clock_paused else ["officers", "resume"]
        names += ["collective"] if case.extended else ["extend"]
    if s in (CaseStatus.FILED, CaseStatus.INVESTIGATED, CaseStatus.NOTIFIED, CaseStatus.HEARING):
        names.append("evidence")
    if s in (CaseStatus.FILED, CaseStatus.INVESTIGATED):
        names.append("seizure")
    names += {CaseStatus.FILED: ["conclude"], CaseStatus.INVESTIGATED: ["review_submit"],
              CaseStatus.LEGAL_REVIEW: ["review"],
              CaseStatus.REVIEWED: ["notice"] if case.outcome == Outcome.PENALTY else ["decide_none"],
              CaseStatus.NOTIFIED: ["reply", "hearing_request", "decide"],
              CaseStatus.HEARING: ["hearing_schedule", "hearing", "decide"],
              }.get(s, [])
    if s == CaseStatus.NOTIFIED and not case.notices.filter(served_on__isnull=False).exists():
        names.insert(names.index("reply"), "notice_serve")
    if s != CaseStatus.CLOSED:
        names.append("service")
    if s == CaseStatus.SERVED and penalty is not None:
        names.append("payment")
        if penalty.payment_status in (PaymentStatus.PENDING, PaymentStatus.OVERDUE):
            names.append("enforce")
    if s == CaseStatus.EXECUTED:
        names.append("close")
    return names


def _case_forms(case, penalty, user, bound: dict) -> dict:
    out = {}
    running = next((p for p in case.pauses.all() if p.ends_on is None), None)
    for name in _available(case, penalty):
        a = CASE_ACTIONS[name]
        if not user.has_perm(a.perm):
            continue
        if name in bound:
            out[name] = (a, bound[name])
            continue
        kwargs = {"user": user} if a.user_form else {}
        initial = {}
        if name == "resume" and running:
            initial = {"pause": running.pk}
        elif name == "officers":
            initial = {"officers": [o.user_id for o in case.assignments.all()]}
        elif name == "decide":
            initial = {"kinds": case.proposed_kinds, "fine_amount": case.proposed_fine, "facts": case.facts}
        out[name] = (a, a.form(prefix=name, initial=initial, **kwargs))
    active = [s for s in case.seizures.all() if s.is_active]
    if active:
        running_seizure = ClockPause.objects.filter(seizure=active[0], ends_on__isnull=True).first()
        for name in ("seizure_extend", "seizure_release", "seizure_resume" if running_seizure else "seizure_pause"):
            a = CASE_ACTIONS[name]
            if user.has_perm(a.perm):
                initial = {"pause": running_seizure.pk} if name == "seizure_resume" else {"seizure": active[0].pk}
                out[name] = (a, bound.get(name) or a.form(prefix=name, initial=initial))
    return out


def _document_links(case) -> dict:
    """The documents section: the other engineer's issue/download views when they are installed."""
    try:
        list_url = reverse("enforcement_documents:list", kwargs={"case_pk": case.pk})
    except NoReverseMatch:
        list_url = None
    try:
        from .doclayout import KINDS
        from .document_models import Document

        docs = list(Document.objects.filter(case=case))
        kinds = [(k.code, k.title) for k in KINDS.values()]
    except ImportError:
        docs, kinds = [], []
    return {"list_url": list_url, "docs": docs, "kinds": kinds}


def _party(user, case) -> dict:
    """The party's ID number and address as ``user`` may see them. A natural person's (个人, 个体工商户 without a
    registered code) are personal data: shown in clear to staff with ``registry.view_entity_personal`` — a logged read
    (#14) — and masked for the others, as on the entity page; an organisation's code and address are not."""
    from jianguan.registry.masking import shown_personal

    id_no, address = case.party_id_no, case.party_address
    personal = {} if case.party_kind != PartyKind.INDIVIDUAL else {
        name: value for name, value in (("party_id_no", id_no), ("party_address", address))
        if value and not (name == "party_id_no" and case.entity_id and value == case.entity.uscc)}
    shown, masked = shown_personal(user, case, personal, unit=case.unit_id)
    return {"id_no": shown.get("party_id_no", id_no), "address": shown.get("party_address", address),
            "masked": masked}


def _lead_party_address(user, lead) -> dict:
    """The lead's party address as ``user`` may see it: a natural person's (no registered entity, or an individual
    business) is personal data, shown like the case page's (``masking.shown_personal``: in clear as a logged read,
    else masked); a registered organisation's is not."""
    from jianguan.registry.masking import is_natural_person, shown_personal

    if not lead.party_address or not is_natural_person(lead.entity):
        return {"address": lead.party_address, "masked": False}
    shown, masked = shown_personal(user, lead, {"party_address": lead.party_address}, unit=lead.unit_id)
    return {"address": shown["party_address"], "masked": masked}


def _case_context(request, case, bound=None) -> dict:
    today = timezone.localdate()
    penalty = Penalty.objects.filter(case=case).first()
    suggestion = None
    if case.case_type:
        suggestion = suggested_range(case.case_type, case.circumstance or "normal", goods_value=case.goods_value,
                                     illegal_income=case.illegal_income)
    return {
        "c": case, "party": _party(request.user, case), "penalty": penalty, "today": today,
        "case_type_label": case_type_label(case.case_type),
        "officers": selectors.case_officers(case), "pauses": list(case.pauses.all()),
        "evidence": list(case.evidence.select_related("collected_by")), "seizures": list(case.seizures.all()),
        "reviews": list(case.reviews.select_related("reviewer")), "notices": list(case.notices.all()),
        "hearings": list(case.hearings.select_related("host")), "services_": list(case.services.all()),
        "campaigns": list(case.campaigns.all()), "suggestion": suggestion,
        "days_left": services.days_left(case.decision_deadline, today) if case.is_open else None,
        "actions": _case_forms(case, penalty, request.user, bound or {}),
        "documents": _document_links(case),
        "deadline_explained": clocks.case_deadline_explained(case, today=today),
        "clocks_explained": clocks.case_clocks_explained(case, today=today),
        "steps": selectors.case_steps(case),
    }


@login_required
@view_case
def case_detail(request, pk: int):
    case = selectors.case_for(request.user, pk)
    return render(request, "enforcement/case.html", _case_context(request, case))


@login_required
@view_case
@require_POST
def case_action(request, pk: int, action: str):
    a = CASE_ACTIONS.get(action)
    if a is None:
        raise Http404
    case = selectors.case_for(request.user, pk)
    if not request.user.has_perm(a.perm):
        raise _forbidden()
    kwargs = {"user": request.user} if a.user_form else {}
    form = a.form(request.POST, request.FILES, prefix=action, **kwargs)
    if form.is_valid():
        try:
            a.call(request.user, case, form.cleaned_data)
        except DomainError as exc:
            _form_errors(form, exc)
            messages.error(request, exc.message)
            case.refresh_from_db()
            return render(request, "enforcement/case.html", _case_context(request, case, {action: form}),
                          status=exc.status)
        messages.success(request, a.done)
        return redirect("enforcement:case", pk=case.pk)
    return render(request, "enforcement/case.html", _case_context(request, case, {action: form}), status=422)


# --- the deadline board and the on-the-spot procedure ------------------------------------------------------------------


@login_required
@permission_required("enforcement.view_deadline_board", raise_exception=True)
def board(request):
    officer = request.GET.get("officer")
    ctx = selectors.board(request.user, officer_id=int(officer) if officer and officer.isdigit() else None)
    return render(request, "enforcement/board.html", ctx)


@login_required
@permission_required("enforcement.handle_case", raise_exception=True)
def simplified(request):
    if request.method == "GET" and lists.wants_export(request):
        q = request.GET.get("q", "").strip()[:50]
        return lists.export(request, selectors.SIMPLIFIED_LIST, selectors.simplified_penalties(request.user, q),
                            filters={"q": q})
    form = forms.SimplifiedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        entity = None
        if d.get("uscc"):
            from jianguan.registry.models import Entity

            entity = Entity.objects.filter(uscc=d["uscc"].strip().upper()).first()
            if entity is None:
                form.add_error("uscc", "未找到该统一社会信用代码的市场主体")
        profile = getattr(request.user, "profile", None)
        if form.is_valid() and profile is not None:
            try:
                penalty = services.case_simplified(
                    actor=request.user, unit=profile.unit, case_type=d["case_type"], title=d["title"],
                    officers=list(d["officers"]), party_kind=d["party_kind"], kinds=d["kinds"],
                    fine_amount=d.get("fine_amount") or 0, facts=d["facts"], legal_basis=d["legal_basis"],
                    recipient=d["recipient"], entity=entity, party_name=d.get("party_name", ""),
                    paid_on_the_spot=d.get("paid_on_the_spot", False), receipt_no=d.get("receipt_no", ""))
            except DomainError as exc:
                _form_errors(form, exc)
                return render(request, "enforcement/simplified.html", {"form": form, **_simplified_list(request)},
                              status=exc.status)
            else:
                messages.success(request, f"已当场作出行政处罚决定 {penalty.decision_no}")
                return redirect("enforcement:case", pk=penalty.case_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "enforcement/simplified.html", {"form": form, **_simplified_list(request)},
                  status=status)


def _simplified_list(request) -> dict:
    """The on-the-spot penalties already decided, under the form (core.lists)."""
    q = request.GET.get("q", "").strip()[:50]
    listing = lists.show(request, selectors.SIMPLIFIED_LIST, selectors.simplified_penalties(request.user, q))
    return {"listing": listing, "page": listing.page, "q": q,
            "export_allowed": request.user.has_perm(selectors.SIMPLIFIED_LIST.export_permission)}
