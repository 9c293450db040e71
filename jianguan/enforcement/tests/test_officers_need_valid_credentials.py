"""A filed case gets two or more officers, each with a valid enforcement credential."""

import pytest

from jianguan.core.errors import TransitionNotAllowed

from .factories import filed_case, officer


def test_one_officer_is_not_enough(district_officer):
    with pytest.raises(TransitionNotAllowed) as exc:
        filed_case(actor=district_officer, officers=[district_officer])
    assert exc.value.code == "officers_insufficient"


def test_the_same_officer_twice_is_one_officer(district_officer):
    with pytest.raises(TransitionNotAllowed):
        filed_case(actor=district_officer, officers=[district_officer, district_officer])


def test_an_expired_credential_is_refused(district_officer):
    import datetime as dt

    from .factories import lead

    expired = officer("expired_one", credential="expired")  # expired yesterday: valid on an earlier filing day
    today = dt.date.today()
    with pytest.raises(TransitionNotAllowed) as exc:
        filed_case(actor=district_officer, officers=[district_officer, expired], on=today,
                   the_lead=lead(actor=district_officer, discovered_on=today))
    assert exc.value.code == "credential_invalid"


def test_no_credential_is_refused(district_officer):
    clerk = officer("no_credential", credential=False)
    with pytest.raises(TransitionNotAllowed) as exc:
        filed_case(actor=district_officer, officers=[district_officer, clerk])
    assert exc.value.code == "credential_invalid"


def test_reassignment_follows_the_same_rule(district_officer, officers):
    from jianguan.enforcement import services

    case = filed_case(actor=district_officer, officers=officers)
    with pytest.raises(TransitionNotAllowed):
        services.case_assign_officers(actor=district_officer, case=case, officers=[officers[0]])
    third = officer("xh_officer3")
    services.case_assign_officers(actor=district_officer, case=case, officers=[officers[1], third])
    assert set(case.assignments.values_list("user__username", flat=True)) == {"xh_officer2", "xh_officer3"}
    assert case.assignments.get(is_lead=True).credential_no.startswith("豫TEST")
