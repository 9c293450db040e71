"""Writes of the start-up app: the application's state machine, decisions, objections, the +N checklist.

State machine (``Application.State``)::

    draft ──submit──▶ approved (auto: every smart-approval rule passed)
      │                 ▲
      └──submit──▶ in_review ──approve──┘
                     │  ├──reject──▶ rejected
                     │  └──return──▶ returned ──submit (resubmitted)──▶ in_review
    simple_deregister: draft ──submit──▶ public_notice ──(period over, no objection: sweep or registrar)──▶ approved
                                           └──objection──▶ in_review ──▶ approved / rejected

A transition the current state does not allow raises ``TransitionNotAllowed``; repeating the transition that put the
application where it is (a second click) returns it unchanged. Every transition locks the row (``select_for_update``)
and writes a ``Decision`` and an audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.core import audit, sequences, workdays
from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit, PublicProfile
from jianguan.core.rules import rule
from jianguan.registry import services as registry_services
from jianguan.registry.masking import redact_changes
from jianguan.registry.models import Entity, EntityStatus

from . import approval, permits, timing
from .models import Application, CompanionItem, Decision, Objection, Shareholder

SYSTEM_ACTOR = "智慧审批"
State = Application.State
Kind = Application.Kind

EDITABLE_FIELDS = (
    "name_division",
    "name_trade",
    "name_industry",
    "name_form",
    "entity_kind",
    "address",
    "division",
    "registered_capital",
    "legal_rep_name",
    "legal_rep_id_no",
    "legal_rep_phone",
    "business_scope",
    "industry",
    "companion_codes",
    "commitment_permits",
    "reason",
    "debts_settled",
    "division_id",
    "industry_id",
)
AUDITED = (
    "state",
    "name",
    "entity_kind",
    "address",
    "division",
    "registered_capital",
    "legal_rep_name",
    "business_scope",
    "industry",
    "registration_authority",
    "reason",
    "debts_settled",
)
# Application field → entity field, for change registrations (变更) and for the new entity.
ENTITY_FIELDS = {
    "name": "name",
    "entity_kind": "kind",
    "legal_rep_name": "legal_rep",
    "legal_rep_id_no": "legal_rep_id_no",
    "legal_rep_phone": "phone",
    "registered_capital": "registered_capital",
    "address": "address",
    "division_id": "division_id",
    "industry_id": "industry_id",
    "business_scope": "business_scope",
}
DEFAULT_COMPANIONS = [code for code, (_l, _h, required) in CompanionItem.CATALOGUE.items() if required]


# --- who may apply ------------------------------------------------------------------------------------------------


def may_act_for_entity(user, entity: Entity) -> bool:
    """A person whose application established the entity, or the entity's own enterprise account."""
    if not getattr(user, "is_authenticated", False):
        return False
    profile = getattr(user, "public_profile", None) if hasattr(user, "public_profile") else None
    if profile is None:
        return False
    if profile.kind == PublicProfile.Kind.ENTERPRISE and profile.entity_id == entity.pk:
        return True
    return Application.objects.filter(applicant=user, entity=entity, kind=Kind.ESTABLISH, state=State.APPROVED).exists()


def _require_public(actor) -> None:
    if not hasattr(actor, "public_profile"):
        raise DomainError("请使用公众账号办理企业开办", code="forbidden")


def _require_applicant(actor, app: Application) -> None:
    if getattr(actor, "pk", None) != app.applicant_id:
        raise DomainError("只有申请人本人可以办理", code="forbidden")


