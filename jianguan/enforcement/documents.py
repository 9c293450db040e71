"""Numbered enforcement documents (执法文书): numbering, the context from the case file, and issuing.

Numbers look like ``平市监罚〔2026〕12号``: the issuing authority's prefix (``OrgUnit.doc_prefix``: 平市监 for the city
bureau, 新市监 for 新华区…), the kind word (立, 检, 询, 扣, 告, 罚, 送, 结), the year and a sequence per authority, kind
and year from ``core.sequences`` — gap-free (a rolled back issue gives its number back) and never reused.

The authority is the bureau in whose name the document goes out: a station (市场监管所) acts in the name of its
district bureau and a department of the city bureau in the city bureau's name, so their documents share the
bureau's series (two series with the same prefix would print the same number twice).

Two kinds carry a number the case already has: the 立案审批表 carries the case number (``Case.number``) and the
行政处罚决定书 the decision number (``Penalty.decision_no``); they draw no number of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jianguan.core import audit, sequences
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit
from jianguan.core.scope import scope_filter

from . import docrender
from .doclayout import KINDS
from .doclayout import kind as get_kind

CASE_NUMBER_KINDS = {"filing_approval": "case", "penalty_decision": "penalty"}


# --- numbering --------------------------------------------------------------------------------------------------


def authority_for(unit: OrgUnit) -> OrgUnit:
    """The bureau in whose name ``unit`` issues documents (itself for the city and district bureaus)."""
    if unit.kind == OrgUnit.Kind.STATION and unit.parent_id:
        return unit.parent
    if unit.kind == OrgUnit.Kind.DEPARTMENT and unit.parent_id:
        return unit.parent
    return unit


def prefix_for(authority: OrgUnit) -> str:
    """The 机关代字 of the number: the unit's ``doc_prefix``, else its short name (never empty)."""
    return authority.doc_prefix or authority.short_name or authority.name


def format_number(prefix: str, word: str, year: int, seq: int) -> str:
    return f"{prefix}{word}〔{year}〕{seq}号"


def next_number(*, unit: OrgUnit, word: str, year: int) -> str:
    """Draw the next number of the series of ``unit``'s authority for ``word`` and ``year``, inside the caller's
    transaction (the sequence row stays locked until it commits)."""
    authority = authority_for(unit)
    seq = sequences.next_value(f"doc:{authority.code}:{word}:{year}")
    return format_number(prefix_for(authority), word, year, seq)


def authority_name(authority: OrgUnit) -> str:
    """The full name printed on the document: a city district's bureau carries the city's name
    (平顶山市新华区市场监督管理局); counties and county-level cities do not (GB/T 2260: district codes end 01–20)."""
    name = authority.name
    if authority.kind == OrgUnit.Kind.DISTRICT and authority.parent_id:
        code = authority.division_id or authority.code
        city = authority.parent.division.name if authority.parent.division_id else ""
        if code[-2:].isdigit() and 1 <= int(code[-2:]) <= 20 and city and not name.startswith(city):
            return city + name
    return name


def _jurisdiction(authority: OrgUnit) -> str:
    """平顶山市新华区 / 宝丰县 / 平顶山市: the government level the authority belongs to."""
    full = authority_name(authority)
    return full.removesuffix("市场监督管理局") or full


# --- context ------------------------------------------------------------------------------------------------------


def cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def yuan(amount) -> str:
    amount = Decimal(amount or 0)
    return f"{amount:,.2f}元"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _party(case) -> dict:
    entity = case.entity
    individual = case.party_kind == "individual"
    if entity is not None:
        rep_label = "经营者" if entity.kind == "individual" else "法定代表人（负责人）"
        return {"name": case.party_name or entity.name, "code_label": "统一社会信用代码", "code": entity.uscc,
                "address": case.party_address or entity.address, "rep_label": rep_label, "rep": entity.legal_rep,
                "phone": entity.phone, "id_no": entity.legal_rep_id_no}
    return {"name": case.party_name, "code_label": "身份证件号码" if individual else "统一社会信用代码",
            "code": case.party_id_no, "address": case.party_address,
            "rep_label": "" if individual else "法定代表人（负责人）", "rep": "", "phone": "", "id_no": ""}


