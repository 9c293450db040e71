"""A penalty reaches the credit record and the risk class; a heavy one in a listed field proposes serious listing."""

import datetime as dt
from decimal import Decimal

from jianguan.credit import risk
from jianguan.credit.models import EntityRisk, ListEntry
from jianguan.credit.timeline import events_for
from jianguan.enforcement import services

from .factories import filed_case, to_decided, to_reviewed


def test_timeline_and_risk(district_officer, officers, legal, django_capture_on_commit_callbacks):
    case = filed_case(actor=district_officer, officers=officers)
    with django_capture_on_commit_callbacks(execute=True):
        penalty = to_decided(case, actor=district_officer, legal=legal)
    events = [e for e in events_for(case.entity, district_officer) if e.category == "行政处罚"]
    assert any(penalty.decision_no in e.title for e in events)
    assert not [e for e in events_for(case.entity, None) if penalty.decision_no in e.title and "行政处罚：" in e.title]
    risk.recompute(entity_ids=[case.entity_id], on=penalty.decided_on)
    row = EntityRisk.objects.get(entity=case.entity)
    assert any(r["code"] == "penalties_3y" for r in row.reasons)


def test_heavy_food_penalty_proposes_serious_listing(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers, case_type="food", on=dt.date(2026, 3, 5))
    to_reviewed(case, actor=district_officer, legal=legal, fine="400000", circumstance="heavier",
                goods_value="20000")
    services.notice_issue(actor=district_officer, case=case, on=dt.date(2026, 4, 1), served_on=dt.date(2026, 4, 1),
                          method="direct", recipient="法定代表人", proof="送达回证")
    services.notice_reply(actor=district_officer, case=case, waived=True, on=dt.date(2026, 4, 1))
    penalty = services.case_decide(actor=district_officer, case=case, kinds=["fine"], fine_amount=Decimal("400000"),
                                   facts="经营超过保质期的食品原料", legal_basis="《食品安全法》第一百二十四条",
                                   on=dt.date(2026, 4, 10))
    entry = ListEntry.objects.get(entity=case.entity, list_kind="serious")
    assert entry.status == "proposed" and entry.penalty_ref == penalty.decision_no and entry.ground == "s_food_drug"


def test_ordinary_penalty_does_not_propose_listing(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers)
    to_decided(case, actor=district_officer, legal=legal)
    assert not ListEntry.objects.filter(entity=case.entity, list_kind="serious").exists()
