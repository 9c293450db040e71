"""Annual reports: the filing window, who files from which year, late filing, one filing then corrections."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError
from jianguan.core.models import AuditEntry
from jianguan.credit import periods, services
from jianguan.credit.models import AnnualReport

from .factories import EntityFactory, report_data

pytestmark = pytest.mark.django_db


def test_window_is_1_january_to_30_june_of_the_following_year():
    assert periods.window(2025) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert periods.closed_year(dt.date(2026, 6, 30)) == 2024
    assert periods.closed_year(dt.date(2026, 7, 1)) == 2025
    assert periods.open_year(dt.date(2026, 3, 1)) == 2025
    assert periods.open_year(dt.date(2026, 7, 1)) is None


def test_an_entity_set_up_in_a_year_files_that_years_report_from_the_next_year():
    # 当年设立登记的企业，自下一年起报送: set up in 2025 → files the 2025 report in 2026; nothing for 2024.
    assert periods.must_report(kind="llc", established_on=dt.date(2025, 12, 31), report_year=2025)
    assert not periods.must_report(kind="llc", established_on=dt.date(2025, 12, 31), report_year=2024)
    assert not periods.must_report(kind="llc", established_on=dt.date(2026, 1, 1), report_year=2025)


def test_filing_before_the_window_opens_is_refused_and_changes_nothing(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="报送期为2027年01月01日起"):
        services.report_file(actor="t", entity=entity, year=2026, data=report_data(), today=dt.date(2026, 11, 1))
    assert not AnnualReport.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_filing_for_a_year_before_the_entity_existed_is_refused(org):
    entity = EntityFactory(established_on=dt.date(2025, 3, 1))
    with pytest.raises(DomainError, match="自2025年度起报送"):
        services.report_file(actor="t", entity=entity, year=2024, data=report_data(), today=dt.date(2026, 3, 1))


def test_filing_in_the_window_is_on_time_and_after_30_june_is_late(org):
    a, b = EntityFactory(established_on=dt.date(2020, 1, 1)), EntityFactory(established_on=dt.date(2020, 1, 1))
    on_time = services.report_file(actor="t", entity=a, year=2025, data=report_data(), today=dt.date(2026, 6, 30))
    late = services.report_file(actor="t", entity=b, year=2025, data=report_data(), today=dt.date(2026, 7, 1))
    assert (on_time.late, late.late) == (False, True)
    assert AuditEntry.objects.filter(action="credit.report.filed").count() == 2


def test_a_second_filing_is_refused_a_correction_is_required(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    services.report_file(actor="t", entity=entity, year=2025, data=report_data(), today=dt.date(2026, 3, 1))
    with pytest.raises(DomainError, match="不能重复报送") as exc:
        services.report_file(actor="t", entity=entity, year=2025, data=report_data(employees=99),
                             today=dt.date(2026, 3, 2))
    assert exc.value.code == "already_filed"
    assert AnnualReport.objects.get().employees == 12


def test_a_correction_before_30_june_adds_a_version_and_keeps_the_old_one(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    services.report_file(actor="t", entity=entity, year=2025, data=report_data(), today=dt.date(2026, 3, 1))
    corrected = services.report_correct(actor="t", entity=entity, year=2025, data=report_data(employees=20),
                                        today=dt.date(2026, 6, 30))
    assert corrected.version == 2 and corrected.is_current
    assert list(AnnualReport.objects.order_by("version").values_list("version", "is_current", "employees")) == [
        (1, False, 12), (2, True, 20)]
    entry = AuditEntry.objects.get(action="credit.report.corrected")
    assert entry.changes["employees"] == [12, 20]


def test_a_correction_after_30_june_is_refused(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    services.report_file(actor="t", entity=entity, year=2025, data=report_data(), today=dt.date(2026, 3, 1))
    with pytest.raises(DomainError, match="更正须在报送期截止（2026年06月30日）前提交"):
        services.report_correct(actor="t", entity=entity, year=2025, data=report_data(employees=20),
                                today=dt.date(2026, 7, 1))
    assert AnnualReport.objects.count() == 1


def test_all_zero_financials_are_flagged(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    zero = {f: 0 for f in ("total_assets", "total_liabilities", "revenue", "profit", "net_profit", "tax")}
    rep = services.report_file(actor="t", entity=entity, year=2025, data=report_data(**zero),
                               today=dt.date(2026, 3, 1))
    assert rep.financials_all_zero
