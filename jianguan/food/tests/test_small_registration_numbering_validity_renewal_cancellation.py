"""三小 registrations: the county bureau's own numbering, validity by kind, renewal within its window (idempotent),
cancellation (idempotent) and the daily expiry job. Dates are computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.sweep import run
from jianguan.food import services
from jianguan.food.models import SmallRegistration, SmallStatus

from .factories import county_clerk, small, supervisor

pytestmark = pytest.mark.django_db


def test_numbers_run_per_county_kind_and_year_and_validity_follows_the_kind(org):
    user = supervisor()
    a = small(actor=user, kind="shop", county="410402", issued_on=dt.date(2026, 3, 2))
    b = small(actor=user, kind="shop", county="410402", issued_on=dt.date(2026, 5, 6))
    c = small(actor=user, kind="stall", county="410402", issued_on=dt.date(2026, 5, 6))
    d = small(actor=user, kind="shop", county="410403", issued_on=dt.date(2026, 5, 6))
    e = small(actor=user, kind="workshop", county="410402", issued_on=dt.date(2028, 2, 29))
    assert [a.number, b.number, c.number, d.number] == [
        "豫食店410402202600001", "豫食店410402202600002", "豫食摊410402202600001", "豫食店410403202600001"]
    assert a.valid_until == dt.date(2029, 3, 1)  # 3 years, the day before the anniversary
    assert c.valid_until == dt.date(2027, 5, 5)  # a stall's card: 1 year
    assert e.valid_until == dt.date(2031, 2, 27)  # 29 Feb 2028 + 3 years → 28 Feb 2031, minus a day
    assert AuditEntry.objects.filter(action="food.small.registered").count() == 5


def test_refusals_name_the_field(org):
    user = supervisor()
    with pytest.raises(ValidationFailed) as exc:
        small(actor=user, name="  ")
    assert exc.value.field == "name" and "名称" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        small(actor=user, county="41040201")  # a station does not issue registrations
    assert exc.value.field == "county"
    first = small(actor=user)
    with pytest.raises(ValidationFailed) as exc:
        small(actor=user, name=first.name, address=first.address)
    assert exc.value.field == "name" and first.number in exc.value.message
    clerk = county_clerk("sp_weidong", "410403")
    with pytest.raises(ValidationFailed) as exc:
        small(actor=clerk, county="410402")  # another county's bureau
    assert exc.value.field == "county" and "范围" in exc.value.message
    assert SmallRegistration.objects.count() == 1


def test_renewal_window_same_number_and_a_second_click_does_not_renew_twice(org):
    user = supervisor()
    reg = small(actor=user, kind="shop", issued_on=dt.date(2026, 3, 2))  # valid until 2029-03-01
    with pytest.raises(TransitionNotAllowed) as exc:
        services.small_renew(actor=user, registration=reg, expected_until=dt.date(2029, 3, 1),
                             today=dt.date(2029, 1, 29))
    assert "2029年01月30日" in exc.value.message  # 30 days before 1 March 2029
    renewed = services.small_renew(actor=user, registration=reg, expected_until=dt.date(2029, 3, 1),
                                   today=dt.date(2029, 1, 30))
    assert renewed.number == reg.number and renewed.valid_until == dt.date(2032, 3, 1) and renewed.renewals == 1
    with pytest.raises(TransitionNotAllowed) as exc:
        services.small_renew(actor=user, registration=reg, expected_until=dt.date(2029, 3, 1),
                             today=dt.date(2029, 1, 31))
    assert "未重复办理" in exc.value.message
    reg.refresh_from_db()
    assert reg.valid_until == dt.date(2032, 3, 1) and reg.renewals == 1
    assert AuditEntry.objects.filter(action="food.small.renewed").count() == 1


def test_expired_registration_cannot_be_renewed_and_the_sweep_marks_it_once(org):
    user = supervisor()
    stall = small(actor=user, kind="stall", issued_on=dt.date(2026, 1, 5))  # valid until 2027-01-04
    run(today=dt.date(2027, 1, 4), only="food-expiries")
    stall.refresh_from_db()
    assert stall.status == SmallStatus.VALID
    run(today=dt.date(2027, 1, 5), only="food-expiries")
    run(today=dt.date(2027, 1, 6), only="food-expiries")
    stall.refresh_from_db()
    assert stall.status == SmallStatus.EXPIRED
    assert AuditEntry.objects.filter(action="food.small.expired", object_id=str(stall.pk)).count() == 1
    with pytest.raises(TransitionNotAllowed) as exc:
        services.small_renew(actor=user, registration=stall, expected_until=dt.date(2027, 1, 4),
                             today=dt.date(2027, 1, 6))
    assert "重新申请登记" in exc.value.message


def test_cancellation_needs_a_reason_and_a_repeat_changes_nothing(org):
    user = supervisor()
    reg = small(actor=user)
    with pytest.raises(ValidationFailed):
        services.small_cancel(actor=user, registration=reg, reason=" ", on=dt.date(2026, 6, 1))
    services.small_cancel(actor=user, registration=reg, reason="经营者申请注销", on=dt.date(2026, 6, 1))
    services.small_cancel(actor=user, registration=reg, reason="再次点击", on=dt.date(2026, 6, 2))
    reg.refresh_from_db()
    assert (reg.status, reg.cancelled_on, reg.cancel_reason) == ("cancelled", dt.date(2026, 6, 1), "经营者申请注销")
    assert AuditEntry.objects.filter(action="food.small.cancelled").count() == 1
    assert OrgUnit.objects.get(code="410402").pk == reg.unit_id