def record_download(*, user, doc) -> None:
    """A document of a case whose party is a natural person carries the person's ID number and address in full (an
    official instrument is not masked): downloading it is a logged read of them (#14), as the case page's clear view
    is; one entry per reader, document and hour."""
    from .models import PartyKind

    case = doc.case
    if case.party_kind != PartyKind.INDIVIDUAL:
        return
    fields = [name for name in ("party_id_no", "party_address") if getattr(case, name)]
    if fields:
        audit.record_personal_read(actor=user, obj=doc, fields=fields, unit=case.unit_id)


def penalty_lines(kinds, fine=None, confiscated=None, items="", days=None) -> list[str]:
    """One line per penalty kind, numbered as a decision lists them: 1．警告；2．罚款人民币5,000.00元。"""
    from .models import PenaltyKind

    labels = dict(PenaltyKind.choices)
    out = []
    for code in kinds or ():
        label = labels.get(code, code)
        if code == "fine" and fine:
            label = f"罚款人民币{yuan(fine)}"
        elif code == "confiscate_income" and confiscated:
            label = f"没收违法所得人民币{yuan(confiscated)}"
        elif code == "confiscate_goods" and items:
            label = f"没收非法财物：{items}"
        elif code in ("suspension", "licence_suspension") and days:
            label = f"{label}{days}日"
        out.append(label)
    n = len(out)
    return [f"{i}．{text}{'。' if i == n else '；'}" for i, text in enumerate(out, 1)]


def _officers(case) -> str:
    rows = case.assignments.select_related("user").order_by("-is_lead", "id")
    return "、".join(f"{a.user.get_full_name() or a.user.username}（执法证号：{a.credential_no}）" for a in rows)


def _evidence(case) -> str:
    kinds = []
    for ev in case.evidence.all():
        label = ev.get_kind_display()
        if label not in kinds:
            kinds.append(label)
    return "、".join(kinds) or "现场检查笔录、询问笔录"


def _history(case, penalty) -> str:
    parts = [f"本局于{cn_date(case.filed_on)}对当事人涉嫌{case.title}一案立案调查。"]
    notice = case.notices.order_by("-notified_on", "-id").first()
    if notice is not None:
        parts.append(f"{cn_date(notice.notified_on)}，本局向当事人告知了拟作出行政处罚的事实、理由、依据、"
                     "处罚内容及当事人依法享有的陈述、申辩" + ("、要求听证" if notice.hearing_right else "") + "等权利。")
        if notice.waived:
            parts.append("当事人明确表示放弃陈述、申辩" + ("和听证" if notice.hearing_right else "") + "。")
        elif notice.statement:
            parts.append("当事人在法定期限内提出了陈述、申辩，本局对其陈述、申辩进行了复核。")
        else:
            parts.append("当事人在法定期限内未提出陈述、申辩" + ("，未要求听证" if notice.hearing_right else "") + "。")
    hearing = case.hearings.exclude(held_on=None).order_by("-held_on").first()
    if hearing is not None:
        parts.append(f"应当事人申请，本局于{cn_date(hearing.held_on)}依法举行了听证。")
    if penalty is not None and penalty.collective:
        parts.append("本案经本局负责人集体讨论决定。")
    return "".join(parts)


