"""Service starts the party's clocks: the reply period runs from the notice's service, a hearing needs its notice
7 working days before, the decision is served within 7 working days, and testing time does not count towards a
seizure. Dates counted by hand on the 2026 holiday notice (see test_statutory_periods)."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.enforcement import clocks, services
from jianguan.enforcement.models import Penalty, Service

from .factories import filed_case, lead, to_decided, to_reviewed

D = dt.date
SERVED = dict(method="direct", recipient="法定代表人", proof="送达回证 001")


def _filed(officer, officers, on, case_type="special_equipment"):
    """A case filed on ``on`` from a lead found two days before (heavy fines: special equipment, ¥30,000–300,000)."""
    return filed_case(actor=officer, officers=officers, on=on, case_type=case_type,
                      the_lead=lead(actor=officer, discovered_on=on - dt.timedelta(days=2)))


def test_the_reply_period_runs_from_the_service_of_the_notice(district_officer, officers, legal):
    case = _filed(district_officer, officers, D(2026, 8, 20))
    to_reviewed(case, actor=district_officer, legal=legal, fine="150000", on=D(2026, 9, 10))
    notice = services.notice_issue(actor=district_officer, case=case, on=D(2026, 9, 21))
    assert notice.reply_deadline is None and notice.served_on is None
    with pytest.raises(TransitionNotAllowed) as refused:
        services.hearing_request(actor=district_officer, case=case, requested_on=D(2026, 9, 22))
    assert refused.value.code == "notice_not_served"
    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_decide(actor=district_officer, case=case, kinds=["fine"], fine_amount=Decimal("150000"),
                             facts="f", legal_basis="b", on=D(2026, 10, 20))
    assert refused.value.code == "notice_not_served"
    notice = services.notice_serve(actor=district_officer, case=case, served_on=D(2026, 9, 23), **SERVED)
    # 9/24, 9/28, 9/29, 9/30, 10/8 — the five working days after service, over 中秋 and 国庆.
    assert (notice.served_on, notice.reply_deadline) == (D(2026, 9, 23), D(2026, 10, 8))
    assert Service.objects.filter(case=case, document_title="行政处罚事先告知书", served_on=D(2026, 9, 23)).exists()
    with pytest.raises(TransitionNotAllowed, match="已于 2026-09-23 送达"):
        services.notice_serve(actor=district_officer, case=case, served_on=D(2026, 9, 24), **SERVED)
    # A hearing asked for on the last day is in time; the day after is not.
    with pytest.raises(TransitionNotAllowed) as refused:
        services.hearing_request(actor=district_officer, case=case, requested_on=D(2026, 10, 9))
    assert refused.value.code == "hearing_late"
    services.hearing_request(actor=district_officer, case=case, requested_on=D(2026, 10, 8))
    case.refresh_from_db()
    explained = {e.what: e for e in clocks.case_clocks_explained(case, today=D(2026, 10, 8))}
    reply = explained["陈述、申辩和要求听证的期限"]
    assert (reply.start_on, reply.days, reply.due_on) == (D(2026, 9, 23), 5, D(2026, 10, 8))
    assert "第六十四条" in reply.article and "第八十五条" in reply.article


def test_a_hearing_closer_than_7_working_days_after_its_notice_is_refused_with_the_first_possible_date(
        district_officer, officers, legal):
    case = _filed(district_officer, officers, D(2026, 3, 20))
    to_reviewed(case, actor=district_officer, legal=legal, fine="150000", on=D(2026, 4, 10))
    services.notice_issue(actor=district_officer, case=case, on=D(2026, 4, 20), served_on=D(2026, 4, 20), **SERVED)
    services.hearing_request(actor=district_officer, case=case, requested_on=D(2026, 4, 22))
    with pytest.raises(TransitionNotAllowed, match="最早可于 2026-05-11 举行") as refused:
        services.hearing_schedule(actor=district_officer, case=case, scheduled_on=D(2026, 5, 8),
                                  notice_served_on=D(2026, 4, 28), **SERVED)
    assert refused.value.code == "hearing_too_soon"
    hearing = services.hearing_schedule(actor=district_officer, case=case, scheduled_on=D(2026, 5, 11),
                                        notice_served_on=D(2026, 4, 28), place="局听证室", **SERVED)
    assert (hearing.notice_served_on, hearing.earliest_on) == (D(2026, 4, 28), D(2026, 5, 11))
    assert Service.objects.filter(case=case, document_title="听证通知书").count() == 1
    with pytest.raises(TransitionNotAllowed, match="最早可于 2026-05-11"):
        services.hearing_hold(actor=district_officer, case=case, host=legal, held_on=D(2026, 5, 9), minutes="m",
                              report="r")
    services.hearing_hold(actor=district_officer, case=case, host=legal, held_on=D(2026, 5, 11), minutes="m",
                          report="r")


def test_an_absent_party_is_served_the_decision_within_7_working_days_and_late_service_is_flagged(
        district_officer, officers, legal):
    case = _filed(district_officer, officers, D(2026, 8, 20))
    penalty = to_decided(case, actor=district_officer, legal=legal, fine="50000", on=D(2026, 9, 1))
    # to_decided serves the notice on 9/10 and decides 8 days later, Fri 9/18; 7 working days by hand: 9/20 (日上班),
    # 9/21–9/24, 9/28, 9/29 (中秋 9/25–27 不计).
    assert (penalty.decided_on, penalty.service_due) == (D(2026, 9, 18), D(2026, 9, 29))
    overdue_day = penalty.service_due + dt.timedelta(days=1)
    services.sweep_clocks(today=overdue_day)
    assert Penalty.objects.get(pk=penalty.pk).service_overdue
    explained = clocks.case_deadline_explained(case, today=overdue_day)
    assert explained.what.startswith("处罚决定书送达期限") and "第六十一条" in explained.article
    # Posted on the last day: in time, although it arrives later (time in the post does not count).
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="mail",
                            sent_on=penalty.service_due, served_on=penalty.service_due + dt.timedelta(days=4),
                            recipient="法定代表人", proof="EMS 1234", is_decision=True)
    penalty.refresh_from_db()
    assert not penalty.served_late and not penalty.service_overdue


def test_decision_served_by_announcement_is_served_when_the_30_days_have_passed(district_officer, officers, legal):
    case = _filed(district_officer, officers, D(2026, 7, 20))
    penalty = to_decided(case, actor=district_officer, legal=legal, fine="50000", on=D(2026, 8, 1))
    assert (penalty.decided_on, penalty.service_due) == (D(2026, 8, 18), D(2026, 8, 27))
    svc = services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书",
                                  method="announcement", sent_on=D(2026, 9, 3), served_on=None, recipient="当事人",
                                  proof="平顶山日报公告", is_decision=True)
    assert svc.served_on == D(2026, 10, 8)  # 9/3 + 30 日 = 10/3 国庆 → 10/8
    penalty.refresh_from_db()
    assert penalty.served_late  # announced after the 7 working days
    with pytest.raises(ValidationFailed, match="公告送达须填写发出公告的日期"):
        services.service_record(actor=district_officer, case=case, document_title="其他文书", method="announcement",
                                served_on=None, recipient="当事人", proof="公告")


def test_testing_time_does_not_count_towards_a_seizure(district_officer, officers):
    case = _filed(district_officer, officers, D(2026, 1, 12), case_type="product_quality")
    seizure = services.seizure_decide(actor=district_officer, case=case, measure="seize", items="插座 200 个",
                                      decided_on=D(2026, 1, 16))
    assert seizure.ends_on == D(2026, 2, 24)  # 1/16 + 30 日 = 2/15 春节 → 2/24
    with pytest.raises(ValidationFailed, match="书面告知当事人"):
        services.pause_start(actor=district_officer, seizure=seizure, reason="testing", starts_on=D(2026, 1, 20))
    with pytest.raises(ValidationFailed, match="检测、检验、检疫或者技术鉴定"):
        services.pause_start(actor=district_officer, seizure=seizure, reason="hearing", starts_on=D(2026, 1, 20),
                             evidence_ref="期间告知书 1 号")
    pause = services.pause_start(actor=district_officer, seizure=seizure, reason="testing", starts_on=D(2026, 1, 20),
                                 evidence_ref="检测期间告知书 平市监检告〔2026〕1号")
    services.sweep_clocks(today=D(2026, 1, 25))  # running: the end moves day by day
    seizure.refresh_from_db()
    assert seizure.ends_on == D(2026, 2, 24)  # 1/16 + 35 = 2/20 春节 → 2/24
    services.pause_end(actor=district_officer, pause=pause, ends_on=D(2026, 1, 30))
    seizure.refresh_from_db()
    assert seizure.ends_on == D(2026, 2, 25)  # 10 days not counted: 1/16 + 40 = 2/25
    explained = clocks.seizure_explained(seizure, today=D(2026, 2, 1))
    assert explained.exclusions[0].days == 10 and "第二十五条" in explained.article
    assert "平市监检告" in explained.exclusions[0].evidence


def test_the_workbench_records_the_notice_with_its_service_and_shows_how_the_period_is_counted(
        client, district_officer, officers, legal):
    case = _filed(district_officer, officers, D(2026, 8, 20))
    to_reviewed(case, actor=district_officer, legal=legal, fine="150000", on=D(2026, 9, 10))
    client.force_login(district_officer)
    url = f"/workbench/enforcement/cases/{case.pk}/act/notice/"
    missing = client.post(url, {"notice-on": "2026-09-21", "notice-method": "direct", "notice-recipient": "法定代表人",
                                "notice-proof": "送达回证 7"})
    assert missing.status_code == 422 and "请填写送达日期" in missing.content.decode()
    r = client.post(url, {"notice-on": "2026-09-21", "notice-method": "direct", "notice-served_on": "2026-09-23",
                          "notice-recipient": "法定代表人", "notice-proof": "送达回证 7"})
    assert r.status_code == 302
    page = client.get(f"/workbench/enforcement/cases/{case.pk}/").content.decode()
    assert "2026-09-23 送达，陈述申辩期限至 2026-10-08" in page
    assert "行政处罚事先告知书送达" in page and "第八十五条" in page
    data = client.get(f"/api/v1/enforcement/cases/{case.pk}").json()
    reply = next(c for c in data["clocks_explained"] if c["what"].startswith("陈述"))
    assert (reply["start_on"], reply["due_on"], reply["unit"]) == ("2026-09-23", "2026-10-08", "workdays")
    assert data["deadline_explained"]["what"] == "处理决定期限"