def _lock(app: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("entity").get(pk=app.pk)


def _decision(app, action, actor, message="", reasons=None):
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = (user.get_full_name() or user.get_username()) if user else str(actor)
    return Decision.objects.create(
        application=app, action=action, actor=user, actor_label=label[:150], message=message, reasons=reasons or []
    )


# --- drafts -------------------------------------------------------------------------------------------------------


def open_establish_draft(actor) -> Application | None:
    """The applicant's establishment application still being filled in (草稿), the newest one."""
    return (Application.objects.filter(applicant=actor, kind=Kind.ESTABLISH, state=State.DRAFT)
            .order_by("-id").first())


def _set_name(app: Application, name: str) -> None:
    from . import namecheck

    parts = namecheck.parse_name(name.strip())
    app.name_division, app.name_trade, app.name_industry, app.name_form = (
        parts.division, parts.trade, parts.industry, parts.form)
    app.name = app.compose_name()


@transaction.atomic
def application_create(*, actor, kind: str = Kind.ESTABLISH, entity: Entity | None = None,
                       name: str = "", reopen: bool = True) -> Application:
    """Open a draft. Change and deregistration drafts start from the entity's current registration.

    An establishment draft the applicant has not submitted is reopened rather than a second one made (``reopened``
    is then True on the result); ``name`` (from the name check's 用此名称申报) is put into it either way.
    ``reopen=False`` (the demo, which makes several drafts of one applicant) always makes a new one."""
    _require_public(actor)
    if kind == Kind.ESTABLISH and reopen:
        # serialises two clicks of 新的设立登记 on PostgreSQL (SQLite's atomic already holds the write lock)
        PublicProfile.objects.select_for_update().filter(user=actor).first()
        draft = open_establish_draft(actor)
        if draft is not None:
            draft.reopened = True
            if name.strip() and draft.name != name.strip():
                before = draft.name
                _set_name(draft, name)
                draft.save()
                audit.record(actor=actor, action="startup.application.updated", obj=draft,
                             changes={"name": [before, draft.name]})
            return draft
    app = Application(kind=kind, applicant=actor)
    app.reopened = False
    if kind == Kind.ESTABLISH:
        if name.strip():
            _set_name(app, name)
        app.companion_codes = list(DEFAULT_COMPANIONS)
        profile = actor.public_profile
        app.legal_rep_name = actor.first_name
        app.legal_rep_phone = profile.phone
    else:
        if entity is None:
            raise DomainError("请指定市场主体", field="entity")
        if not may_act_for_entity(actor, entity):
            raise DomainError("只有通过本平台设立该企业的申请人或该企业账号可以办理", code="forbidden")
        if entity.status != EntityStatus.ACTIVE:
            raise TransitionNotAllowed(f"主体状态为「{entity.get_status_display()}」，不能办理{Kind(kind).label}")
        app.entity = entity
        _prefill_from_entity(app, entity)
    app.save()
    audit.record(
        actor=actor,
        action="startup.application.created",
        obj=app,
        changes={"kind": [None, kind], "entity": [None, entity.pk if entity else None]},
    )
    return app


def _prefill_from_entity(app: Application, entity: Entity) -> None:
    from . import namecheck

    parts = namecheck.parse_name(entity.name)
    app.name_division, app.name_trade, app.name_industry, app.name_form = (
        parts.division,
        parts.trade,
        parts.industry,
        parts.form,
    )
    for app_field, entity_field in ENTITY_FIELDS.items():
        setattr(app, app_field, getattr(entity, entity_field))
    app.name = entity.name


@transaction.atomic
def application_update(*, actor, application: Application, **fields) -> Application:
    """Save a draft (or a returned application being corrected)."""
    app = _lock(application)
    _require_applicant(actor, app)
    if not app.is_editable:
        raise TransitionNotAllowed(f"申请状态为「{app.get_state_display()}」，不能修改")
    before = audit.snapshot(app, AUDITED)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise DomainError(f"「{name}」不能修改", field=name)
        if isinstance(value, str):
            value = value.strip()
        setattr(app, name, value)
    if app.kind in (Kind.ESTABLISH, Kind.CHANGE):
        app.name = app.compose_name()
        if app.legal_rep_id_no:
            app.legal_rep_id_no = app.legal_rep_id_no.upper()
    if app.industry_id and not industry_registrable(app.industry_id):
        raise ValidationFailed("所选行业不属于市场主体登记范围，请选择其他行业", field="industry")
    app.save()
    changes = audit.diff(before, audit.snapshot(app, AUDITED))
    if changes:
        audit.record(actor=actor, action="startup.application.updated", obj=app, changes=changes)
    return app


def industry_registrable(code: str) -> bool:
    """Whether a GB/T 4754 division belongs to a section market entities register in (rule
    ``startup.non_market_industry_sections``)."""
    from jianguan.registry.models import Industry

    return Industry.objects.filter(pk=code, parent__isnull=False).exclude(
        parent_id__in=rule("startup.non_market_industry_sections")).exists()


@transaction.atomic
def shareholders_replace(*, actor, application: Application, rows: list[dict]) -> list[Shareholder]:
    """Replace the shareholders of a draft with ``rows`` ({name, kind, id_no, subscribed_capital, share_pct,
    contribution_date})."""
    app = _lock(application)
    _require_applicant(actor, app)
    if not app.is_editable:
        raise TransitionNotAllowed(f"申请状态为「{app.get_state_display()}」，不能修改")
    before = [f"{s.name}:{s.share_pct}" for s in app.shareholders.all()]
    app.shareholders.all().delete()
    created = [
        Shareholder.objects.create(application=app, **{**row, "id_no": row["id_no"].strip().upper()}) for row in rows
    ]
    after = [f"{s.name}:{s.share_pct}" for s in created]
    if before != after:
        audit.record(
            actor=actor,
            action="startup.application.shareholders_set",
            obj=app,
            changes={"shareholders": [before, after]},
        )
    return created


# --- submission and smart approval --------------------------------------------------------------------------------


def missing_fields(app: Application) -> list[dict]:
    """What must be filled before submission, as [{field, message}]."""
    problems = []
    if app.kind in (Kind.ESTABLISH, Kind.CHANGE):
        required = {
            "name_trade": "字号",
            "name_form": "组织形式",
            "address": "住所",
            "division": "住所所在区县",
            "registered_capital": "注册资本",
            "legal_rep_name": "法定代表人",
            "legal_rep_id_no": "法定代表人身份证号码",
            "business_scope": "经营范围",
            "industry": "行业",
        }
        for name, label in required.items():
            value = getattr(app, f"{name}_id" if name in ("division", "industry") else name)
            if value in (None, ""):
                problems.append({"field": name, "message": f"请填写{label}"})
        if app.kind == Kind.ESTABLISH and not app.shareholders.exists():
            problems.append({"field": "shareholders", "message": "请填写股东（发起人）"})
        if app.kind == Kind.CHANGE and not _entity_changes(app):
            problems.append({"field": "__all__", "message": "没有变更事项"})
    elif not app.reason.strip():
        problems.append({"field": "reason", "message": "请填写注销原因"})
    return problems


def _entity_changes(app: Application) -> dict:
    entity = app.entity
    out = {}
    for app_field, entity_field in ENTITY_FIELDS.items():
        new, old = getattr(app, app_field), getattr(entity, entity_field)
        if isinstance(new, Decimal) or isinstance(old, Decimal):
            same = (new is None and old is None) or (
                new is not None and old is not None and Decimal(new) == Decimal(old)
            )
        else:
            same = (new or "") == (old or "")
        if not same:
            out[entity_field] = [old, new]
    # The JSON is kept in clear: a new legal representative's ID number and phone are kept masked there (#14);
    # the approval takes the values from the application's encrypted columns (PERSONAL_CHANGES).
    return redact_changes(audit._normalise(out))


#: Entity fields whose change is recorded masked in ``change_fields``: {entity field: application field}.
PERSONAL_CHANGES = {"legal_rep_id_no": "legal_rep_id_no", "phone": "legal_rep_phone"}


def authority_for(app: Application) -> OrgUnit:
    """The registration authority: the entity's for changes and deregistrations, else the district bureau of the
    address (the city bureau when the district has none)."""
    if app.kind != Kind.ESTABLISH and app.entity_id:
        return app.entity.registration_authority
    unit = None
    if app.division_id:
        unit = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, division_id=app.division_id, is_active=True).first()
    if unit is None:
        unit = OrgUnit.objects.filter(kind=OrgUnit.Kind.CITY, code=settings.JIANGUAN_CITY_CODE).first()
    if unit is None:
        raise DomainError("未找到登记机关，请联系管理员配置组织机构")
    return unit


