"""The July cycle: ``jianguan sweep --today 2026-07-01`` lists the non-filers, a second run changes nothing,
late filing removes, and the calendar decides which days are working days."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jianguan.core.models import AuditEntry, Sequence
from jianguan.credit import services
from jianguan.credit.models import EntityRisk, EntityRiskHistory, ListEntry, ListKind, Notice

from .factories import EntityFactory, individual, report, report_data

pytestmark = pytest.mark.django_db


def sweep(day: str) -> str:
    out = StringIO()
    call_command("sweep", "--today", day, stdout=out, stderr=out)
    return out.getvalue()


def _snapshot():
    return (list(ListEntry.objects.order_by("id").values_list("id", "status", "decision_no")),
            Notice.objects.count(), AuditEntry.objects.count(), EntityRiskHistory.objects.count(),
            list(EntityRisk.objects.order_by("entity_id").values_list("entity_id", "risk_class", "score", "computed_at")),
            list(Sequence.objects.order_by("key").values_list("key", "value")))


@pytest.fixture
def scene(org, settings, tmp_path):
    # the sweep's open-data dump keeps its manifest under VAR_DIR: its own here, or a sweep of another day in the
    # other test process (-n 2) replaces it and the second run of the same day dumps again
    settings.VAR_DIR = tmp_path
    filer = EntityFactory(established_on=dt.date(2019, 5, 1))
    report(filer, 2025)
    people = {
        "filer": filer,
        "missing": EntityFactory(established_on=dt.date(2019, 5, 1)),
        "missing2": EntityFactory(established_on=dt.date(2025, 12, 31)),  # set up in 2025: must file 2025
        "newcomer": EntityFactory(established_on=dt.date(2026, 2, 1)),  # set up in 2026: nothing to file yet
        "shop": individual(established_on=dt.date(2018, 1, 1)),
    }
    for key in ("filer", "missing", "shop"):  # everyone filed the previous year's report
        report(people[key], 2024)
    return people


def test_non_filers_are_listed_on_the_first_working_day_after_30_june(scene):
    before_window = sweep("2026-06-30")
    assert "listed=0" in before_window
    sweep("2026-07-01")
    entries = {e.entity_id: e for e in ListEntry.objects.all()}
    assert set(entries) == {scene["missing"].pk, scene["missing2"].pk, scene["shop"].pk}
    missing = entries[scene["missing"].pk]
    assert missing.list_kind == ListKind.ABNORMAL and missing.report_year == 2025
    assert missing.decision_no.startswith("新市监异〔2026〕") and missing.decision_no.endswith("号")
    assert missing.listed_on == dt.date(2026, 7, 1)
    # Counted from 30 June (start day, not counted): day 1 is Wed 1 July, the 10th working day Tue 14 July.
    assert missing.listing_due_on == dt.date(2026, 7, 14)
    assert len({e.decision_no for e in entries.values()}) == 3
    assert Notice.objects.filter(kind=Notice.Kind.LISTED).count() == 3
    assert AuditEntry.objects.filter(action="credit.list.entered").count() == 3


def test_individual_businesses_are_marked_not_listed(scene):
    sweep("2026-07-01")
    assert ListEntry.objects.get(entity=scene["shop"]).list_kind == ListKind.ABNORMAL_STATUS


def test_individual_handling_is_a_rule(scene):
    from jianguan.core.models import RuleValue

    RuleValue.objects.create(key="credit.report.individual_handling", value="list", effective_from=dt.date(2026, 1, 1))
    sweep("2026-07-01")
    assert ListEntry.objects.get(entity=scene["shop"]).list_kind == ListKind.ABNORMAL


def test_a_second_run_changes_nothing(scene):
    sweep("2026-07-01")
    first = _snapshot()
    out = sweep("2026-07-01")
    assert _snapshot() == first
    assert "listed=0" in out and "class_changed=0" in out


def test_the_risk_class_follows_the_listing(scene):
    sweep("2026-07-01")
    risk = EntityRisk.objects.get(entity=scene["missing"])
    assert risk.risk_class == "D"
    assert risk.reasons_text == "D: 列入经营异常名录 +30; 未按时报送年度报告 2025 年度 +20"
    assert EntityRisk.objects.get(entity=scene["filer"]).risk_class == "A"


def test_filing_late_removes_the_entity_from_the_list(scene):
    sweep("2026-07-01")
    services.report_file(actor="t", entity=scene["missing"], year=2025, data=report_data(),
                         today=dt.date(2026, 7, 20))
    entry = ListEntry.objects.get(entity=scene["missing"])
    assert entry.status == "removed" and entry.removal_reason == "已补报2025年度报告"
    assert entry.removal_no.startswith("新市监异〔2026〕")
    sweep("2026-07-21")
    risk = EntityRisk.objects.get(entity=scene["missing"])
    assert risk.reasons_text == "B: 逾期补报年度报告 2025 年度 +10"


def test_the_sweep_removes_a_listing_whose_report_arrived_another_way(scene):
    sweep("2026-07-01")
    report(scene["missing2"], 2025, filed_on=dt.date(2026, 7, 10), late=True)  # e.g. an import
    assert "removed=1" in sweep("2026-07-10")
    assert ListEntry.objects.get(entity=scene["missing2"]).status == "removed"


def test_no_listing_on_a_rest_day(scene):
    out = sweep("2026-07-04")  # a Saturday
    assert "rest_day=1" in out
    assert not ListEntry.objects.exists()
    sweep("2026-07-06")
    assert ListEntry.objects.count() == 3


def test_an_unknown_calendar_year_fails_the_job_loudly_and_the_command_exits_non_zero(scene):
    out = StringIO()
    with pytest.raises(CommandError, match="credit-annual-report-listing"):
        call_command("sweep", "--today", "2031-07-01", stdout=out, stderr=out)
    assert "2031年的节假日安排尚未录入" in out.getvalue()
    assert not ListEntry.objects.exists()


def test_listing_after_the_ten_day_limit_is_counted(scene):
    out = sweep("2026-07-20")
    assert "after_deadline=3" in out


def test_late_filings_in_bulk_do_what_report_file_does_for_each(scene):
    """``reports_file_late_many`` (the demo's late filers): each listing for not filing is removed on its filing day
    with its own number in the unit's 异 series, the 5-working-day removal clock started that day, a public 移出
    notice, and an audit entry per report and per removal — as ``report_file`` does one by one."""
    from jianguan.core import audit
    from jianguan.credit.models import AnnualReport

    sweep("2026-07-01")
    one, many = scene["missing"], scene["missing2"]
    services.report_file(actor="t", entity=one, year=2025, data=report_data(), today=dt.date(2026, 8, 3))
    filed = AuditEntry.objects.count()
    services.reports_file_late_many(actor="t", reports=[AnnualReport(
        entity=many, year=2025, version=1, is_current=True, filed_on=dt.date(2026, 8, 3), late=True,
        **{k: v for k, v in report_data().items()})])
    a, b = (ListEntry.objects.get(entity=e, report_year=2025) for e in (one, many))
    assert (b.status, b.removed_on, b.removal_reason) == (a.status, a.removed_on, a.removal_reason) == (
        "removed", dt.date(2026, 8, 3), "已补报2025年度报告")
    # Mon 3 Aug 2026 + 5 working days (no holiday) = Mon 10 Aug 2026.
    assert b.removal_due_on == a.removal_due_on == dt.date(2026, 8, 10)
    assert a.removal_no != b.removal_no and b.removal_no.startswith("新市监异〔2026〕")
    assert Notice.objects.filter(list_entry=b, kind="removed", is_public=True).count() == 1
    assert AuditEntry.objects.count() - filed == 2
    assert set(AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:2]) == {
        "credit.report.filed", "credit.list.removed"}
    audit.seal()
    assert audit.verify_chain().ok
