"""Writes of the registry: registration, changes, status, licences. Each atomic and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jianguan.core import audit, sequences
from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit

from . import uscc
from .masking import redact_changes
from .models import Entity, EntityChange, EntityKind, EntityStatus, Licence, LicenceKind, LicenceStatus

# Fields a registrar may change through a change registration (变更登记); the code never changes.
CHANGEABLE = ("name", "kind", "legal_rep", "legal_rep_id_no", "phone", "registered_capital", "address", "division",
              "unit", "industry", "business_scope")
AUDITED = ("uscc", *CHANGEABLE, "established_on", "registration_authority", "status", "status_changed_on")

# Allowed status transitions. Deregistration, revocation and cancellation are final except that a cancellation
# (撤销) of a registration can itself be undone by a court; that is out of scope here.
TRANSITIONS = {
    EntityStatus.ACTIVE: {EntityStatus.REVOKED, EntityStatus.DEREGISTERED, EntityStatus.CANCELLED,
                          EntityStatus.MOVED_OUT},
    EntityStatus.REVOKED: {EntityStatus.DEREGISTERED},
    EntityStatus.DEREGISTERED: set(),
    EntityStatus.CANCELLED: set(),
    EntityStatus.MOVED_OUT: set(),
}

ENTITY_TYPE_DIGIT = {EntityKind.INDIVIDUAL: "2", EntityKind.COOPERATIVE: "3"}


def entity_type_digit(kind: str) -> str:
    return ENTITY_TYPE_DIGIT.get(kind, "1")


def new_code(*, division_code: str, kind: str) -> str:
    """A valid, never-issued code for a new registration in ``division_code``."""
    digit = entity_type_digit(kind)
    while True:
        serial = sequences.next_value(f"uscc:{division_code}:{digit}")
        code = uscc.generate(division_code, digit, serial)
        if not Entity.objects.filter(uscc=code).exists():  # imported data may already hold it
            return code


def validate_entity_fields(data: dict, *, today: dt.date | None = None) -> list[dict]:
    """Field problems of an entity as [{field, message}] (Chinese). Used by forms, services and the importer."""
    today = today or timezone.localdate()
    problems = []
    if not (data.get("name") or "").strip():
        problems.append({"field": "name", "message": "名称不能为空"})
    if data.get("kind") not in EntityKind.values:
        problems.append({"field": "kind", "message": f"主体类型「{data.get('kind')}」无效"})
    if not (data.get("legal_rep") or "").strip():
        problems.append({"field": "legal_rep", "message": "法定代表人/经营者不能为空"})
    capital = data.get("registered_capital")
    if capital is not None and Decimal(capital) < 0:
        problems.append({"field": "registered_capital", "message": "注册资本不能为负数"})
    established = data.get("established_on")
    if established is None:
        problems.append({"field": "established_on", "message": "成立日期不能为空"})
    elif established > today:
        problems.append({"field": "established_on", "message": f"成立日期 {established} 晚于今天"})
    if not (data.get("address") or "").strip():
        problems.append({"field": "address", "message": "住所不能为空"})
    return problems


def _record_change(entity, kind, on, changes, actor, note=""):
    return EntityChange.objects.create(entity=entity, kind=kind, on=on, changes=redact_changes(changes), note=note,
                                       actor=actor if getattr(actor, "is_authenticated", False) else None)


@transaction.atomic
def entity_register(*, actor, name: str, kind: str, legal_rep: str, established_on: dt.date, address: str,
                    division_id: str, unit: OrgUnit, industry_id: str, registration_authority: OrgUnit | None = None,
                    registered_capital: Decimal | None = None, business_scope: str = "", legal_rep_id_no: str = "",
                    phone: str = "", code: str | None = None) -> Entity:
    """Register a new market entity (设立登记). It gets a new valid code unless a valid ``code`` is given."""
    data = dict(name=name, kind=kind, legal_rep=legal_rep, established_on=established_on, address=address,
                registered_capital=registered_capital)
    problems = validate_entity_fields(data)
    if code is not None:
        code = uscc.normalize(code)
        reason = uscc.invalid_reason(code)
        if reason:
            problems.append({"field": "uscc", "message": f"统一社会信用代码无效：{reason}"})
        elif Entity.objects.filter(uscc=code).exists():
            problems.append({"field": "uscc", "message": f"统一社会信用代码 {code} 已被使用"})
    if Entity.objects.filter(name=name.strip(), status=EntityStatus.ACTIVE).exists():
        problems.append({"field": "name", "message": f"名称「{name}」已被登记"})
    if problems:
        raise ValidationFailed("登记信息有误：" + "；".join(p["message"] for p in problems), details=problems)
    entity = Entity.objects.create(
        uscc=code or new_code(division_code=division_id, kind=kind), name=name.strip(), kind=kind,
        legal_rep=legal_rep.strip(), legal_rep_id_no=legal_rep_id_no, phone=phone,
        registered_capital=registered_capital, established_on=established_on, address=address.strip(),
        division_id=division_id, unit=unit, industry_id=industry_id,
        registration_authority=registration_authority or (unit.parent if unit.parent_id else unit),
        business_scope=business_scope)
    snap = audit.snapshot(entity, AUDITED)
    _record_change(entity, EntityChange.Kind.ESTABLISHED, established_on, {k: [None, v] for k, v in snap.items()
                                                                           if v not in (None, "")}, actor)
    audit.record(actor=actor, action="registry.entity.registered", obj=entity, unit=unit,
                 changes={k: [None, v] for k, v in snap.items() if k not in ("legal_rep_id_no", "phone")})
    return entity


@transaction.atomic
def entity_change(*, actor, entity: Entity, on: dt.date | None = None, note: str = "", **fields) -> Entity:
    """A change registration (变更登记) of the given fields."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.status != EntityStatus.ACTIVE:
        raise TransitionNotAllowed(f"主体状态为「{entity.get_status_display()}」，不能办理变更登记")
    before = audit.snapshot(entity, CHANGEABLE)
    for name, value in fields.items():
        if name not in CHANGEABLE:
            raise DomainError(f"「{name}」不能通过变更登记修改", field=name)
        setattr(entity, name, value)
    problems = validate_entity_fields({f: getattr(entity, f) for f in ("name", "kind", "legal_rep", "address",
                                                                         "registered_capital", "established_on")})
    if problems:
        raise ValidationFailed("变更信息有误：" + "；".join(p["message"] for p in problems), details=problems)
    entity.save()
    changes = audit.diff(before, audit.snapshot(entity, CHANGEABLE))
    if changes:
        _record_change(entity, EntityChange.Kind.CHANGED, on or timezone.localdate(), changes, actor, note)
        audit.record(actor=actor, action="registry.entity.changed", obj=entity, unit=entity.unit,
                     changes=redact_changes(changes))
    return entity


