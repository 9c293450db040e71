"""Seizures (查封扣押): 30 days, +30 once with approval before expiry; the sweep flags the expired ones; a case
cannot close with a seizure still in force."""

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed
from jianguan.enforcement import services

from .factories import filed_case


def test_thirty_days_then_sixty(district_officer, officers, xh_head):
    case = filed_case(actor=district_officer, officers=officers)
    s = services.seizure_decide(actor=district_officer, case=case, measure="seize", items="不合格电线 200 卷",
                                decided_on=dt.date(2026, 3, 6))
    assert s.ends_on == dt.date(2026, 4, 7)  # Apr 5 is a Sunday, then Qingming's Apr 6 (Mon) holiday
    services.seizure_extend(actor=xh_head, seizure=s, on=dt.date(2026, 4, 1))
    s.refresh_from_db()
    assert s.extended and s.ends_on == dt.date(2026, 5, 6)  # May 5 is in the Labour Day holiday
    with pytest.raises(TransitionNotAllowed):
        services.seizure_extend(actor=xh_head, seizure=s, on=dt.date(2026, 4, 2))


def test_extension_after_expiry_is_refused_and_the_sweep_flags_it(district_officer, officers, xh_head):
    case = filed_case(actor=district_officer, officers=officers)
    s = services.seizure_decide(actor=district_officer, case=case, measure="seal", items="仓库一间",
                                decided_on=dt.date(2026, 3, 6))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.seizure_extend(actor=xh_head, seizure=s, on=dt.date(2026, 4, 8))
    assert exc.value.code == "clock_expired"
    assert services.sweep_clocks(today=dt.date(2026, 4, 8))["seizures_expired"] == 1
    assert services.sweep_clocks(today=dt.date(2026, 4, 8))["seizures_expired"] == 0
    s.refresh_from_db()
    assert s.expired
    services.seizure_release(actor=district_officer, seizure=s, on=dt.date(2026, 4, 8), note="解除查封")
    s.refresh_from_db()
    assert s.status == "released" and not s.expired