def _office_hours() -> tuple[int, int]:
    start, end = rule("startup.office_hours")
    return int(start), int(end)


def _due(start: dt.datetime) -> dt.datetime | None:
    try:
        return timing.add_working_hours(
            timezone.localtime(start), float(rule("startup.decision_target_hours")), hours=_office_hours()
        )
    except workdays.CalendarUnknown:
        return None  # shown as "日历未录入" rather than a guessed deadline


def _work_hours(start: dt.datetime, end: dt.datetime) -> Decimal | None:
    try:
        hours = timing.working_hours_between(timezone.localtime(start), timezone.localtime(end), hours=_office_hours())
    except workdays.CalendarUnknown:
        return None
    return Decimal(str(hours))


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Submit (or resubmit after correction). A clean first submission is approved at once by smart approval;
    anything else goes to a registrar with the reasons. A simplified deregistration starts its public notice."""
    app = _lock(application)
    _require_applicant(actor, app)
    if app.state in (State.IN_REVIEW, State.APPROVED, State.PUBLIC_NOTICE):
        return app  # a second click does no harm
    if app.state == State.REJECTED:
        raise TransitionNotAllowed("申请已被决定不予核准，不能再提交；如需办理请重新申请")
    problems = missing_fields(app)
    if app.kind == Kind.SIMPLE_DEREGISTER:
        problems += [{"field": "__all__", "message": p} for p in approval.simple_deregistration_problems(app)]
    if problems:
        raise ValidationFailed("申请信息不完整：" + "；".join(p["message"] for p in problems), details=problems)
    resubmission = app.state == State.RETURNED
    before = audit.snapshot(app, AUDITED)
    now = timezone.now()
    if not app.number:
        year = timezone.localdate().year
        app.number = f"KB{year}{sequences.next_value(f'startup:application:{year}'):06d}"
    app.registration_authority = authority_for(app)
    app.first_submitted_at = app.first_submitted_at or now
    app.submitted_at = now
    if app.kind == Kind.CHANGE:
        app.change_fields = _entity_changes(app)
    _decision(app, Decision.Action.RESUBMITTED if resubmission else Decision.Action.SUBMITTED, actor)
    unit = app.registration_authority

    if app.kind == Kind.SIMPLE_DEREGISTER:
        days = int(rule("startup.simple_deregistration_notice_days"))
        app.state = State.PUBLIC_NOTICE
        app.notice_starts_on = timezone.localdate()
        app.notice_ends_on = app.notice_starts_on + dt.timedelta(days=days)
        app.due_at = None
        app.save()
        _decision(
            app,
            Decision.Action.NOTICE_STARTED,
            SYSTEM_ACTOR,
            f"公告期 {app.notice_starts_on} 至 {app.notice_ends_on}，期间任何人可提出异议",
        )
        audit.record(
            actor=actor,
            action="startup.application.notice_started",
            obj=app,
            unit=unit,
            changes=audit.diff(before, audit.snapshot(app, AUDITED)) | {"notice_ends_on": [None, app.notice_ends_on]},
        )
        return app

    results = approval.evaluate(app)
    app.rule_results = results
    reasons = approval.failed_reasons(results)
    audit.record(
        actor=actor,
        action="startup.application.resubmitted" if resubmission else "startup.application.submitted",
        obj=app,
        unit=unit,
        changes=audit.diff(before, audit.snapshot(app, AUDITED)),
    )
    if not reasons and not resubmission:
        _approve(app, actor=SYSTEM_ACTOR, message="各项规则均通过，系统自动核准", auto=True)
        audit.record(
            actor=SYSTEM_ACTOR,
            action="startup.application.auto_approved",
            obj=app,
            unit=unit,
            changes={
                "state": [State.DRAFT, State.APPROVED],
                "rule_results": [None, results],
                "entity": [None, app.entity_id],
            },
        )
        return app
    app.state = State.IN_REVIEW
    app.due_at = _due(now)
    app.save()
    routed = reasons or ["补正后重新提交，由登记人员复核"]
    _decision(app, Decision.Action.ROUTED, SYSTEM_ACTOR, f"转{unit.name}登记人员审核", routed)
    audit.record(
        actor=SYSTEM_ACTOR,
        action="startup.application.routed",
        obj=app,
        unit=unit,
        changes={"state": [before["state"], State.IN_REVIEW], "reasons": [None, routed]},
    )
    return app


def _approve(app: Application, *, actor, message: str, auto: bool = False) -> None:
    """Apply the registration to the registry and mark the application approved (inside the caller's atomic)."""
    today = timezone.localdate()
    note = f"企业开办申请 {app.number}"
    if app.kind == Kind.ESTABLISH:
        unit = app.registration_authority
        app.entity = registry_services.entity_register(
            actor=actor,
            name=app.name,
            kind=app.entity_kind,
            legal_rep=app.legal_rep_name,
            established_on=today,
            address=app.address,
            division_id=app.division_id,
            unit=unit,
            registration_authority=unit,
            industry_id=app.industry_id,
            registered_capital=app.registered_capital,
            business_scope=app.business_scope,
            legal_rep_id_no=app.legal_rep_id_no,
            phone=app.legal_rep_phone,
        )
        permits.grant_on_commitment(app=app, entity=app.entity, actor=actor, on=today)
        for code in app.companion_codes or DEFAULT_COMPANIONS:
            if code in CompanionItem.CATALOGUE:
                label, handler, _required = CompanionItem.CATALOGUE[code]
                CompanionItem.objects.get_or_create(
                    application=app, code=code, defaults={"label": label, "handler": handler}
                )
    elif app.kind == Kind.CHANGE:
        plain = {}
        for entity_field, (_old, new) in (app.change_fields or {}).items():
            if entity_field in ("division_id", "industry_id"):
                plain[entity_field.removesuffix("_id")] = _related(entity_field, new)
            elif entity_field == "registered_capital":
                plain[entity_field] = Decimal(new) if new is not None else None
            elif entity_field in PERSONAL_CHANGES:  # masked in the JSON: the value is in the encrypted column
                plain[entity_field] = getattr(app, PERSONAL_CHANGES[entity_field])
            else:
                plain[entity_field] = new
        registry_services.entity_change(actor=actor, entity=app.entity, note=note, **plain)
    else:
        registry_services.entity_set_status(
            actor=actor, entity=app.entity, status=EntityStatus.DEREGISTERED, on=today, reason=note
        )
    now = timezone.now()
    app.state = State.APPROVED
    app.auto_approved = auto
    app.decided_at = now
    if app.kind != Kind.SIMPLE_DEREGISTER and app.submitted_at:
        app.decision_work_hours = _work_hours(app.submitted_at, now)
    app.save()
    _decision(app, Decision.Action.AUTO_APPROVED if auto else Decision.Action.APPROVED, actor, message)


def _related(key: str, pk):
    from jianguan.core.models import Division
    from jianguan.registry.models import Industry

    return (Division if key == "division_id" else Industry).objects.get(pk=pk)


# --- the registrar's decisions ------------------------------------------------------------------------------------


@transaction.atomic
def application_approve(*, actor, application: Application, message: str = "") -> Application:
    """Approve an application under review, or a simplified deregistration whose notice ended without objection."""
    app = _lock(application)
    if app.state == State.APPROVED:
        return app
    if app.state == State.PUBLIC_NOTICE:
        if timezone.localdate() <= app.notice_ends_on:
            raise TransitionNotAllowed(f"公告期至 {app.notice_ends_on} 届满，期满前不能核准")
    elif app.state != State.IN_REVIEW:
        raise TransitionNotAllowed(f"申请状态为「{app.get_state_display()}」，不能核准")
    before = app.state
    _approve(app, actor=actor, message=message.strip() or "核准")
    audit.record(
        actor=actor,
        action="startup.application.approved",
        obj=app,
        unit=app.registration_authority,
        changes={"state": [before, State.APPROVED], "message": [None, message], "entity": [None, app.entity_id]},
    )
    return app


def _decide(actor, application, *, target, allowed, action, audit_action, message):
    if not message.strip():
        raise ValidationFailed("请填写理由", details=[{"field": "message", "message": "请填写理由"}])
    app = _lock(application)
    if app.state == target:
        return app
    if app.state not in allowed:
        raise TransitionNotAllowed(f"申请状态为「{app.get_state_display()}」，不能{action.label}")
    before = app.state
    app.state = target
    if target == State.REJECTED:
        app.decided_at = timezone.now()
        if app.submitted_at and app.kind != Kind.SIMPLE_DEREGISTER:
            app.decision_work_hours = _work_hours(app.submitted_at, app.decided_at)
    else:
        app.due_at = None
    app.save()
    _decision(app, action, actor, message.strip())
    audit.record(
        actor=actor,
        action=audit_action,
        obj=app,
        unit=app.registration_authority,
        changes={"state": [before, target], "message": [None, message.strip()]},
    )
    return app


@transaction.atomic
def application_reject(*, actor, application: Application, message: str) -> Application:
    return _decide(
        actor,
        application,
        target=State.REJECTED,
        allowed=(State.IN_REVIEW, State.PUBLIC_NOTICE),
        action=Decision.Action.REJECTED,
        audit_action="startup.application.rejected",
        message=message,
    )


@transaction.atomic
def application_return(*, actor, application: Application, message: str) -> Application:
    return _decide(
        actor,
        application,
        target=State.RETURNED,
        allowed=(State.IN_REVIEW,),
        action=Decision.Action.RETURNED,
        audit_action="startup.application.returned",
        message=message,
    )


# --- simplified deregistration: objections and the end of the notice ----------------------------------------------


@transaction.atomic
def objection_lodge(*, actor, application: Application, name: str, contact: str, content: str) -> Objection:
    """Anyone may object during the public notice; the application then goes to a registrar."""
    problems = [
        {"field": f, "message": f"请填写{label}"}
        for f, label, v in (
            ("name", "异议人", name),
            ("contact", "联系方式", contact),
            ("content", "异议内容", content),
        )
        if not (v or "").strip()
    ]
    if problems:
        raise ValidationFailed("异议信息不完整", details=problems)
    app = _lock(application)
    today = timezone.localdate()
    if (
        app.kind != Kind.SIMPLE_DEREGISTER
        or app.state not in (State.PUBLIC_NOTICE, State.IN_REVIEW)
        or app.notice_ends_on is None
        or not (app.notice_starts_on <= today <= app.notice_ends_on)
    ):
        raise TransitionNotAllowed("该简易注销不在公告期内，不能提出异议")
    objection = Objection.objects.create(
        application=app, name=name.strip(), contact=contact.strip(), content=content.strip()
    )
    before = app.state
    if app.state == State.PUBLIC_NOTICE:
        app.state = State.IN_REVIEW
        app.submitted_at = timezone.now()
        app.due_at = _due(app.submitted_at)
        app.save()
    _decision(
        app,
        Decision.Action.OBJECTION,
        actor if getattr(actor, "is_authenticated", False) else name.strip(),
        content.strip(),
        ["公告期内收到异议，转登记人员审查"],
    )
    audit.record(
        actor=actor,
        action="startup.application.objection_lodged",
        obj=app,
        unit=app.registration_authority,
        changes={"state": [before, app.state], "objection": [None, objection.pk]},
    )
    return objection


def notice_sweep(*, today: dt.date | None = None) -> list[Application]:
    """Approve every simplified deregistration whose notice ended without objection. Idempotent."""
    today = today or timezone.localdate()
    done = []
    ids = list(
        Application.objects.filter(
            kind=Kind.SIMPLE_DEREGISTER, state=State.PUBLIC_NOTICE, notice_ends_on__lt=today
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            app = _lock(Application(pk=pk))
            if app.state != State.PUBLIC_NOTICE or app.notice_ends_on >= today:
                continue
            _approve(app, actor=SYSTEM_ACTOR, message="公告期满无异议，予以注销")
            audit.record(
                actor=SYSTEM_ACTOR,
                action="startup.application.approved",
                obj=app,
                unit=app.registration_authority,
                changes={"state": [State.PUBLIC_NOTICE, State.APPROVED], "reason": [None, "公告期满无异议"]},
            )
            done.append(app)
    return done


# --- the +N checklist ---------------------------------------------------------------------------------------------


@transaction.atomic
def companion_item_set(*, actor, item: CompanionItem, status: str, note: str = "") -> CompanionItem:
    item = CompanionItem.objects.select_for_update().select_related("application").get(pk=item.pk)
    if status not in CompanionItem.Status.values:
        raise ValidationFailed(f"状态「{status}」无效", details=[{"field": "status", "message": "状态无效"}])
    if item.status == status and item.note == note.strip():
        return item
    before = {"status": item.status, "note": item.note}
    item.status, item.note = status, note.strip()
    item.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    item.updated_at = timezone.now()
    item.save()
    audit.record(
        actor=actor,
        action="startup.companion_item.updated",
        obj=item.application,
        unit=item.application.registration_authority,
        changes={f"{item.code}.{k}": v for k, v in audit.diff(before, {"status": status, "note": item.note}).items()},
    )
    return item
