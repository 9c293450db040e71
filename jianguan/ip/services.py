"""Writes of the IP department: every one keyword-only, with an explicit ``actor``, atomic and audited.

The identification pause (权利人辨认) is not a clock of its own: ``identification_start``/``identification_end``
call the enforcement app's ``pause_start``/``pause_end`` with reason ``identification``, so the lead's filing clock
and the case's decision clock exclude it the way they exclude testing (Order 2 arts. 18, 64).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from jianguan.core import audit, registers
from jianguan.core.errors import ValidationFailed
from jianguan.core.rules import rule
from jianguan.enforcement import services as enforcement
from jianguan.enforcement.models import Case, ClockPause, Lead, PauseReason
from jianguan.registry import services as registry
from jianguan.registry.models import Entity, LicenceKind

from . import numbers
from .models import CaseFacts, GIProduct, GIUser, IPEnterprise, PatentPledge, RightKind, TrademarkAgency


def _unit_of(actor):
    profile = getattr(actor, "profile", None)
    if profile is None:
        raise ValidationFailed("当前用户未分配单位，不能登记台账")
    return profile.unit


def _in_scope(actor, entity: Entity, field: str = "entity") -> None:
    from jianguan.core.scope import scope_for

    if not scope_for(actor).allows_unit(entity.unit_id):
        raise ValidationFailed(f"{entity.name} 不在本单位监管范围内", field=field)


def registration_problem(right_kind: str, number: str) -> str | None:
    if right_kind == RightKind.TRADEMARK:
        return numbers.trademark_problem(number)
    if right_kind == RightKind.PATENT:
        return numbers.patent_problem(number)
    return None if number.strip() else "地理标志公告号/注册号不能为空"


def normalise_registration(right_kind: str, number: str) -> str:
    if right_kind == RightKind.TRADEMARK:
        return numbers.normalise_trademark(number)
    if right_kind == RightKind.PATENT:
        return numbers.normalise_patent(number)
    return number.strip()


# --- IP facts of a case --------------------------------------------------------------------------------------------


@transaction.atomic
def case_facts_save(*, actor, case: Case, right_kind: str, registration_no: str, right_holder: str,
                    goods: str = "", goods_seized_qty: int = 0, goods_seized_unit: str = "件") -> CaseFacts:
    """Record or correct the IP facts of ``case`` (only a case of an IP case type)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.case_type not in rule("ip.case_types", on=case.filed_on):
        raise ValidationFailed("该案件类型不是知识产权案件，不能登记知识产权要素", field="case")
    if right_kind not in RightKind.values:
        raise ValidationFailed("请选择被侵犯的权利", field="right_kind")
    problem = registration_problem(right_kind, registration_no or "")
    if problem:
        raise ValidationFailed(problem, field="registration_no")
    right_holder = (right_holder or "").strip()
    if not right_holder:
        raise ValidationFailed("请填写权利人", field="right_holder")
    if goods_seized_qty is None or int(goods_seized_qty) < 0:
        raise ValidationFailed("查扣数量不能为负数", field="goods_seized_qty")
    values = {"right_kind": right_kind, "registration_no": normalise_registration(right_kind, registration_no),
              "right_holder": right_holder, "goods": (goods or "").strip(), "goods_seized_qty": int(goods_seized_qty),
              "goods_seized_unit": (goods_seized_unit or "件").strip()[:10]}
    facts = CaseFacts.objects.filter(case=case).first()
    before = {k: getattr(facts, k) for k in values} if facts else {}
    if facts is None:
        facts = CaseFacts(case=case, recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    changes = {k: [before.get(k), v] for k, v in values.items() if before.get(k) != v}
    if not changes and facts.pk:
        return facts
    for k, v in values.items():
        setattr(facts, k, v)
    facts.save()
    audit.record(actor=actor, action="ip.case_facts.saved", obj=case, unit=case.unit_id, changes=changes)
    return facts


def identification_start(*, actor, starts_on: dt.date, case: Case | None = None, lead: Lead | None = None,
                         note: str = "") -> ClockPause:
    """The goods are sent to the right holder for identification: the case's decision clock (or, before filing,
    the lead's filing clock) stops from ``starts_on``."""
    return enforcement.pause_start(actor=actor, reason=PauseReason.IDENTIFICATION, starts_on=starts_on, case=case,
                                   lead=lead, note=note or "送权利人辨认")


def identification_end(*, actor, ends_on: dt.date, case: Case | None = None, lead: Lead | None = None) -> ClockPause:
    """The right holder's identification is back: the running identification pause of the case (or lead) ends."""
    owner = case if case is not None else lead
    pause = owner.pauses.filter(reason=PauseReason.IDENTIFICATION, ends_on__isnull=True).first()
    if pause is None:
        raise ValidationFailed(f"该{'案件' if case is not None else '线索'}没有进行中的权利人辨认", field="ends_on")
    return enforcement.pause_end(actor=actor, pause=pause, ends_on=ends_on)


# --- registers -----------------------------------------------------------------------------------------------------


def _division_codes(codes) -> list[str]:
    from jianguan.core.models import Division

    codes = [str(c).strip() for c in codes if str(c).strip()]
    if not codes:
        raise ValidationFailed("请填写产地范围（行政区划代码，如 410423）", field="area")
    known = set(Division.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationFailed("产地范围中的行政区划代码不存在：" + "、".join(unknown), field="area")
    return sorted(set(codes))


def in_area(division_code: str, area: list[str]) -> bool:
    """Whether a division (6 digits) lies inside an area of division codes: 410400 covers the whole city (4104),
    410000 the province (41), a county code only itself."""
    for code in area:
        prefix = code.rstrip("0") if code.endswith("00") else code
        if len(prefix) % 2:
            prefix += "0"
        if division_code.startswith(prefix):
            return True
    return False


@transaction.atomic
def gi_product_create(*, actor, name: str, kind: str, registration_no: str, holder: str, area, approved_on: dt.date,
                      area_note: str = "") -> GIProduct:
    if GIProduct.objects.filter(name=name).exists():
        raise ValidationFailed(f"地理标志“{name}”已登记", field="name")
    product = GIProduct.objects.create(name=name, kind=kind, registration_no=registration_no, holder=holder,
                                       area=_division_codes(area), area_note=area_note, approved_on=approved_on,
                                       unit=_unit_of(actor))
    audit.record(actor=actor, action="ip.gi_product.created", obj=product, unit=product.unit,
                 changes={"name": [None, name], "area": [None, product.area]})
    return product


@transaction.atomic
def gi_user_create(*, actor, product: GIProduct, entity: Entity, approved_on: dt.date,
                   announcement_no: str = "") -> GIUser:
    """Register an authorised user of a GI's special mark: refused outside the GI's area, or twice, or for a GI
    withdrawn from the register."""
    _in_scope(actor, entity)
    registers.refuse_reference_to_withdrawn(product, what=f"地理标志“{product.name}”", field="product")
    if rule("ip.gi_user_in_area", on=approved_on) and not in_area(entity.division_id, product.area):
        raise ValidationFailed(
            f"{entity.name}（{entity.division}）不在“{product.name}”的产地范围内"
            f"（{product.area_note or '、'.join(product.area)}），不能登记为专用标志使用人", field="entity")
    if GIUser.objects.filter(product=product, entity=entity).exists():
        raise ValidationFailed(f"{entity.name} 已是“{product.name}”的专用标志使用人", field="entity")
    user = GIUser.objects.create(product=product, entity=entity, approved_on=approved_on,
                                 announcement_no=announcement_no, unit=entity.unit)
    audit.record(actor=actor, action="ip.gi_user.created", obj=user, unit=entity.unit,
                 changes={"product": [None, product.name], "entity": [None, entity.uscc]})
    return user


@transaction.atomic
def ip_enterprise_create(*, actor, entity: Entity, level: str, year: int, document_no: str) -> IPEnterprise:
    """Record a recognition (优势/示范企业); the same recognition of the same enterprise in the same year is
    refused."""
    _in_scope(actor, entity)
    if year < 2000 or year > 2100:
        raise ValidationFailed("认定年度应为四位年份", field="year")
    if IPEnterprise.objects.filter(entity=entity, level=level, year=year).exists():
        raise ValidationFailed(f"{entity.name} {year} 年的该项认定已登记，不能重复登记", field="level")
    row = IPEnterprise.objects.create(entity=entity, level=level, year=year, document_no=document_no,
                                      unit=entity.unit)
    audit.record(actor=actor, action="ip.enterprise.recognised", obj=row, unit=entity.unit,
                 changes={"level": [None, level], "year": [None, year]})
    return row


@transaction.atomic
def patent_pledge_create(*, actor, pledge_no: str, entity: Entity, patents, pledgee: str, amount: Decimal,
                         registered_on: dt.date, ends_on: dt.date | None = None,
                         subsidised: bool = False) -> PatentPledge:
    _in_scope(actor, entity)
    if not patents:
        raise ValidationFailed("请填写出质专利号", field="patents")
    for number in patents:
        problem = numbers.patent_problem(number)
        if problem:
            raise ValidationFailed(f"{number}：{problem}", field="patents")
    if PatentPledge.objects.filter(pledge_no=pledge_no).exists():
        raise ValidationFailed(f"质押登记号 {pledge_no} 已登记", field="pledge_no")
    if amount is None or amount <= 0:
        raise ValidationFailed("融资金额应大于 0", field="amount")
    if ends_on and ends_on < registered_on:
        raise ValidationFailed("质押期限届满日不能早于登记日期", field="ends_on")
    row = PatentPledge.objects.create(pledge_no=pledge_no, entity=entity,
                                      patents=[numbers.normalise_patent(p) for p in patents], pledgee=pledgee,
                                      amount=amount, registered_on=registered_on, ends_on=ends_on,
                                      subsidised=subsidised, unit=entity.unit)
    audit.record(actor=actor, action="ip.patent_pledge.created", obj=row, unit=entity.unit,
                 changes={"amount": [None, amount], "patents": [None, row.patents]})
    return row


def agency_licence_kind() -> LicenceKind:
    code = rule("ip.trademark_agency_licence_kind")
    kind, _ = LicenceKind.objects.get_or_create(code=code, defaults={"name": "商标代理机构备案", "sector": "ip"})
    return kind


@transaction.atomic
def trademark_agency_create(*, actor, entity: Entity, filing_no: str, filed_on: dt.date) -> TrademarkAgency:
    """Register a trademark agency: its filing becomes a licence of kind ``trademark_agency`` of the entity, so
    double-random plans filtered on that kind draw from the agencies."""
    _in_scope(actor, entity)
    if TrademarkAgency.objects.filter(entity=entity).exists():
        raise ValidationFailed(f"{entity.name} 已登记为商标代理机构", field="entity")
    if TrademarkAgency.objects.filter(filing_no=filing_no).exists():
        raise ValidationFailed(f"备案号 {filing_no} 已登记", field="filing_no")
    try:
        licence = registry.licence_add(actor=actor, entity=entity, kind=agency_licence_kind(), number=filing_no,
                                       issuer="国家知识产权局", issued_on=filed_on, valid_until=None,
                                       scope="商标代理")
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="filing_no") from None
    row = TrademarkAgency.objects.create(entity=entity, filing_no=licence.number, filed_on=filed_on, licence=licence,
                                         unit=entity.unit)
    audit.record(actor=actor, action="ip.trademark_agency.created", obj=row, unit=entity.unit,
                 changes={"filing_no": [None, row.filing_no]})
    return row
