"""The discretion guide (裁量基准): the suggested range per case type and circumstance, and the fine blocked above
the legal maximum or below the minimum (减轻 may go below the minimum, never above the maximum)."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import TransitionNotAllowed
from jianguan.enforcement import services
from jianguan.enforcement.rules import legal_range, suggested_range

from .factories import filed_case


def test_food_fixed_range_below_ten_thousand_and_multiples_above(db):
    assert legal_range("food", goods_value=Decimal("3000"))[:2] == (Decimal(50000), Decimal(100000))
    assert legal_range("food", goods_value=Decimal("20000"))[:2] == (Decimal(200000), Decimal(400000))


def test_circumstances_split_the_range(db):
    normal = suggested_range("special_equipment", "normal")
    heavier = suggested_range("special_equipment", "heavier")
    assert (normal["min"], normal["max"]) == (Decimal(111000), Decimal(219000))
    assert (heavier["min"], heavier["max"]) == (Decimal(219000), Decimal(300000))
    assert normal["law"].startswith("《特种设备安全法》")


def test_rule_override_changes_the_range(set_rule):
    from jianguan.enforcement.rules import DISCRETION

    custom = dict(DISCRETION)
    custom["metrology"] = {"min": 1000, "max": 30000, "law": "某省计量条例"}
    set_rule("enforcement.discretion", custom)
    assert legal_range("metrology")[:2] == (Decimal(1000), Decimal(30000))


def _investigate(case, actor, fine, circumstance="normal"):
    return services.investigation_conclude(actor=actor, case=case, report="调查终结", outcome="penalty",
                                           circumstance=circumstance, proposed_kinds=["fine"],
                                           proposed_fine=Decimal(fine), on=dt.date(2026, 3, 20))


def test_fine_above_the_legal_maximum_is_blocked(district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers, case_type="special_equipment")
    with pytest.raises(TransitionNotAllowed) as exc:
        _investigate(case, district_officer, "300001")
    assert exc.value.code == "fine_above_maximum"


def test_fine_below_the_minimum_is_blocked_unless_mitigated(district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers, case_type="special_equipment")
    with pytest.raises(TransitionNotAllowed) as exc:
        _investigate(case, district_officer, "29999")
    assert exc.value.code == "fine_below_minimum"
    _investigate(case, district_officer, "10000", circumstance="mitigated")
    case.refresh_from_db()
    assert case.status == "investigated" and case.proposed_fine == Decimal("10000")


def test_fine_kind_and_amount_go_together(district_officer, officers):
    from jianguan.core.errors import ValidationFailed

    case = filed_case(actor=district_officer, officers=officers)
    with pytest.raises(ValidationFailed):
        services.investigation_conclude(actor=district_officer, case=case, report="调查终结", outcome="penalty",
                                        proposed_kinds=["warning"], proposed_fine=Decimal("500"),
                                        on=dt.date(2026, 3, 20))