def context_for(case, code: str, *, number: str, issued_on: dt.date, inputs: dict | None = None) -> dict:
    """Everything the templates of ``code`` print, from the case file and the officer's ``inputs``."""
    from .models import Penalty

    inputs = dict(inputs or {})
    k = get_kind(code)
    unit = case.unit
    authority = authority_for(unit)
    jurisdiction = _jurisdiction(authority)
    penalty = Penalty.objects.filter(case=case).first()
    notice = case.notices.order_by("-notified_on", "-id").first()
    if penalty is not None:
        lines = penalty_lines(penalty.kinds, penalty.fine_amount, penalty.confiscated_amount,
                              penalty.confiscated_items, penalty.suspension_days)
        basis = penalty.legal_basis
        facts = _lines(penalty.facts) or _lines(case.facts)
        payment = ""
        if penalty.amount_due:
            payment = ("罚没款限你（单位）自收到本决定书之日起十五日内缴纳至指定银行或者通过电子支付系统缴纳。"
                       "到期不缴纳罚款的，本局可以依据《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，"
                       "每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款的数额。")
        summary = "；".join(line[2:].rstrip("；。") for line in lines)
    else:
        kinds = notice.proposed_kinds if notice is not None else case.proposed_kinds
        fine = notice.proposed_fine if notice is not None else case.proposed_fine
        lines = penalty_lines(kinds, fine, case.illegal_income)
        basis, facts, payment, summary = "", _lines(case.facts), "", ""
    hearing = bool(notice.hearing_right) if notice is not None else False
    ctx = {
        "authority": authority_name(authority),
        "number": number,
        "title": k.title,
        "issued_on": cn_date(issued_on),
        "review_organ": f"{jurisdiction}人民政府",
        "court": f"{jurisdiction}人民法院",
        "party": _party(case),
        "case": {
            "number": case.number, "cause": case.title, "source": case.lead.get_source_kind_display()
            if case.lead_id else "其他", "filed_on": cn_date(case.filed_on),
            "discovered_on": cn_date(case.lead.discovered_on) if case.lead_id else "",
            "facts": facts, "officers": _officers(case), "evidence": _evidence(case),
            "violated": inputs.get("violated") or basis or "有关法律、法规",
            "basis": inputs.get("basis") or basis or "有关法律、法规",
            "history": _history(case, penalty),
            "report": _lines(case.investigation_report),
            "outcome": case.get_outcome_display() if case.outcome else "",
        },
        "penalty": {"lines": lines, "payment": payment, "reasoning": "", "summary": summary,
                    "decision_no": penalty.decision_no if penalty is not None else ""},
        "hearing_articles": "、第六十三条、第六十四条" if hearing else "",
        "hearing_right": "和要求听证的权利" if hearing else "",
        "hearing_request": "或者要求听证" if hearing else "",
        "opinion_officer": "", "opinion_head": "", "opinion_leader": "", "execution": "",
    }
    if code == "seizure_decision":
        seizure = case.seizures.order_by("-decided_on", "-id").first()
        measure = inputs.get("measure") or (seizure.get_measure_display() if seizure else "扣押")
        ctx.update({"measure": measure, "objects_word": "场所、设施" if measure == "查封" else "财物",
                    "term_days": 30, "term_from": cn_date(seizure.decided_on if seizure else issued_on),
                    "term_to": cn_date(seizure.ends_on if seizure else issued_on + dt.timedelta(days=29)),
                    "items": _lines(seizure.items) if seizure else [],
                    "basis": "《中华人民共和国行政强制法》第二十二条、第二十三条"})
    # A decision or a notice is dated the day the act was done, whenever the paper is (re)printed.
    if code == "penalty_decision" and penalty is not None:
        ctx["issued_on"] = cn_date(penalty.decided_on)
    elif code == "prior_notice" and notice is not None:
        ctx["issued_on"] = cn_date(notice.notified_on)
    if code == "filing_approval" and case.filing_approved_by_id:
        # Only a head's approval is 机关负责人审批意见: a case an officer filed on their own (command line, older data)
        # leaves the line blank for a signature rather than printing the officer as the approver.
        from .services import is_unit_head

        approver = case.filing_approved_by
        if is_unit_head(approver, case.unit_id):
            request = getattr(case, "filing_request", None)
            opinion = (request.decision_note if request is not None and request.decision_note else "同意立案")
            ctx["opinion_leader"] = (f"{opinion.rstrip('。')}。{approver.get_full_name() or approver.username}，"
                                     f"{cn_date(case.filed_on)}")
            if request is not None:
                requester = request.requested_by
                if not ctx.get("opinion_officer"):
                    ctx["opinion_officer"] = (f"{request.opinion or '建议立案'}。"
                                              f"{requester.get_full_name() or requester.username}，"
                                              f"{cn_date(request.requested_on)}")
    lead_officer = case.assignments.select_related("user", "user__profile").order_by("-is_lead", "id").first()
    if lead_officer is not None:
        user = lead_officer.user
        ctx["contact"] = user.get_full_name() or user.username
        ctx["contact_phone"] = getattr(getattr(user, "profile", None), "phone", "") or ""
    if code == "hearing_notice":
        hearing = case.hearings.order_by("-requested_on", "-id").select_related("host").first()
        if hearing is not None:
            ctx["hearing_at"] = cn_date(hearing.scheduled_on)
            ctx["hearing_place"] = hearing.place
            ctx["hearing_host"] = (hearing.host.get_full_name() or hearing.host.username) if hearing.host_id else ""
    if code == "closing_approval" and penalty is not None:
        ctx["execution"] = (penalty.get_payment_status_display()
                            + (f"，{cn_date(penalty.paid_on)}缴纳{yuan(penalty.paid_amount)}" if penalty.paid_on else ""))
    for field in k.fields:
        if field.name in inputs:
            value = inputs[field.name]
            ctx[field.name] = _lines(value) if field.lines else str(value).strip()
    ctx.update(_clock_context(case, code, inputs, issued_on))
    for field in k.fields:  # inputs left out print as blanks the officer fills by hand
        ctx.setdefault(field.name, [] if field.lines else "")
    if code == "rectification_order" and ctx.get("order_basis"):
        ctx["order_basis"] = f"以及{ctx['order_basis']}"
    return ctx


