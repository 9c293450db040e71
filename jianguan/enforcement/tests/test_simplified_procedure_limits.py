"""The on-the-spot procedure: a warning, or a fine ≤ ¥200 (citizen) / ≤ ¥3,000 (organisation); anything else is
refused and must go the ordinary way."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import TransitionNotAllowed
from jianguan.core.models import OrgUnit
from jianguan.enforcement import services
from jianguan.enforcement.models import CaseStatus, PaymentStatus, Procedure

from .factories import business


def _spot(actor, officers, *, party_kind, fine="0", kinds=("fine",), **kwargs):
    entity = kwargs.pop("entity", None)
    return services.case_simplified(
        actor=actor, unit=OrgUnit.objects.get(code="410402"), case_type="metrology", title="使用未经检定的电子秤",
        officers=officers, party_kind=party_kind, kinds=list(kinds), fine_amount=Decimal(fine),
        facts="现场检查发现使用未经检定的电子秤", legal_basis="《计量法实施细则》", recipient="张某",
        entity=entity, party_name=kwargs.pop("party_name", "张某（流动摊贩）"), on=dt.date(2026, 3, 9), **kwargs)


def test_citizen_fine_up_to_two_hundred(district_officer, officers):
    penalty = _spot(district_officer, officers, party_kind="individual", fine="200", paid_on_the_spot=True,
                    receipt_no="RC-1")
    case = penalty.case
    assert case.procedure == Procedure.SIMPLIFIED and case.status == CaseStatus.EXECUTED
    assert penalty.is_light and penalty.payment_status == PaymentStatus.PAID
    assert case.services.get().proof


def test_citizen_fine_above_two_hundred_is_refused(district_officer, officers):
    with pytest.raises(TransitionNotAllowed) as exc:
        _spot(district_officer, officers, party_kind="individual", fine="200.01")
    assert exc.value.code == "simplified_over_limit"


def test_organisation_up_to_three_thousand(district_officer, officers):
    penalty = _spot(district_officer, officers, party_kind="organisation", fine="3000", entity=business(),
                    party_name="")
    assert penalty.case.status == CaseStatus.SERVED
    assert penalty.payment_due == dt.date(2026, 3, 24)  # 15 days from the spot
    with pytest.raises(TransitionNotAllowed):
        _spot(district_officer, officers, party_kind="organisation", fine="3001", entity=business(), party_name="")


def test_only_warning_or_fine(district_officer, officers):
    with pytest.raises(TransitionNotAllowed):
        _spot(district_officer, officers, party_kind="individual", kinds=("confiscate_goods",))
    penalty = _spot(district_officer, officers, party_kind="individual", kinds=("warning",))
    assert penalty.case.status == CaseStatus.EXECUTED and penalty.payment_status == PaymentStatus.NONE


def test_simplified_still_needs_two_credentialed_officers(district_officer):
    with pytest.raises(TransitionNotAllowed):
        _spot(district_officer, [district_officer], party_kind="individual", kinds=("warning",))
