"""What the deadline board and the case page say about a decision (issue #13 review).

- A decision not yet served shows the service clock (行政处罚法 第六十一条: 7 working days when the party is absent)
  and says the payment period starts on service (第六十七条第三款: 15 days from receipt), never "缴款期限 —";
  once served, the payment deadline shows as a date.
- A deadline reaching a year whose holidays are not entered yet is shown 暂定 — the decision's service, the payment
  and the push to another province (市场监管总局令第45号 第十条) alike — and recomputed when the year is entered.
- A party registered in another province is named by its province (北京市), not by the code "11".

Dates counted by hand on the State Council's 2026 holiday notice; 2027 is not entered in the test calendar.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jianguan.core import calendar
from jianguan.core.divisions import province_name
from jianguan.core.models import CalendarYear, Division, OrgUnit
from jianguan.enforcement import publication, selectors, services
from jianguan.enforcement.models import Penalty
from jianguan.registry.tests.factories import EntityFactory

from .factories import filed_case, lead, to_decided

D = dt.date


def _beijing_party():
    province = Division.objects.get_or_create(code="110000", defaults={"name": "北京市", "level": 1})[0]
    district = Division.objects.get_or_create(code="110105", defaults={"name": "朝阳区", "level": 3,
                                                                       "parent": province})[0]
    return EntityFactory(division=district, unit=OrgUnit.objects.get(code="41040201"))


def _decided(actor, officers, legal, *, filed_on, entity=None):
    """A case decided 29 days after filing (the factories: review +20, notice +21, decision +8)."""
    the_lead = lead(actor=actor, entity=entity, discovered_on=filed_on - dt.timedelta(days=3))
    case = filed_case(actor=actor, officers=officers, on=filed_on, the_lead=the_lead)
    return case, to_decided(case, actor=actor, legal=legal)


def test_province_codes_read_as_names():
    assert province_name("11") == "北京市"
    assert province_name("110105") == "北京市"
    assert province_name("41") == "河南省"
    assert province_name("65") == "新疆维吾尔自治区"
    assert province_name("99") == "区划代码 99"
    assert province_name("") == ""


def test_a_decision_not_served_shows_its_service_clock_and_that_payment_starts_on_service(
        client, district_officer, officers, legal, monkeypatch):
    # filed 2026-10-09, decided 10-09 + 29 = 11-07 (a Saturday); 7 working days: 11/9, 10, 11, 12, 13, 16, 17.
    case, penalty = _decided(district_officer, officers, legal, filed_on=D(2026, 10, 9))
    assert penalty.decided_on == D(2026, 11, 7)
    assert (penalty.service_due, penalty.service_due_provisional) == (D(2026, 11, 17), False)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: D(2026, 11, 10))

    row = next(r for r in selectors.board(district_officer, today=D(2026, 11, 10))["mine"] if r["case"].pk == case.pk)
    assert (row["what"], row["due"], row["note"]) == ("决定书送达期限", D(2026, 11, 17), "缴款期限：送达后起算")
    assert row["explained"].what.startswith("处罚决定书送达期限")

    client.force_login(district_officer)
    board = client.get(reverse("enforcement:board")).content.decode()
    assert "决定书送达期限 <span" in board and "缴款期限：送达后起算" in board
    assert "缴款期限 <span class=\"text-secondary\">—" not in board
    page = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "送达后起算" in page and "2026-11-17" in page

    # Served on Wed 11-11: 15 days from the next day, 11/12 … 11/26 (a Thursday).
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=D(2026, 11, 11), recipient="法定代表人", proof="送达回证", is_decision=True)
    penalty.refresh_from_db()
    assert (penalty.payment_due, penalty.payment_due_provisional) == (D(2026, 11, 26), False)
    row = next(r for r in selectors.board(district_officer, today=D(2026, 11, 12))["mine"] if r["case"].pk == case.pk)
    assert (row["what"], row["due"], row["note"]) == ("缴款期限", D(2026, 11, 26), "")
    page = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "缴款期限 <span" in page and "2026-11-26" in page and "送达后起算" not in page


def test_service_payment_and_push_reaching_an_unentered_year_are_provisional(
        client, district_officer, officers, legal, xh_head, monkeypatch):
    # filed 2026-11-29, decided 11-29 + 29 = 12-28 (a Monday), about a party registered in Beijing.
    case, penalty = _decided(district_officer, officers, legal, filed_on=D(2026, 11, 29), entity=_beijing_party())
    assert penalty.decided_on == D(2026, 12, 28)
    # 7 working days: 12/29, 12/30, 12/31, then 2027 (not entered, no holiday assumed): 1/1, 1/4, 1/5, 1/6.
    assert (penalty.service_due, penalty.service_due_provisional) == (D(2027, 1, 6), True)
    pub = publication.publication_schedule(penalty=penalty, actor="system", today=D(2026, 12, 28))
    # 10 working days: 12/29, 12/30, 12/31, 1/1, 1/4, 1/5, 1/6, 1/7, 1/8, 1/11.
    assert (pub.other_province, pub.push_due, pub.push_due_provisional) == ("11", D(2027, 1, 11), True)
    explained = publication.push_explained(pub)
    assert "北京市" in explained.what and any("暂定" in n for n in explained.notes)

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: D(2027, 1, 5))
    client.force_login(xh_head)
    board = client.get(reverse("enforcement:board")).content.decode()
    pushes = board[board.index('data-testid="board-pushes"'):]
    assert "登记地 <span data-testid=\"push-province\">北京市</span>" in pushes
    assert "登记地省份 11" not in board
    assert "2027-01-11" in pushes and "暂定" in pushes.split("</li>")[0]
    assert "暂定" in board[board.index("决定书送达期限 <span"):].split("</td>")[0]
    listing = client.get(reverse("enforcement_documents:publications")).content.decode()
    assert "外省（北京市）" in listing and "暂定" in listing[listing.index('data-testid="push-clock"'):][:2000]
    api = client.get(f"/api/v1/enforcement/publications/{pub.pk}/push").json()
    assert (api["other_province_name"], api["push_due"], api["push_due_provisional"]) == ("北京市", "2027-01-11", True)

    # Served on Thu 12-31: 15 days, 2027-01-01 … 01-15 (a Friday, no holiday assumed): provisional too.
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=D(2026, 12, 31), recipient="法定代表人", proof="送达回证", is_decision=True)
    penalty = Penalty.objects.get(pk=penalty.pk)
    assert (penalty.payment_due, penalty.payment_due_provisional) == (D(2027, 1, 15), True)
    page = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "暂定" in page[page.index('data-testid="payment-due"'):].split("</p>")[0]

    # The State Council's notice for 2027 is entered (here: no holiday in these weeks): the sweep confirms the dates.
    CalendarYear.objects.create(year=2027, note="国务院办公厅关于2027年部分节假日安排的通知")
    calendar.invalidate()
    assert services.sweep_clocks(today=D(2027, 1, 5))["payment_deadlines_filled"] == 1
    assert publication.publication_sweep(today=D(2027, 1, 5), stdout=None)["push_deadlines_recomputed"] == 1
    penalty.refresh_from_db()
    pub.refresh_from_db()
    assert (penalty.payment_due, penalty.payment_due_provisional) == (D(2027, 1, 15), False)
    assert (pub.push_due, pub.push_due_provisional) == (D(2027, 1, 11), False)
