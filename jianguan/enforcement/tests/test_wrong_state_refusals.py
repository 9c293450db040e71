"""Every step refuses to run from the wrong state or against the procedure, with the reason."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import TransitionNotAllowed
from jianguan.core.tests.factories import staff
from jianguan.enforcement import services

from .factories import filed_case, lead, to_decided, to_reviewed


def test_decision_straight_from_filing_is_refused(district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_decide(actor=district_officer, case=case, kinds=["warning"], facts="x", legal_basis="y")
    assert exc.value.code == "wrong_state" and "已立案" in exc.value.message


def test_notice_before_legal_review_is_refused(district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers)
    with pytest.raises(TransitionNotAllowed):
        services.notice_issue(actor=district_officer, case=case)


def test_a_filed_lead_cannot_be_filed_again(district_officer, officers):
    the_lead = lead(actor=district_officer)
    filed_case(actor=district_officer, officers=officers, the_lead=the_lead)
    with pytest.raises(TransitionNotAllowed):
        filed_case(actor=district_officer, officers=officers, the_lead=the_lead)


def test_filing_after_the_lead_clock_ran_out_needs_the_extension(district_officer, officers):
    the_lead = lead(actor=district_officer, discovered_on=dt.date(2026, 3, 2))
    with pytest.raises(TransitionNotAllowed) as exc:
        filed_case(actor=district_officer, officers=officers, the_lead=the_lead, on=dt.date(2026, 3, 24))
    assert exc.value.code == "lead_clock_expired"


def test_own_officer_cannot_do_the_legal_review(district_officer, officers):
    case = filed_case(actor=district_officer, officers=officers)
    services.investigation_conclude(actor=district_officer, case=case, report="r", outcome="penalty",
                                    proposed_kinds=["fine"], proposed_fine=Decimal("20000"),
                                    goods_value=Decimal("10000"), on=dt.date(2026, 3, 20))
    services.review_submit(actor=district_officer, case=case, on=dt.date(2026, 3, 20))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.review_decide(actor=district_officer, case=case, result="approved", opinion="同意")
    assert exc.value.code == "reviewer_not_independent"


def test_returned_review_sends_the_case_back_to_investigation(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers)
    services.investigation_conclude(actor=district_officer, case=case, report="r", outcome="penalty",
                                    proposed_kinds=["fine"], proposed_fine=Decimal("20000"),
                                    goods_value=Decimal("10000"), on=dt.date(2026, 3, 20))
    review = services.review_submit(actor=district_officer, case=case, on=dt.date(2026, 3, 20))
    assert review.due_on == dt.date(2026, 4, 3)  # 10 working days
    services.review_decide(actor=legal, case=case, result="returned", opinion="证据不足，补充调查")
    case.refresh_from_db()
    assert case.status == "filed"


def test_decision_during_the_reply_period_is_refused(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers)
    to_reviewed(case, actor=district_officer, legal=legal)
    notice = services.notice_issue(actor=district_officer, case=case, on=dt.date(2026, 4, 1), served_on=dt.date(2026, 4, 1),
                          method="direct", recipient="法定代表人", proof="送达回证")
    assert notice.reply_deadline == dt.date(2026, 4, 9)  # 5 working days over Qingming (Apr 4–6)
    assert not notice.hearing_right
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_decide(actor=district_officer, case=case, kinds=["fine"], fine_amount=Decimal("20000"),
                             facts="f", legal_basis="b", on=dt.date(2026, 4, 9))
    assert exc.value.code == "reply_period_running"


def test_no_hearing_for_a_small_fine_and_none_too_late(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers)
    to_reviewed(case, actor=district_officer, legal=legal)
    services.notice_issue(actor=district_officer, case=case, on=dt.date(2026, 4, 1), served_on=dt.date(2026, 4, 1),
                          method="direct", recipient="法定代表人", proof="送达回证")
    with pytest.raises(TransitionNotAllowed) as exc:
        services.hearing_request(actor=district_officer, case=case, requested_on=dt.date(2026, 4, 2))
    assert exc.value.code == "no_hearing_right"


def test_heavy_fine_gives_hearing_rights_and_the_hearing_pauses_the_clock(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers, case_type="special_equipment", on=dt.date(2026, 3, 5))
    to_reviewed(case, actor=district_officer, legal=legal, fine="150000")
    notice = services.notice_issue(actor=district_officer, case=case, on=dt.date(2026, 4, 1), served_on=dt.date(2026, 4, 1),
                          method="direct", recipient="法定代表人", proof="送达回证")
    assert notice.hearing_right
    with pytest.raises(TransitionNotAllowed) as exc:
        services.hearing_request(actor=district_officer, case=case, requested_on=dt.date(2026, 4, 10))
    assert exc.value.code == "hearing_late"
    services.hearing_request(actor=district_officer, case=case, requested_on=dt.date(2026, 4, 8))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_decide(actor=district_officer, case=case, kinds=["fine"], fine_amount=Decimal("150000"),
                             facts="f", legal_basis="b", on=dt.date(2026, 4, 20))
    assert exc.value.code == "hearing_pending"
    with pytest.raises(TransitionNotAllowed) as exc:
        services.hearing_hold(actor=district_officer, case=case, host=legal, held_on=dt.date(2026, 4, 28),
                              minutes="m", report="r")
    assert exc.value.code == "hearing_not_notified"
    services.hearing_schedule(actor=district_officer, case=case, scheduled_on=dt.date(2026, 4, 28),
                              notice_served_on=dt.date(2026, 4, 9), method="direct", recipient="法定代表人",
                              proof="送达回证（听证通知书）")
    with pytest.raises(TransitionNotAllowed) as exc:
        services.hearing_hold(actor=district_officer, case=case, host=officers[1], held_on=dt.date(2026, 4, 28),
                              minutes="m", report="r")
    assert exc.value.code == "host_not_independent"
    services.hearing_hold(actor=district_officer, case=case, host=legal, held_on=dt.date(2026, 4, 28),
                          minutes="当事人称已整改", report="维持原处罚意见")
    case.refresh_from_db()
    assert case.paused_days == 20 and case.decision_deadline == dt.date(2026, 6, 23)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_decide(actor=district_officer, case=case, kinds=["fine"], fine_amount=Decimal("200000"),
                             facts="f", legal_basis="b", on=dt.date(2026, 4, 30))
    assert exc.value.code == "heavier_than_notice"
    penalty = services.case_decide(actor=district_officer, case=case, kinds=["fine"], fine_amount=Decimal("150000"),
                                   facts="f", legal_basis="b", on=dt.date(2026, 4, 30))
    assert penalty.is_heavy and not penalty.is_light


def test_enforcement_only_after_the_payment_period(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers)
    to_decided(case, actor=district_officer, legal=legal)
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=dt.date(2026, 4, 10), recipient="法定代表人", proof="送达回证",
                            is_decision=True)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.enforcement_apply(actor=district_officer, case=case, on=dt.date(2026, 4, 27))
    assert exc.value.code == "payment_period_running"
    services.sweep_clocks(today=dt.date(2026, 4, 28))
    case.penalty.refresh_from_db()
    assert case.penalty.payment_status == "overdue"
    assert services.enforcement_apply(actor=district_officer, case=case, on=dt.date(2026, 4, 28)).payment_status \
        == "enforcement"


def test_service_needs_proof(district_officer, officers):
    from jianguan.core.errors import ValidationFailed

    case = filed_case(actor=district_officer, officers=officers)
    with pytest.raises(ValidationFailed):
        services.service_record(actor=district_officer, case=case, document_title="询问通知书", method="mail",
                                served_on=dt.date(2026, 3, 9), recipient="当事人", proof=" ")


def test_closing_with_an_active_seizure_is_refused(district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers)
    services.seizure_decide(actor=district_officer, case=case, measure="seize", items="电线",
                            decided_on=dt.date(2026, 3, 6))
    to_decided(case, actor=district_officer, legal=legal)
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=dt.date(2026, 4, 10), recipient="法定代表人", proof="送达回证",
                            is_decision=True)
    services.payment_record(actor=district_officer, case=case, paid_on=dt.date(2026, 4, 15),
                            amount=Decimal("20000"), receipt_no="PJ001")
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_close(actor=district_officer, case=case, note="执行完毕")
    assert exc.value.code == "seizure_active"


def test_unknown_user_without_profile_cannot_be_an_officer(district_officer, org):
    nobody = staff("no_profile_user", "410402", [], credential=False)
    with pytest.raises(TransitionNotAllowed):
        filed_case(actor=district_officer, officers=[district_officer, nobody])