@transaction.atomic
def entity_set_status(*, actor, entity: Entity, status: str, on: dt.date | None = None, reason: str = "") -> Entity:
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if status == entity.status:
        return entity  # a second click does no harm
    if status not in TRANSITIONS[EntityStatus(entity.status)]:
        raise TransitionNotAllowed(
            f"主体当前状态为「{entity.get_status_display()}」，不能变更为「{EntityStatus(status).label}」")
    on = on or timezone.localdate()
    before = entity.status
    entity.status, entity.status_changed_on = status, on
    entity.save(update_fields=["status", "status_changed_on", "updated_at"])
    _record_change(entity, EntityChange.Kind.STATUS, on, {"status": [before, status]}, actor, reason)
    audit.record(actor=actor, action="registry.entity.status_changed", obj=entity, unit=entity.unit,
                 changes={"status": [before, status], "reason": [None, reason]})
    return entity


def licence_number_problem(kind: LicenceKind, number: str) -> str | None:
    if kind.number_format == "food_production":
        return uscc.food_production_licence_reason(number)
    if kind.number_format == "food_business":
        return uscc.food_business_licence_reason(number)
    return None if number.strip() else "许可证编号不能为空"


@transaction.atomic
def licence_add(*, actor, entity: Entity, kind: LicenceKind, number: str, issuer: str, issued_on: dt.date,
                valid_until: dt.date | None, scope: str = "", by_commitment: bool = False) -> Licence:
    number = number.strip().upper()
    problem = licence_number_problem(kind, number)
    if problem:
        raise ValidationFailed(f"许可证编号有误：{problem}", field="number")
    if valid_until and valid_until < issued_on:
        raise ValidationFailed("有效期至不能早于发证日期", field="valid_until")
    if Licence.objects.filter(kind=kind, number=number).exists():
        raise ValidationFailed(f"{kind.name} {number} 已存在", field="number")
    licence = Licence.objects.create(entity=entity, kind=kind, number=number, issuer=issuer, issued_on=issued_on,
                                     valid_until=valid_until, scope=scope, by_commitment=by_commitment)
    audit.record(actor=actor, action="registry.licence.added", obj=licence, unit=entity.unit,
                 changes={"kind": [None, kind.code], "number": [None, number],
                          "valid_until": [None, valid_until], "by_commitment": [None, by_commitment]})
    return licence


@transaction.atomic
def licence_set_status(*, actor, licence: Licence, status: str, reason: str = "") -> Licence:
    licence = Licence.objects.select_for_update().select_related("entity").get(pk=licence.pk)
    if licence.status == status:
        return licence
    if licence.status in (LicenceStatus.REVOKED, LicenceStatus.CANCELLED):
        raise TransitionNotAllowed(f"许可证已{licence.get_status_display()}，不能再变更状态")
    if LicenceStatus.WITHDRAWN in (licence.status, status):
        raise TransitionNotAllowed("许可证状态“登记已撤回”只随其台账记录（认证机构、检验检测机构、商标代理机构）的撤回和恢复变更，"
                                   "请在相应台账中恢复该记录")
    before = licence.status
    licence.status = status
    licence.save(update_fields=["status"])
    audit.record(actor=actor, action="registry.licence.status_changed", obj=licence, unit=licence.entity.unit,
                 changes={"status": [before, status], "reason": [None, reason]})
    return licence