def _clock_context(case, code: str, inputs: dict, issued_on: dt.date) -> dict:
    """What the documents of the statutory clocks print from the case file: the extension, the suspension, the
    testing period of a seizure, the 7 working days of a preservation, the service a receipt proves."""
    from jianguan.core import workdays
    from jianguan.core.rules import rule

    from .models import PauseReason

    out: dict = {}
    if code == "extension_approval":
        base = int(rule("enforcement.decision_days", on=case.filed_on))
        extra = int(rule("enforcement.decision_extension_days", on=case.filed_on))
        pauses = list(case.pauses.all())
        excluded = sum(((p.ends_on or issued_on) - p.starts_on).days for p in pauses)
        try:
            original = workdays.period_end(case.filed_on, base + excluded)
            extended = workdays.period_end(case.filed_on, base + extra + excluded)
        except workdays.CalendarUnknown:
            original = extended = None
        out.update({"original_due": cn_date(original) or "待定", "extension_days": extra,
                    "extended_due": cn_date(extended) or "待定",
                    "excluded": "；".join(f"{p.get_reason_display()} {cn_date(p.starts_on)}至{cn_date(p.ends_on) or '今'}"
                                         for p in pauses) or "无"})
        if "reason" not in inputs and case.extension_reason:
            out["reason"] = _lines(case.extension_reason)
        if case.extension_approved_by_id and "opinion_leader" not in inputs:
            who = case.extension_approved_by
            out["opinion_leader"] = (f"同意延长{extra}日。{who.get_full_name() or who.username}，"
                                     f"{cn_date(case.extension_approved_on)}")
    if code in ("suspension_approval", "resumption_approval"):
        pause = case.pauses.filter(reason=PauseReason.SUSPENSION).order_by("-starts_on", "-id").first()
        if pause is not None:
            out.update({"suspended_on": cn_date(pause.starts_on), "resumed_on": cn_date(pause.ends_on),
                        "suspended_days": f"{(pause.ends_on - pause.starts_on).days}日" if pause.ends_on else "尚未恢复"})
            if "reason" not in inputs and pause.note:
                out["reason"] = _lines(pause.note)
    if code == "testing_period_notice":
        seizure = case.seizures.order_by("-decided_on", "-id").first()
        pause = None
        if seizure is not None:
            from .models import ClockPause

            pause = ClockPause.objects.filter(seizure=seizure).order_by("-starts_on", "-id").first()
        out.update({"seizure_on": cn_date(seizure.decided_on) if seizure else "",
                    "measure": seizure.get_measure_display() if seizure else "扣押",
                    "items": "、".join(_lines(seizure.items)) if seizure else "",
                    "test_kind": pause.get_reason_display() if pause else "检测",
                    "test_from": cn_date(pause.starts_on) if pause else "",
                    "test_to": cn_date(pause.ends_on) if pause and pause.ends_on else ""})
    if code == "preservation_notice":
        saved = _parse_day(inputs.get("saved_on")) or issued_on
        try:
            out["decide_by"] = cn_date(workdays.add_workdays(saved, 7))
        except workdays.CalendarUnknown:
            out["decide_by"] = "七个工作日内"
    if code == "service_receipt":
        served = str(inputs.get("served_document", ""))
        svc = None
        for candidate in case.services.order_by("-served_on", "-id"):
            if candidate.document_title in served or (candidate.document_no and candidate.document_no in served):
                svc = candidate
                break
        if svc is not None:
            remark = ""
            if svc.method == "announcement" and svc.sent_on:
                remark = f"{cn_date(svc.sent_on)}发出公告，经过三十日视为送达"
            elif svc.method == "mail" and svc.sent_on:
                remark = f"{cn_date(svc.sent_on)}交邮（{svc.proof}）"
            out.update({"method": svc.get_method_display(), "recipient": svc.recipient,
                        "served_at": cn_date(svc.served_on), "remark": remark})
    return {k: v for k, v in out.items() if k not in inputs}


