"""A decision after the clock ran out needs the recorded extension (or the collective decision)."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import TransitionNotAllowed
from jianguan.enforcement import services

from .factories import filed_case, to_reviewed


def _notified(case, actor, legal):
    to_reviewed(case, actor=actor, legal=legal)
    services.notice_issue(actor=actor, case=case, on=dt.date(2026, 4, 1), served_on=dt.date(2026, 4, 1),
                          method="direct", recipient="法定代表人", proof="送达回证")
    services.notice_reply(actor=actor, case=case, waived=True, on=dt.date(2026, 4, 1))


def _decide(case, actor, on):
    return services.case_decide(actor=actor, case=case, kinds=["fine"], fine_amount=Decimal("20000"),
                                facts="销售不合格电线", legal_basis="《产品质量法》第四十九条", on=on)


def test_decision_after_the_ninety_days_is_refused(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    _notified(case, district_officer, legal)
    with pytest.raises(TransitionNotAllowed) as exc:
        _decide(case, district_officer, dt.date(2026, 6, 4))
    assert exc.value.code == "clock_expired"
    assert "负责人批准延长" in exc.value.message


def test_decision_on_the_last_day_is_allowed(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    _notified(case, district_officer, legal)
    penalty = _decide(case, district_officer, dt.date(2026, 6, 3))
    assert penalty.decided_on == dt.date(2026, 6, 3)


def test_with_the_recorded_extension_the_decision_goes_through(district_officer, officers, legal, xh_head):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    _notified(case, district_officer, legal)
    services.case_extend(actor=xh_head, case=case, reason="需补充鉴定", on=dt.date(2026, 6, 1))
    assert _decide(case, district_officer, dt.date(2026, 6, 20)).decision_no


def test_after_the_extension_ran_out_only_the_collective_decision_helps(district_officer, officers, legal, xh_head):
    case = filed_case(actor=district_officer, officers=officers, on=dt.date(2026, 3, 5))
    _notified(case, district_officer, legal)
    services.case_extend(actor=xh_head, case=case, reason="需补充鉴定", on=dt.date(2026, 6, 1))
    with pytest.raises(TransitionNotAllowed, match="集体讨论"):
        _decide(case, district_officer, dt.date(2026, 7, 6))
    services.case_collective_extend(actor=xh_head, case=case, days=30, decision_no="集〔2026〕7号",
                                    on=dt.date(2026, 7, 6))
    assert _decide(case, district_officer, dt.date(2026, 7, 6)).decision_no
