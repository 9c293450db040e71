"""Statutory clocks in working days (start day not counted), docs/domain §2 and §6."""

import datetime as dt

import pytest

from jianguan.complaints import services
from jianguan.complaints.models import Status

from .factories import business, complaint, report

pytestmark = pytest.mark.django_db


def test_a_complaint_received_on_24_september_2026_must_be_decided_by_12_october(org):
    c, _ = complaint(entity=business(), received_on=dt.date(2026, 9, 24))
    assert c.accept_due == dt.date(2026, 10, 12)
    assert c.next_deadline() == ("受理决定期限", dt.date(2026, 10, 12), False)


def test_acceptance_starts_the_45_working_day_mediation_clock(org, xh_handler):
    c, _ = complaint(entity=business())
    c = services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 3, 3))
    assert c.status == Status.ACCEPTED
    # 45 working days after Tue 3 March 2026: Qingming (4–6 April) and Labour Day (1–5 May) are holidays;
    # Saturday 9 May is an adjusted working day, and the 45th.
    assert c.mediation_due == dt.date(2026, 5, 9)


def test_a_report_is_checked_within_15_working_days_extendable_once_by_15(org, xh_handler, xh_head):
    r, _ = report(entity=business())
    assert r.check_due == dt.date(2026, 3, 23)
    r = services.report_extend_check(actor=xh_handler, complaint=r, reason="案情复杂", approver=xh_head,
                                     on=dt.date(2026, 3, 20))
    assert r.check_due == dt.date(2026, 4, 14)
    assert r.check_extension_approved_by == xh_head and r.check_extension_approved_on == dt.date(2026, 3, 20)
    with pytest.raises(services.DomainError, match="只能延长一次"):
        services.report_extend_check(actor=xh_handler, complaint=r, reason="再次延期", approver=xh_head)


def test_only_the_unit_head_may_approve_the_extension_of_a_report_check(org, xh_handler):
    r, _ = report(entity=business())
    with pytest.raises(services.DomainError, match="须经本单位负责人批准") as refused:
        services.report_extend_check(actor=xh_handler, complaint=r, reason="案情复杂，经科长张某批准",
                                     on=dt.date(2026, 3, 20))
    assert refused.value.code == "not_head"
    r.refresh_from_db()
    assert not r.check_extended and r.check_due == dt.date(2026, 3, 23)


def test_a_deadline_beyond_the_known_calendar_is_provisional_and_recomputed_later(org, xh_handler):
    from jianguan.core import calendar
    from jianguan.core.models import CalendarYear

    c, _ = complaint(entity=business(), received_on=dt.date(2026, 12, 1))
    c = services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 12, 2))
    # 45 working days from 2026-12-02: 21 in December 2026, then Jan 1 2027 (a Friday, counted: no holiday is
    # assumed in 2027 while its calendar is unknown) … Feb 3 is the 45th.
    assert c.mediation_due == dt.date(2027, 2, 3) and c.calendar_pending
    assert c.next_deadline() == ("调解期限", dt.date(2027, 2, 3), True)
    assert services.fill_pending_deadlines() == 0
    CalendarYear.objects.create(year=2027, note="测试：按周一至周五")
    calendar.invalidate()
    assert services.fill_pending_deadlines() == 1
    c.refresh_from_db()
    assert c.mediation_due is not None and not c.calendar_pending
