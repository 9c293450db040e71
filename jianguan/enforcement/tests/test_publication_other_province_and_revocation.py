"""Penalty publication clocks of SAMR Order 45: a party registered in another province is pushed to that province's
system within 10 working days of the decision (+10 with the head's approval, art. 10); a revoked or changed
decision is withdrawn within 3 working days (art. 11). Dates counted by hand on the 2026 holiday notice."""

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed
from jianguan.core.models import Division
from jianguan.enforcement import publication
from jianguan.enforcement.document_models import EndReason
from jianguan.registry.tests.factories import EntityFactory

from .docfixtures import make_case, make_penalty
from .factories import head

D = dt.date


def _outside_entity():
    province = Division.objects.get_or_create(code="110000", defaults={"name": "北京市", "level": 1})[0]
    district = Division.objects.get_or_create(code="110105", defaults={"name": "朝阳区", "level": 3,
                                                                       "parent": province})[0]
    return EntityFactory(division=district)


def test_a_party_of_another_province_is_pushed_within_10_working_days(district_officer):
    case = make_case(officers=[district_officer], entity=_outside_entity())
    penalty = make_penalty(case, decided_on=D(2026, 9, 29))
    pub = publication.publication_schedule(penalty=penalty, actor=district_officer, today=D(2026, 9, 29))
    # 9/30, 10/8, 10/9, 10/10（六上班）, 10/12–10/16, 10/19: the 10th working day.
    assert (pub.other_province, pub.push_due) == ("11", D(2026, 10, 19))
    with pytest.raises(TransitionNotAllowed, match="须经本单位负责人批准"):
        publication.publication_push_extend(publication=pub, actor=district_officer, reason="对方系统维护",
                                            today=D(2026, 10, 16))
    pub = publication.publication_push_extend(publication=pub, actor=head(), reason="对方系统维护",
                                              today=D(2026, 10, 16))
    # +10 working days: 10/20–10/23, 10/26–10/30, 11/2.
    assert pub.push_extended and pub.push_due == D(2026, 11, 2)
    pub = publication.publication_push(publication=pub, actor=district_officer, today=D(2026, 10, 28))
    assert pub.pushed_on == D(2026, 10, 28)
    from jianguan.core.rules import RULES

    assert "第十条" in RULES["enforcement.publication.other_province_workdays"].source
    assert "第十一条" in RULES["enforcement.publication.withdraw_workdays"].source


def test_a_party_of_this_province_is_not_pushed(district_officer):
    case = make_case(officers=[district_officer])
    pub = publication.publication_schedule(penalty=make_penalty(case, decided_on=D(2026, 9, 29)),
                                           actor=district_officer, today=D(2026, 9, 29))
    assert (pub.other_province, pub.push_due) == ("", None)
    with pytest.raises(TransitionNotAllowed, match="无需推送"):
        publication.publication_push(publication=pub, actor=district_officer, today=D(2026, 10, 8))


@pytest.mark.parametrize("revoked_on, withdrawn_on, due, late", [
    (D(2026, 4, 30), D(2026, 5, 8), D(2026, 5, 8), False),   # 5/6, 5/7, 5/8 (劳动节不计)
    (D(2026, 4, 30), D(2026, 5, 9), D(2026, 5, 8), True),
    (D(2026, 9, 30), D(2026, 10, 10), D(2026, 10, 10), False),  # 10/8, 10/9, 10/10（六上班）
])
def test_a_revoked_decision_is_withdrawn_within_3_working_days(district_officer, revoked_on, withdrawn_on, due, late):
    case = make_case(officers=[district_officer])
    pub = publication.publication_schedule(penalty=make_penalty(case, decided_on=D(2026, 4, 1)),
                                           actor=district_officer, today=D(2026, 4, 2))
    publication.publication_publish(publication=pub, actor=district_officer, today=D(2026, 4, 2))
    pub = publication.publication_end(publication=pub, actor=district_officer, reason=EndReason.REVOKED,
                                      note="复议决定撤销", revoked_on=revoked_on, today=withdrawn_on)
    assert (pub.revoked_on, pub.withdraw_due, pub.withdrawn_late) == (revoked_on, due, late)
    assert not publication.shown(withdrawn_on).filter(pk=pub.pk).exists()
