"""Writes of metrology: register an instrument, record a verification (recomputes the next due date), change
status, create a campaign. Keyword-only, ``actor``, atomic, audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.core import audit
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.rules import rule
from jianguan.equipment.schedule import add_months
from jianguan.registry.models import Entity, EntityStatus

from .models import Campaign, Instrument, Verification
from .rules import KINDS


def _refuse(problems: list[dict], prefix: str) -> None:
    if problems:
        raise ValidationFailed(f"{prefix}：" + "；".join(p["message"] for p in problems), details=problems)


def interval_months(kind: str, on: dt.date) -> int:
    return int(rule("metrology.verification_months", on=on)[kind])


def _schedule(instrument: Instrument, on: dt.date) -> None:
    last = instrument.verifications.order_by("-verified_on", "-id").first()
    if instrument.status != Instrument.Status.IN_USE:
        instrument.next_due = None
    elif last is None:
        instrument.next_due = instrument.commissioned_on  # compulsory verification before first use
    elif last.conclusion == Verification.Conclusion.FAILED:
        instrument.next_due = last.verified_on  # may not be used until it passes
    else:
        instrument.next_due = add_months(last.verified_on, interval_months(instrument.kind, last.verified_on))
    instrument.last_verified_on = last.verified_on if last else None
    instrument.last_conclusion = last.conclusion if last else ""
    instrument.save(update_fields=["next_due", "last_verified_on", "last_conclusion", "status"])


@transaction.atomic
def instrument_register(*, actor, serial: str, kind: str, owner: Entity, location: str, commissioned_on: dt.date,
                        model: str = "", today: dt.date | None = None) -> Instrument:
    today = today or timezone.localdate()
    serial = (serial or "").strip().upper()
    problems = []
    if not serial:
        problems.append({"field": "serial", "message": "出厂编号不能为空"})
    elif Instrument.objects.filter(serial=serial).exists():
        problems.append({"field": "serial", "message": f"出厂编号 {serial} 已登记，不能重复登记"})
    if kind not in KINDS:
        problems.append({"field": "kind", "message": f"器具种类「{kind}」不在强制检定目录中（如：" +
                         "、".join(KINDS.values()) + "）"})
    if not isinstance(commissioned_on, dt.date) or commissioned_on > today:
        problems.append({"field": "commissioned_on", "message": "启用日期不能为空且不能晚于今天"})
    if not (location or "").strip():
        problems.append({"field": "location", "message": "请填写使用地点"})
    if owner.status != EntityStatus.ACTIVE:
        problems.append({"field": "owner", "message": f"使用单位「{owner.name}」不是存续状态"})
    _refuse(problems, "计量器具信息有误")
    instrument = Instrument.objects.create(serial=serial, kind=kind, model=(model or "").strip(), owner=owner,
                                           unit=owner.unit, location=location.strip(), commissioned_on=commissioned_on)
    _schedule(instrument, today)
    audit.record(actor=actor, action="metrology.instrument.registered", obj=instrument, unit=instrument.unit,
                 changes={"serial": [None, serial], "kind": [None, kind], "owner": [None, owner.uscc]})
    return instrument


@transaction.atomic
def verification_record(*, actor, instrument: Instrument, verified_on: dt.date, body: str, certificate_no: str,
                        conclusion: str, today: dt.date | None = None) -> Verification:
    """A verification certificate (检定证书) or failure notice (检定结果通知书). The same certificate twice
    returns the first record."""
    today = today or timezone.localdate()
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    certificate_no = (certificate_no or "").strip()
    existing = instrument.verifications.filter(certificate_no=certificate_no).first() if certificate_no else None
    if existing is not None:
        return existing
    if instrument.status == Instrument.Status.SCRAPPED:
        raise TransitionNotAllowed(f"器具 {instrument.serial} 已报废，不能再登记检定")
    problems = []
    if not isinstance(verified_on, dt.date) or verified_on > today:
        problems.append({"field": "verified_on", "message": "检定日期不能为空且不能晚于今天"})
    elif verified_on < instrument.commissioned_on - dt.timedelta(days=90):
        problems.append({"field": "verified_on", "message":
                         f"检定日期 {verified_on} 远早于启用日期 {instrument.commissioned_on}，不可能"})
    if conclusion not in Verification.Conclusion.values:
        problems.append({"field": "conclusion", "message": "结论应为合格或不合格"})
    if not (body or "").strip():
        problems.append({"field": "body", "message": "请填写检定机构"})
    if not certificate_no:
        problems.append({"field": "certificate_no", "message": "请填写检定证书或结果通知书编号"})
    _refuse(problems, "检定记录有误")
    record = Verification.objects.create(instrument=instrument, verified_on=verified_on, body=body.strip(),
                                         certificate_no=certificate_no, conclusion=conclusion, recorded_by=actor
                                         if getattr(actor, "is_authenticated", False) else None)
    _schedule(instrument, today)
    record.next_due = instrument.next_due
    record.save(update_fields=["next_due"])
    audit.record(actor=actor, action="metrology.verification.recorded", obj=record, unit=instrument.unit, changes={
        "instrument": [None, instrument.serial], "conclusion": [None, conclusion], "next_due": [None, record.next_due]})
    return record


@transaction.atomic
def campaign_create(*, actor, title: str, kinds: list[str], starts_on: dt.date, ends_on: dt.date, unit) -> Campaign:
    problems = []
    if not (title or "").strip():
        problems.append({"field": "title", "message": "请填写专项名称"})
    bad = [k for k in kinds if k not in KINDS]
    if not kinds or bad:
        problems.append({"field": "kinds", "message": "请选择器具种类" if not kinds else f"器具种类无效：{'、'.join(bad)}"})
    if ends_on < starts_on:
        problems.append({"field": "ends_on", "message": "结束日期不能早于开始日期"})
    _refuse(problems, "专项检查信息有误")
    campaign = Campaign.objects.create(title=title.strip(), kinds=kinds, starts_on=starts_on, ends_on=ends_on, unit=unit)
    audit.record(actor=actor, action="metrology.campaign.created", obj=campaign, unit=unit,
                 changes={"kinds": [None, kinds]})
    return campaign
