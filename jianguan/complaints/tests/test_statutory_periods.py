"""The complaint and report clocks against dates computed by hand from the State Council's 2026 holiday notice
(国办发明电〔2025〕7号): 春节 2/15–2/23 休，2/14（六）、2/28（六）上班；清明 4/4–4/6；劳动节 5/1–5/5 休，5/9（六）
上班；端午 6/19–6/21；中秋 9/25–9/27；国庆 10/1–10/7 休，9/20（日）、10/10（六）上班.

All periods here are working days and the start day is not counted. The expectations are literal dates counted by
hand; the project's code computes the actual ones through the services.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.complaints import services
from jianguan.complaints.models import MediationPause
from jianguan.core.rules import RULES

from .factories import business, complaint, report

pytestmark = pytest.mark.django_db
D = dt.date

# (received on, expected 受理决定期限 — Order 20 art. 14, 7 working days, why)
ACCEPT = [
    (D(2026, 9, 24), D(2026, 10, 12), "9/25–27、10/1–7 不计；10/10（六）上班计入：9/28、29、30、10/8、9、10、12"),
    (D(2026, 2, 12), D(2026, 2, 28), "2/13、2/14（六上班）、2/24–2/27、2/28（六上班）"),
    (D(2026, 2, 13), D(2026, 3, 2), "2/14、2/24–2/28、3/2"),
    (D(2026, 4, 29), D(2026, 5, 12), "4/30、5/6–5/9（5/9 六上班）、5/11、5/12"),
    (D(2026, 4, 2), D(2026, 4, 14), "4/3、4/7–4/10、4/13、4/14：清明 4/4–4/6 不计"),
    (D(2026, 6, 17), D(2026, 6, 29), "6/18、6/22–6/26、6/29：端午 6/19–6/21 不计"),
    (D(2026, 9, 18), D(2026, 9, 29), "9/20（日）调休上班计入：9/21、20、22、23、24、28、29"),
    (D(2026, 2, 11), D(2026, 2, 27), "2/12、2/13、2/14（六上班）、2/24–2/27"),
    (D(2026, 2, 14), D(2026, 3, 3), "收到日为调休上班日 2/14：2/24–2/28、3/2、3/3"),
    (D(2026, 4, 30), D(2026, 5, 13), "5/6–5/9（5/9 六上班）、5/11–5/13"),
    (D(2026, 5, 1), D(2026, 5, 13), "假日收到：5/6–5/9、5/11–5/13"),
    (D(2026, 9, 30), D(2026, 10, 15), "10/8、9、10（六上班）、12–15"),
    (D(2026, 10, 1), D(2026, 10, 15), "国庆假期中收到：10/8、9、10、12–15"),
]

# (received on, extended by the head?, expected 核查期限 — Order 2 art. 18, 15 (+15) working days)
CHECK = [
    (D(2026, 2, 10), False, D(2026, 3, 9), "2/11–2/14、2/24–2/28、3/2–3/6、3/9"),
    (D(2026, 2, 10), True, D(2026, 3, 30), "再 15 个工作日：3/10–3/13、3/16–3/20、3/23–3/27、3/30"),
    (D(2026, 9, 24), False, D(2026, 10, 22), "9/28–30、10/8–10、10/12–16、10/19–22"),
    (D(2026, 4, 24), False, D(2026, 5, 19), "4/27–30、5/6–9、5/11–15、5/18、5/19"),
    (D(2026, 5, 8), False, D(2026, 5, 28), "第 1 个工作日为调休上班的 5/9（六）：5/9、5/11–15、5/18–22、5/25–28"),
    (D(2026, 9, 18), False, D(2026, 10, 15), "9/20（日上班）、9/21–24、9/28–30、10/8–10、10/12–15"),
]

# (accepted on, pauses (reason, start, end), expected 调解期限 — Order 20 art. 21 (45 wd), art. 20 exclusions)
MEDIATION = [
    (D(2026, 3, 3), [], D(2026, 5, 9), "第 45 个工作日是调休上班的 5/9（六）"),
    (D(2026, 3, 3), [("testing", D(2026, 4, 7), D(2026, 4, 14))], D(2026, 5, 15),
     "检测 (4/7, 4/14] 五个工作日不计入：50 个工作日 = 5/15"),
    (D(2026, 8, 20), [], D(2026, 10, 28),
     "8/21 起：8 月 7 个，9 月 22 个（含 9/20 日上班，9/25–27 不计），10/8、9、10（六上班）、12–16、19–23、26–28 共 16 个"),
    (D(2026, 8, 20), [("appraisal", D(2026, 9, 24), D(2026, 10, 9))], D(2026, 11, 4),
     "鉴定 (9/24, 10/9]：9/28、29、30、10/8、9 五个工作日不计入 → 50 个工作日"),
]

# (decision date, expected 告知实名举报人期限 — Order 20 art. 31, 5 wd from the filing decision itself)
REPORTER = [
    (D(2026, 9, 30), D(2026, 10, 13), "10/8、9、10（六上班）、12、13"),
    (D(2026, 2, 13), D(2026, 2, 27), "2/14（六上班）、2/24–2/27"),
    (D(2026, 4, 30), D(2026, 5, 11), "5/6–5/9、5/11"),
    (D(2026, 6, 18), D(2026, 6, 26), "6/22–6/26：端午 6/19–6/21 不计"),
    (D(2026, 2, 27), D(2026, 3, 5), "2/28（六上班）、3/2–3/5"),
]

# (mediation terminated on, expected 告知双方期限 — Order 20 art. 21 para. 2, 7 wd)
NOTIFY = [
    (D(2026, 9, 29), D(2026, 10, 14), "9/30、10/8、9、10（六上班）、12、13、14"),
    (D(2026, 2, 12), D(2026, 2, 28), "2/13、2/14、2/24–2/27、2/28（六上班）"),
]


@pytest.mark.parametrize("received, expected, why", ACCEPT, ids=[str(r[0]) for r in ACCEPT])
def test_accept_decision_deadline(org, received, expected, why):
    c, _ = complaint(entity=business(), received_on=received)
    assert c.accept_due == expected, why
    assert "第十四条" in RULES["complaints.accept_days"].source


@pytest.mark.parametrize("received, extended, expected, why", CHECK, ids=[f"{r[0]}-{r[1]}" for r in CHECK])
def test_report_check_deadline(org, xh_handler, xh_head, received, extended, expected, why):
    r, _ = report(entity=business(), received_on=received)
    if extended:
        r = services.report_extend_check(actor=xh_handler, complaint=r, reason="需调取交易数据", approver=xh_head,
                                         on=received + dt.timedelta(days=1))
    assert r.check_due == expected, why
    assert "第十八条" in RULES["complaints.report_check_days"].source


@pytest.mark.parametrize("accepted, pauses, expected, why", MEDIATION, ids=[f"{m[0]}-{len(m[1])}" for m in MEDIATION])
def test_mediation_deadline_excludes_testing_time(org, xh_handler, accepted, pauses, expected, why):
    c, _ = complaint(entity=business(), received_on=accepted)
    c = services.complaint_accept(actor=xh_handler, complaint=c, on=accepted)
    for reason, start, end in pauses:
        services.mediation_pause_start(actor=xh_handler, complaint=c, reason=reason, starts_on=start,
                                       evidence="委托检测协议书 JC-2026-001")
        services.mediation_pause_end(actor=xh_handler, complaint=c, ends_on=end)
    c.refresh_from_db()
    assert c.mediation_due == expected, why
    assert "第二十条" in RULES["complaints.mediation_days"].source and "第二十一条" in RULES["complaints.mediation_days"].source


@pytest.mark.parametrize("decided, expected, why", REPORTER, ids=[str(r[0]) for r in REPORTER])
def test_reporter_is_told_within_5_working_days_of_the_filing_decision(org, xh_handler, decided, expected, why):
    from jianguan.enforcement.models import Lead, LeadStatus

    r, _ = report(entity=business(), received_on=decided - dt.timedelta(days=3))
    r = services.report_decide(actor=xh_handler, complaint=r, outcome="lead", note="转线索", on=decided)
    lead = Lead.objects.get(pk=r.lead_id)
    lead.status, lead.decided_on = LeadStatus.NOT_FILED, decided
    lead.save()  # the enforcement decision: the clock starts on its own date, not when a job notices
    r.refresh_from_db()
    assert r.reporter_notify_due == expected, why
    assert services.reporter_clock_from_leads(today=decided + dt.timedelta(days=20)) == 0
    assert "第三十一条" in RULES["complaints.reporter_notify_days"].source
    assert RULES["complaints.reporter_notify_days"].confidence == "C"


def test_a_running_pause_holds_the_mediation_deadline_and_the_sweep_moves_it(org, xh_handler):
    c, _ = complaint(entity=business(), received_on=D(2026, 3, 3))
    c = services.complaint_accept(actor=xh_handler, complaint=c, on=D(2026, 3, 3))
    services.mediation_pause_start(actor=xh_handler, complaint=c, reason=MediationPause.Reason.APPRAISAL,
                                   starts_on=D(2026, 5, 6), evidence="鉴定委托书 JD-7")
    # 5/9 would have been the 45th working day; on 5/12 the appraisal has run 4 working days (5/7, 8, 9, 11, 12 → 5).
    assert services.reclock_paused_mediations(today=D(2026, 5, 12)) == 1
    c.refresh_from_db()
    assert c.mediation_paused and c.mediation_due == D(2026, 5, 15)
    # While paused the mediation is not terminated for running out of time.
    assert services.terminate_expired_mediations(today=D(2026, 5, 20)) == 0
    assert services.reclock_paused_mediations(today=D(2026, 5, 12)) == 0  # idempotent


@pytest.mark.parametrize("ended, expected, why", NOTIFY, ids=[str(n[0]) for n in NOTIFY])
def test_both_sides_are_told_within_7_working_days_of_the_termination(org, xh_handler, ended, expected, why):
    c, _ = complaint(entity=business(), received_on=ended - dt.timedelta(days=20))
    c = services.complaint_accept(actor=xh_handler, complaint=c, on=ended - dt.timedelta(days=19))
    c = services.complaint_terminate(actor=xh_handler, complaint=c, reason="被投诉人明确拒绝调解", on=ended)
    assert c.notify_due == expected, why
    assert "第二十一条第二款" in RULES["complaints.notify_days"].source


def test_the_table_has_at_least_25_hand_computed_cases():
    assert len(ACCEPT) + len(CHECK) + len(MEDIATION) + len(REPORTER) + len(NOTIFY) >= 25


def test_the_api_extends_with_a_named_head_and_explains_the_mediation_clock(org, xh_handler, xh_head, client):
    r, _ = report(entity=business(), received_on=D(2026, 2, 10))
    client.force_login(xh_handler)
    refused = client.post(f"/api/v1/complaints/{r.number}/extend", {"reason": "案情复杂", "on": "2026-03-02"},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_head"
    ok = client.post(f"/api/v1/complaints/{r.number}/extend",
                     {"reason": "案情复杂", "approver": xh_head.username, "on": "2026-03-02"},
                     content_type="application/json")
    assert ok.status_code == 200
    explained = ok.json()["deadline_explained"]
    assert (explained["start_on"], explained["total"], explained["due_on"]) == ("2026-02-10", 30, "2026-03-30")
    assert "新华区局负责人" in explained["extensions"][0]["reason"] and "第十八条" in explained["article"]

    c, _ = complaint(entity=business(), received_on=D(2026, 3, 3))
    services.complaint_accept(actor=xh_handler, complaint=c, on=D(2026, 3, 3))
    client.post(f"/api/v1/complaints/{c.number}/mediation-pauses",
                {"reason": "testing", "starts_on": "2026-04-07", "evidence": "检测委托书 JC-9"},
                content_type="application/json")
    data = client.post(f"/api/v1/complaints/{c.number}/mediation-pauses/end", {"ends_on": "2026-04-14"},
                       content_type="application/json").json()
    explained = data["deadline_explained"]
    assert explained["due_on"] == "2026-05-15" and explained["exclusions"][0]["days"] == 5
    assert explained["exclusions"][0]["evidence"] == "检测委托书 JC-9"
    page = client.get(f"/workbench/complaints/{c.number}/").content.decode()
    assert 'data-testid="deadline-explained"' in page and "检测委托书 JC-9" in page
