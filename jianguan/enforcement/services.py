"""Writes of enforcement. For now: handing over a lead (案源登记)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from jianguan.core import audit, workdays
from jianguan.core.errors import ValidationFailed
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule

from .models import Lead, LeadSource


def filing_deadline(discovered_on: dt.date) -> dt.date | None:
    """The last day to decide on filing: ``enforcement.lead_filing_days`` working days after discovery.

    None when the working-day calendar does not reach that far yet (never a Monday–Friday guess).
    """
    try:
        return workdays.add_workdays(discovered_on, int(rule("enforcement.lead_filing_days", on=discovered_on)))
    except workdays.CalendarUnknown:
        return None


@transaction.atomic
def lead_create(*, actor, source_kind: str, entity, unit: OrgUnit, description: str, discovered_on: dt.date,
                source_type: str = "", source_id: str = "", party_name: str = "", party_address: str = "") -> Lead:
    """Register a lead. Idempotent on (``source_type``, ``source_id``): handing the same record over twice returns
    the lead created the first time. ``entity`` may be None for an unregistered business (then ``party_name``)."""
    problems = []
    if source_kind not in LeadSource.values:
        problems.append({"field": "source_kind", "message": f"线索来源「{source_kind}」无效"})
    if not (description or "").strip():
        problems.append({"field": "description", "message": "线索内容不能为空"})
    if entity is None and not (party_name or "").strip():
        problems.append({"field": "party_name", "message": "未关联市场主体时须填写当事人名称"})
    if bool(source_type) != bool(source_id):
        problems.append({"field": "source_id", "message": "来源记录类型和编号须同时填写"})
    if problems:
        raise ValidationFailed("线索信息有误：" + "；".join(p["message"] for p in problems), details=problems)
    source_id = str(source_id)
    if source_id:
        existing = Lead.objects.filter(source_type=source_type, source_id=source_id).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():  # a concurrent hand-over of the same record loses the race harmlessly
            lead = Lead.objects.create(
                source_kind=source_kind, source_type=source_type, source_id=source_id, entity=entity,
                party_name=(party_name or "").strip(), party_address=(party_address or "").strip(), unit=unit,
                description=description.strip(), discovered_on=discovered_on,
                filing_deadline=filing_deadline(discovered_on),
                created_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError:
        if source_id:
            return Lead.objects.get(source_type=source_type, source_id=source_id)
        raise
    audit.record(actor=actor, action="enforcement.lead.created", obj=lead, unit=unit, changes={
        "source_kind": [None, source_kind], "source": [None, f"{source_type}:{source_id}" if source_id else ""],
        "entity": [None, entity.pk if entity else None], "party_name": [None, lead.party_name],
        "discovered_on": [None, discovered_on], "filing_deadline": [None, lead.filing_deadline]})
    return lead


@transaction.atomic
def fill_missing_deadlines() -> int:
    """Compute the filing deadlines that were unknown when the lead arrived (the calendar now reaches them)."""
    count = 0
    for lead in Lead.objects.select_for_update().filter(filing_deadline__isnull=True):
        deadline = filing_deadline(lead.discovered_on)
        if deadline is not None:
            lead.filing_deadline = deadline
            lead.save(update_fields=["filing_deadline"])
            count += 1
    return count
