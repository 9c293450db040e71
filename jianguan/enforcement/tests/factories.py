"""Builders for the case-workflow tests: every case is made through the real services, so each test exercises
the path an officer takes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jianguan.core.models import OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.enforcement import services
from jianguan.enforcement.models import LeadSource
from jianguan.registry.tests.factories import EntityFactory

DISCOVERED = dt.date(2026, 3, 2)  # a Monday with no holidays around it


def business(unit: str = "41040201", **kwargs):
    """A registered business supervised by ``unit`` (default 新华区西高皇所)."""
    return EntityFactory(unit=OrgUnit.objects.get(code=unit), **kwargs)


def officer(username: str, unit: str = "410402", *, credential=True, roles=("case_officer",)):
    return staff(username, unit, list(roles), credential=credential, name=f"{username}执法员")


def head(username: str = "xh_head", unit: str = "410402"):
    return staff(username, unit, ["department_head"], name="新华区局负责人")


def reviewer(username: str = "xh_legal", unit: str = "410402"):
    return staff(username, unit, ["legal_reviewer"], name="法制审核员")


def lead(*, actor, entity=None, unit: str = "410402", discovered_on: dt.date = DISCOVERED, **kwargs):
    entity = entity if entity is not None else business()
    return services.lead_create(actor=actor, source_kind=kwargs.pop("source_kind", LeadSource.INSPECTION),
                                entity=entity, unit=OrgUnit.objects.get(code=unit),
                                description=kwargs.pop("description", "双随机抽查发现销售不合格电线"),
                                discovered_on=discovered_on, **kwargs)


def filed_case(*, actor, officers, on: dt.date = DISCOVERED + dt.timedelta(days=3), case_type="product_quality",
               the_lead=None, **kwargs):
    """A case filed from a lead, ``actor`` recording it and a head of the unit approving (default the 新华区 head,
    or the actor when the actor is a head)."""
    the_lead = the_lead or lead(actor=actor)
    if "approver" not in kwargs and not services.is_unit_head(actor, the_lead.unit_id):
        code = the_lead.unit.code
        kwargs["approver"] = head() if code.startswith("410402") else head(f"head_{code}", code)
    return services.case_file(actor=actor, lead=the_lead, case_type=case_type, title="销售不合格产品",
                              officers=officers, party_kind=kwargs.pop("party_kind", "organisation"), on=on, **kwargs)


def to_reviewed(case, *, actor, legal, fine="20000", kinds=("fine",), circumstance="normal", on=None,
                goods_value="10000"):
    on = on or case.filed_on + dt.timedelta(days=20)
    services.investigation_conclude(actor=actor, case=case, report="调查终结：当事人销售不合格电线 200 卷",
                                    outcome="penalty", circumstance=circumstance, proposed_kinds=list(kinds),
                                    proposed_fine=Decimal(fine), goods_value=Decimal(goods_value), on=on)
    services.review_submit(actor=actor, case=case, on=on)
    services.review_decide(actor=legal, case=case, result="approved", opinion="事实清楚，证据确凿，同意", on=on)
    case.refresh_from_db()
    return case


def to_decided(case, *, actor, legal, fine="20000", kinds=("fine",), on=None, **kwargs):
    to_reviewed(case, actor=actor, legal=legal, fine=fine, kinds=kinds, on=on, **kwargs)
    notice_on = case.filed_on + dt.timedelta(days=21)
    services.notice_issue(actor=actor, case=case, on=notice_on, served_on=notice_on, method="direct",
                          recipient="法定代表人", proof="送达回证（告知书）")
    services.notice_reply(actor=actor, case=case, waived=True, on=notice_on)
    penalty = services.case_decide(actor=actor, case=case, kinds=list(kinds), fine_amount=Decimal(fine),
                                   facts="销售不合格电线 200 卷", legal_basis="《产品质量法》第四十九条",
                                   on=notice_on + dt.timedelta(days=8))
    case.refresh_from_db()
    return penalty