def _parse_day(value) -> dt.date | None:
    import re

    match = re.match(r"^\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})", str(value or ""))
    return dt.date(*(int(x) for x in match.groups())) if match else None


# --- issuing -------------------------------------------------------------------------------------------------------


def _key(case, k, inputs: dict) -> str:
    if not k.repeatable:
        return ""
    value = str(inputs.get(k.key_field, "")).strip()
    if not value and k.code == "seizure_decision":
        seizure = case.seizures.order_by("-decided_on", "-id").first()
        value = f"seizure:{seizure.pk}" if seizure else ""
    if not value:
        return ""
    return value if len(value) <= 64 else hashlib.sha256(value.encode()).hexdigest()[:64]


def _clean_inputs(k, inputs: dict | None) -> dict:
    inputs = {name: value for name, value in (inputs or {}).items() if value not in (None, "")}
    allowed = {f.name for f in k.fields} | {"violated", "basis"}
    unknown = sorted(set(inputs) - allowed)
    if unknown:
        raise ValidationFailed(f"{k.title}没有这些填写项：{'、'.join(unknown)}", field=unknown[0])
    missing = [f for f in k.fields if f.required and not str(inputs.get(f.name, "")).strip()]
    if missing:
        raise ValidationFailed(f"请填写{missing[0].label}", field=missing[0].name)
    return {name: str(value) for name, value in inputs.items()}


def _number_for(case, k, unit, issued_on: dt.date) -> str:
    source = CASE_NUMBER_KINDS.get(k.code)
    if source == "case":
        return case.number
    if source == "penalty":
        from .models import Penalty

        penalty = Penalty.objects.filter(case=case).first()
        if penalty is None:
            raise TransitionNotAllowed("案件尚未作出行政处罚决定，不能制作行政处罚决定书")
        return penalty.decision_no
    return next_number(unit=unit, word=k.word, year=issued_on.year)


