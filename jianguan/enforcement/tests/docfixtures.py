"""Builders for the documents and publication tests: a case and its penalty written straight to the tables
(these tests are about documents and publication, not the case workflow that normally leads there)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jianguan.core.models import OrgUnit
from jianguan.enforcement.models import Case, CaseOfficer, Penalty
from jianguan.registry.models import EntityKind
from jianguan.registry.tests.factories import EntityFactory

_seq = iter(range(1, 1_000_000))


def make_case(*, unit: str = "410402", entity=None, officers=(), procedure: str = "ordinary",
              filed_on: dt.date = dt.date(2026, 3, 2), status: str = "filed", **fields) -> Case:
    unit_obj = OrgUnit.objects.get(code=unit)
    if entity is None and "party_name" not in fields:
        entity = EntityFactory(unit=OrgUnit.objects.get(code="41040201") if unit.startswith("410402") else unit_obj)
    n = next(_seq)
    defaults = {
        "number": f"测试案〔{filed_on.year}〕{n}号", "unit": unit_obj, "year": filed_on.year, "seq": n,
        "procedure": procedure, "entity": entity,
        "party_name": entity.name if entity else "", "party_kind":
            "individual" if entity is not None and entity.kind == EntityKind.INDIVIDUAL else "organisation",
        "party_address": entity.address if entity else "", "case_type": "product_quality",
        "title": "销售不合格产品", "facts": "2026年3月1日，执法人员在当事人经营场所检查发现不合格插座20个。\n当事人销售额共计3000元。",
        "status": status, "filed_on": filed_on, "proposed_kinds": ["fine"], "proposed_fine": Decimal("5000"),
    }
    defaults.update(fields)
    case = Case.objects.create(**defaults)
    for i, user in enumerate(officers):
        CaseOfficer.objects.create(case=case, user=user, is_lead=i == 0, credential_no=user.profile.credential_no,
                                   assigned_on=filed_on)
    return case


def make_penalty(case: Case, *, kinds=("fine",), fine: str = "5000", decided_on: dt.date = dt.date(2026, 4, 1),
                 decision_no: str | None = None, **fields) -> Penalty:
    n = next(_seq)
    return Penalty.objects.create(
        case=case, entity=case.entity, unit=case.unit, party_name=case.party_name, party_kind=case.party_kind,
        decision_no=decision_no or f"新市监罚〔{decided_on.year}〕{n}号", decided_on=decided_on, kinds=list(kinds),
        fine_amount=Decimal(fine), facts=fields.pop("facts", case.facts),
        legal_basis=fields.pop("legal_basis", "《中华人民共和国产品质量法》第五十条"), **fields)
