"""Penalty information cannot be repaired early where the penalty revoked a licence, ordered a stop of production or
business, barred a person, restricted business or lowered a qualification (《市场监督管理行政处罚信息公示规定》第十四条
第三款, the exception to the 6-month / 1-year waits of 《市场监督管理信用修复管理办法》第六条)."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError
from jianguan.credit import services
from jianguan.credit.models import RepairApplication, RepairKind
from jianguan.enforcement.tests.docfixtures import make_case, make_penalty

D = dt.date


@pytest.mark.parametrize("kinds, named", [
    (["fine", "licence_revocation"], "吊销许可证件"),
    (["suspension"], "责令停产停业"),
    (["fine", "restrict_employment"], "限制从业"),
    (["restrict_business"], "限制开展生产经营活动"),
    (["fine", "downgrade"], "降低资质等级"),
])
def test_penalty_that_revoked_stopped_or_barred_cannot_be_repaired(district_officer, kinds, named):
    case = make_case(officers=[district_officer])
    penalty = make_penalty(case, kinds=kinds, decided_on=D(2025, 1, 10))
    with pytest.raises(DomainError, match=f"包含{named}") as refused:
        services.repair_apply(actor="t", entity=case.entity, kind=RepairKind.PENALTY_PUBLICATION,
                              penalty_ref=penalty.decision_no, penalty_sector="other",
                              penalty_published_on=D(2025, 1, 15), statement="已履行", today=D(2026, 6, 1))
    assert refused.value.code == "not_repairable"
    assert not RepairApplication.objects.exists()


def test_a_fine_alone_is_repairable_after_six_full_months(district_officer):
    case = make_case(officers=[district_officer])
    penalty = make_penalty(case, kinds=["fine"], decided_on=D(2025, 1, 10))
    app = services.repair_apply(actor="t", entity=case.entity, kind=RepairKind.PENALTY_PUBLICATION,
                                penalty_ref=penalty.decision_no, penalty_sector="other",
                                penalty_published_on=D(2025, 1, 15), statement="已履行", today=D(2025, 7, 16))
    assert app.status == "pending"
