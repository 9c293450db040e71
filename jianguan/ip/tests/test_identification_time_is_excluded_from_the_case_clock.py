"""The right holder's identification (权利人辨认) stops the case's decision clock through enforcement's own pause
(Order 2 art. 64): the deadline moves by exactly the days of the identification."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError
from jianguan.enforcement.models import ClockPause, PauseReason
from jianguan.ip import services

pytestmark = pytest.mark.django_db


def test_identification_days_move_the_decision_deadline(ip_case, district_officer):
    # Filed Thu 5 March 2026: 90 days → Wed 3 June 2026 (a working day).
    assert ip_case.decision_deadline == dt.date(2026, 6, 3)
    services.identification_start(actor=district_officer, case=ip_case, starts_on=dt.date(2026, 3, 10),
                                  note="涉案白酒送权利人辨认")
    ip_case.refresh_from_db()
    assert ip_case.clock_paused
    services.identification_end(actor=district_officer, case=ip_case, ends_on=dt.date(2026, 3, 24))
    ip_case.refresh_from_db()
    # 14 days excluded: 3 June + 14 = Wed 17 June 2026 (before the Dragon Boat holiday of 19–21 June).
    assert ip_case.paused_days == 14
    assert ip_case.decision_deadline == dt.date(2026, 6, 17)
    assert not ip_case.clock_paused
    pause = ClockPause.objects.get(case=ip_case)
    assert pause.reason == PauseReason.IDENTIFICATION


def test_ending_without_a_running_identification_is_refused(ip_case, district_officer):
    with pytest.raises(DomainError, match="没有进行中的权利人辨认"):
        services.identification_end(actor=district_officer, case=ip_case, ends_on=dt.date(2026, 3, 24))


def test_a_second_identification_while_one_runs_is_refused(ip_case, district_officer):
    services.identification_start(actor=district_officer, case=ip_case, starts_on=dt.date(2026, 3, 10))
    with pytest.raises(DomainError, match="尚未结束"):
        services.identification_start(actor=district_officer, case=ip_case, starts_on=dt.date(2026, 3, 12))


def test_workbench_buttons_pause_and_resume_the_clock(ip_case, district_officer, login):
    client = login(district_officer)
    url = f"/workbench/ip/cases/{ip_case.pk}/"
    assert "送权利人辨认" in client.get(url).content.decode()
    client.post(f"{url}identification/start/", {"starts_on": "2026-03-10", "note": "送辨认"})
    ip_case.refresh_from_db()
    assert ip_case.clock_paused
    # A double click on "end" ends it once; the second is refused with a message, the deadline unchanged.
    client.post(f"{url}identification/end/", {"ends_on": "2026-03-24"})
    response = client.post(f"{url}identification/end/", {"ends_on": "2026-03-25"}, follow=True)
    assert "没有进行中的权利人辨认" in response.content.decode()
    ip_case.refresh_from_db()
    assert ip_case.decision_deadline == dt.date(2026, 6, 17)


def test_identification_before_filing_moves_the_leads_working_day_deadline(district_officer, client):
    from jianguan.core.services import api_token_create
    from jianguan.enforcement.tests.factories import lead

    the_lead = lead(actor=district_officer)  # discovered Mon 2 March 2026
    # 15 working days: Mon 23 March 2026.
    assert the_lead.filing_deadline == dt.date(2026, 3, 23)
    headers = {"Authorization": f"Bearer {api_token_create(actor=district_officer, name='t')[1]}"}
    url = f"/api/v1/ip/leads/{the_lead.pk}/identification"
    assert client.post(f"{url}/start", {"on": "2026-03-04"}, content_type="application/json",
                       headers=headers).json()["clock_paused"] is True
    out = client.post(f"{url}/end", {"on": "2026-03-11"}, content_type="application/json", headers=headers).json()
    # (4 March, 11 March] holds 5 working days (5, 6, 9, 10, 11 March): 23 March + 5 working days = Mon 30 March.
    assert out["paused_workdays"] == 5 and out["filing_deadline"] == "2026-03-30"
