"""A complaint is accepted, mediated, agreed with money recovered and closed with the consumer's satisfaction;
without agreement it is terminated by the sweep after 45 working days, both sides told."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.complaints import services
from jianguan.complaints.models import Mediation, Status
from jianguan.core import sweep
from jianguan.core.errors import TransitionNotAllowed

from .factories import business, complaint

pytestmark = pytest.mark.django_db


def test_accept_mediate_agree_close(org, xh_handler, sms, django_capture_on_commit_callbacks):
    shop = business(phone="13700000009")
    c, _ = complaint(entity=shop)
    with django_capture_on_commit_callbacks(execute=True):
        c = services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 3, 4))
        services.mediation_record(actor=xh_handler, complaint=c, on=dt.date(2026, 3, 6),
                                  method=Mediation.Method.PHONE, participants="双方", content="经营者同意退款")
        c = services.complaint_agree(actor=xh_handler, complaint=c, agreement="退款并赔偿 350 元",
                                     money_recovered=Decimal("385.50"), on=dt.date(2026, 3, 10))
    assert c.status == Status.AGREED and c.money_recovered == Decimal("385.50")
    assert c.parties_notified_on == dt.date(2026, 3, 10) <= c.notify_due
    told = {phone for phone, _ in sms}
    assert told == {"13800000001", "13700000009"}  # consumer and business
    c = services.complaint_close(actor=xh_handler, complaint=c, satisfaction="satisfied", on=dt.date(2026, 3, 12))
    assert c.status == Status.CLOSED and c.satisfaction == "satisfied"
    assert [e.action for e in c.events.order_by("id")] == ["received", "accepted", "mediation", "agreed", "closed"]


def test_a_second_click_is_harmless_and_a_wrong_transition_is_refused(org, xh_handler):
    c, _ = complaint(entity=business())
    services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 3, 4))
    again = services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 3, 5))
    assert again.decided_on == dt.date(2026, 3, 4)
    with pytest.raises(TransitionNotAllowed, match="当前状态为「已受理（调解中）」"):
        services.complaint_refuse(actor=xh_handler, complaint=c, reason="no_demand")


def test_the_sweep_terminates_mediation_after_45_working_days(org, xh_handler, sms,
                                                                django_capture_on_commit_callbacks):
    c, _ = complaint(entity=business())
    c = services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 3, 3))
    assert c.mediation_due == dt.date(2026, 5, 9)
    sweep.run(today=dt.date(2026, 5, 9), only="complaints-mediation-expiry")
    c.refresh_from_db()
    assert c.status == Status.ACCEPTED  # the 45th working day itself is still inside the period
    with django_capture_on_commit_callbacks(execute=True):
        outcome = sweep.run(today=dt.date(2026, 5, 11), only="complaints-mediation-expiry")
    assert outcome[0].counts == {"terminated": 1}
    c.refresh_from_db()
    assert c.status == Status.TERMINATED and c.ended_on == dt.date(2026, 5, 9)
    assert c.parties_notified_on == dt.date(2026, 5, 11) <= c.notify_due
    assert any("终止调解" in text for _, text in sms)
    assert sweep.run(today=dt.date(2026, 5, 14), only="complaints-mediation-expiry")[0].counts == {"terminated": 0}


def test_refusal_needs_one_of_the_grounds_of_the_rules(org, xh_handler, set_rule):
    c, _ = complaint(entity=business())
    with pytest.raises(services.ValidationFailed):
        services.complaint_refuse(actor=xh_handler, complaint=c, reason="i_dont_like_it")
    set_rule("complaints.refusal_reasons", [["local", "本地规定的其他情形"]])
    c = services.complaint_refuse(actor=xh_handler, complaint=c, reason="local")
    assert c.status == Status.REFUSED and c.refusal_reason_label() == "本地规定的其他情形"


def test_the_sweep_flags_overdue_clocks(org):
    c, _ = complaint(entity=business())
    assert c.accept_due == dt.date(2026, 3, 11)
    assert sweep.run(today=dt.date(2026, 3, 12), only="complaints-overdue")[0].counts == {"overdue": 1}
    c.refresh_from_db()
    assert c.overdue
    assert sweep.run(today=dt.date(2026, 3, 12), only="complaints-overdue")[0].counts == {"overdue": 0}