def _check_stage(case, k) -> None:
    """Documents that only make sense at a stage of the case."""
    from .models import Penalty

    if k.code == "closing_approval" and case.status not in ("executed", "closed") and not (
            case.outcome and case.outcome != "penalty"):
        raise TransitionNotAllowed("案件尚未执行完毕，不能制作结案审批表")
    if k.code == "prior_notice" and not (case.notices.exists() or case.proposed_kinds):
        raise TransitionNotAllowed("尚未确定拟处罚内容，不能制作行政处罚事先告知书")
    if k.code == "hearing_notice" and not case.hearings.exists():
        raise TransitionNotAllowed("当事人未申请听证，不能制作听证通知书")
    if k.code == "investigation_report" and not case.investigation_report.strip():
        raise TransitionNotAllowed("尚未调查终结，不能制作调查终结报告")
    if k.code == "penalty_decision" and not Penalty.objects.filter(case=case).exists():
        raise TransitionNotAllowed("案件尚未作出行政处罚决定，不能制作行政处罚决定书")
    if k.code == "testing_period_notice" and not case.seizures.exists():
        raise TransitionNotAllowed("本案没有查封扣押，不能制作检测（检验、鉴定）期间告知书")
    if k.code == "resumption_approval" and not case.pauses.filter(reason="suspension").exists():
        raise TransitionNotAllowed("本案未中止调查，不能制作恢复案件调查审批表")


@transaction.atomic
def document_issue(*, case, kind: str, actor, inputs: dict | None = None, correction_reason: str = "",
                   today: dt.date | None = None):
    """Issue document ``kind`` for ``case``: number it, render the .docx and the PDF, store both, audit it.

    Issuing again what is already issued (same case, kind and, for repeatable kinds, key) returns the existing
    document — a second click or a retried request does no harm. A ``correction_reason`` issues a corrected
    document under a new number and marks the old one superseded; the old number is never reused.
    """
    from .document_models import Document
    from .models import Case

    if kind not in KINDS:
        raise ValidationFailed(f"文书种类「{kind}」无效", field="kind")
    k = KINDS[kind]
    today = today or timezone.localdate()
    # Lock the case: two officers issuing the same document at once are serialised, the second gets the first's.
    case = Case.objects.select_for_update(of=("self",)).select_related("unit", "unit__parent", "entity", "lead").get(
        pk=case.pk)
    inputs = _clean_inputs(k, inputs)
    key = _key(case, k, inputs)
    existing = Document.objects.filter(case=case, kind=kind, key=key, is_current=True).first()
    correction_reason = correction_reason.strip()
    if existing is not None and not correction_reason:
        return existing
    if existing is None and correction_reason:
        raise TransitionNotAllowed(f"本案尚未制作{k.title}，无需更正")
    _check_stage(case, k)
    if existing is not None and kind in CASE_NUMBER_KINDS:
        # the case number and the decision number belong to the case: a correction keeps the number, marked 更正
        number = f"{existing.number}（更正{Document.objects.filter(case=case, kind=kind).count()}）"
    else:
        number = _number_for(case, k, case.unit, today)
    ctx = context_for(case, kind, number=number, issued_on=today, inputs=inputs)
    docx = docrender.render_docx(kind, ctx)
    pdf = docrender.render_pdf(kind, ctx)
    if existing is not None:
        existing.is_current = False
        existing.save(update_fields=["is_current"])
    doc = Document.objects.create(
        case=case, kind=kind, key=key, number=number, authority=authority_for(case.unit), unit=case.unit,
        issued_on=today, issued_by=actor, inputs=inputs, docx=docx, pdf=pdf,
        content_hash=hashlib.sha256(docx).hexdigest(), corrects=existing, correction_reason=correction_reason[:300])
    changes = {"kind": [None, kind], "number": [None, number], "content_hash": [None, doc.content_hash]}
    if existing is not None:
        changes.update({"corrects": [None, existing.number], "reason": [None, correction_reason]})
    audit.record(actor=actor, action="enforcement.document.corrected" if existing else "enforcement.document.issued",
                 obj=doc, unit=case.unit, changes=changes)
    return doc


# --- reads -------------------------------------------------------------------------------------------------------


def documents_for(user):
    """The documents ``user`` may see: those of cases in the user's scope. Blobs deferred."""
    from .document_models import Document

    qs = Document.objects.select_related("case", "issued_by").defer("docx", "pdf")
    return scope_filter(qs, user, "case__unit")

