"""An enterprise account files and corrects its own annual report on the portal — and nothing else's."""

import datetime as dt

import pytest
from django.urls import reverse

from jianguan.core.models import PublicProfile
from jianguan.credit.models import AnnualReport, ListEntry
from jianguan.credit.public_views import report_years

from .factories import EntityFactory, enterprise_account, report, report_data

pytestmark = pytest.mark.django_db


def form(**overrides) -> dict:
    data = {k: ("on" if v is True else "" if v in (False, None) else v) for k, v in report_data(**overrides).items()}
    return {k: v for k, v in data.items() if v != ""}


@pytest.fixture
def company(org):
    return EntityFactory(established_on=dt.date(2018, 1, 1))


def _today(monkeypatch, day):
    monkeypatch.setattr("jianguan.credit.public_views.timezone.localdate", lambda: day)


def test_the_enterprise_files_then_corrects_its_report(company, client, monkeypatch):
    _today(monkeypatch, dt.date(2026, 5, 1))
    client.force_login(enterprise_account(company))
    page = client.get(reverse("credit_public:report_form", args=[2025]))
    assert page.status_code == 200 and "不公示（仅监管部门可见）" in page.content.decode()
    assert client.post(reverse("credit_public:report_form", args=[2025]), form()).status_code == 302
    client.post(reverse("credit_public:report_form", args=[2025]), form(employees=30, insured_employees=20))
    reports = list(AnnualReport.objects.filter(entity=company, year=2025).order_by("version"))
    assert [(r.version, r.is_current, r.employees, r.late) for r in reports] == [(1, False, 12, False),
                                                                                 (2, True, 30, False)]
    assert reports[0].filed_by.public_profile.entity == company


def test_after_30_june_the_portal_refuses_a_correction(company, client, monkeypatch):
    report(company, 2025)
    _today(monkeypatch, dt.date(2026, 7, 1))
    client.force_login(enterprise_account(company))
    response = client.post(reverse("credit_public:report_form", args=[2025]), form(employees=30))
    assert response.status_code == 200 and "更正须在报送期截止" in response.content.decode()
    assert AnnualReport.objects.filter(entity=company).count() == 1


def test_late_filing_on_the_portal_cures_the_listing(company, client):
    from jianguan.credit import services
    from jianguan.credit.models import Ground

    year = dt.date.today().year - 1
    services.list_enter(actor="t", entity=company, ground=Ground.REPORT_NOT_FILED, facts="未报", report_year=year)
    client.force_login(enterprise_account(company))
    response = client.post(reverse("credit_public:report_form", args=[year]), form(), follow=True)
    assert "逾期补报" in response.content.decode()
    assert ListEntry.objects.get(entity=company).status == "removed"


def test_correction_keeps_history_within_the_window(company, client):
    report(company, 2025)
    client.force_login(enterprise_account(company))
    rows = {r["year"]: r for r in report_years(company, dt.date(2026, 5, 1))}
    assert rows[2025]["can_correct"] and not rows[2025]["can_file"]
    rows = {r["year"]: r for r in report_years(company, dt.date(2026, 7, 1))}
    assert not rows[2025]["can_correct"]


def test_an_account_sees_only_its_own_entity(company, client):
    other = EntityFactory(established_on=dt.date(2018, 1, 1), name="别家公司")
    report(other, 2024)
    client.force_login(enterprise_account(company))
    page = client.get(reverse("credit_public:reports")).content.decode()
    assert company.name in page and "别家公司" not in page


def test_person_accounts_and_staff_cannot_file(company, client, station_inspector):
    user = enterprise_account(company, "person1")
    PublicProfile.objects.filter(user=user).update(kind="person", entity=None)
    client.force_login(user)
    assert client.get(reverse("credit_public:reports")).status_code == 403
    client.force_login(station_inspector)
    assert client.get(reverse("credit_public:reports")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_public_login(client):
    response = client.get(reverse("credit_public:reports"))
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")


def test_the_account_menu_offers_annual_reports(company, client):
    client.force_login(enterprise_account(company))
    assert "年度报告" in client.get("/account/").content.decode()
