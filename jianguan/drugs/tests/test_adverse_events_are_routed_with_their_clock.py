"""An adverse-event report is routed on receipt to the district bureau of the reporting unit with its review
deadline — 3 working days for a serious report, 15 for others (药品不良反应报告和监测管理办法 第二十四条) — and flagged
when it came later than the reporting period (第二十一条: 15 days for a serious one, a last day on a rest day moving to
the next working day; 第二十条 only says which reactions are reported). Dates hand-computed from the 2026 holiday notice: 9/25–9/27 Mid-Autumn, 10/1–10/7 National
Day, 10/10 an adjusted working day."""

import datetime as dt

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.drugs import services
from jianguan.drugs.models import AdverseEvent, EventStatus
from jianguan.registry.tests.factories import EntityFactory

from .factories import event, supervisor

pytestmark = pytest.mark.django_db


def test_serious_report_is_routed_to_the_district_with_three_working_days(org):
    actor = supervisor()
    e = event(actor=actor, reporter=EntityFactory(unit=OrgUnit.objects.get(code="41040201")))
    assert e.unit.code == "410402"  # the station's district bureau
    assert e.review_due == dt.date(2026, 9, 30) and not e.calendar_pending  # 9/28, 9/29, 9/30
    assert e.status == EventStatus.ROUTED and e.number == "YPBL2026000001"
    assert AuditEntry.objects.filter(action="drugs.event.routed", object_id=str(e.pk)).exists()


def test_general_report_has_fifteen_working_days_across_national_day(org):
    e = event(actor=supervisor(), severity="general")
    # 9/28, 9/29, 9/30, 10/8, 10/9, 10/10 (adjusted), 10/12–10/16, 10/19–10/22
    assert e.review_due == dt.date(2026, 10, 22)


def test_late_report_is_flagged_when_the_period_ends_after_a_holiday(org):
    actor = supervisor()
    # aware 9/10 + 15 days = 9/25, a holiday: the period ends on Monday 9/28
    on_time = event(actor=actor, aware_on=dt.date(2026, 9, 10), received_on=dt.date(2026, 9, 28))
    late = event(actor=actor, aware_on=dt.date(2026, 9, 10), received_on=dt.date(2026, 9, 29))
    assert (on_time.late_report, late.late_report) == (False, True)


def test_the_rule_cites_the_article_that_fixes_the_drug_periods():
    from jianguan.core.rules import RULES

    source = RULES["drugs.report_period_days"].source
    assert "《药品不良反应报告和监测管理办法》（卫生部令第81号）第二十一条" in source
    assert "第二十条" not in source


def test_cosmetic_serious_and_death_reports_have_fifteen_days(org):
    """化妆品不良反应监测管理办法: serious reactions within 15 days of learning of them (a death is a serious
    reaction), general ones within 30. The platform used to allow 7 days for a serious or fatal one.

    Counted by hand on the 2026 calendar (day of learning not counted, Civil Code art. 201):
    aware Mon 6/1 → day 1 is 6/2, day 15 is Tue 6/16, a working day (Dragon Boat is 6/19–6/21), so 6/16 is on
    time and 6/17 is late. Aware Thu 9/10 → day 15 is Fri 9/25, Mid-Autumn holiday, then Sat 9/26 and Sun 9/27:
    the period ends Mon 9/28. A death learnt of on 6/1 and received Fri 6/12 (day 11) is on time, where 7 days
    (ending Mon 6/8) made it late."""
    actor = supervisor()

    def cosmetic(severity, aware, received):
        return event(actor=actor, kind="cosmetic", severity=severity, product="儿童面霜", aware_on=aware,
                     received_on=received).late_report

    assert cosmetic("serious", dt.date(2026, 6, 1), dt.date(2026, 6, 16)) is False
    assert cosmetic("serious", dt.date(2026, 6, 1), dt.date(2026, 6, 17)) is True
    assert cosmetic("serious", dt.date(2026, 9, 10), dt.date(2026, 9, 28)) is False
    assert cosmetic("serious", dt.date(2026, 9, 10), dt.date(2026, 9, 29)) is True
    assert cosmetic("death", dt.date(2026, 6, 1), dt.date(2026, 6, 12)) is False
    # general: 30 days from 6/1 is Wed 7/1, a working day
    assert cosmetic("general", dt.date(2026, 6, 1), dt.date(2026, 7, 1)) is False
    assert cosmetic("general", dt.date(2026, 6, 1), dt.date(2026, 7, 2)) is True


def test_the_daily_job_rejudges_reports_flagged_late_under_the_old_cosmetic_period(org):
    """Reports received before the fix were flagged late after 7 days; the job re-judges those still waiting for
    review under the rule as it now stands (aware Mon 6/1, received Fri 6/12: day 11 of 15 — on time), audits each
    change once, and leaves a reviewed report's judgement alone."""
    from jianguan.core.sweep import run

    actor = supervisor()
    waiting = event(actor=actor, kind="cosmetic", severity="serious", product="儿童面霜",
                    aware_on=dt.date(2026, 6, 1), received_on=dt.date(2026, 6, 12))
    reviewed = event(actor=actor, kind="cosmetic", severity="death", product="染发剂",
                     aware_on=dt.date(2026, 6, 1), received_on=dt.date(2026, 6, 12))
    AdverseEvent.objects.update(late_report=True)  # as stored under the old 7-day period
    AdverseEvent.objects.filter(pk=reviewed.pk).update(status=EventStatus.ASSESSED)
    run(today=dt.date(2026, 12, 4), only="drugs-event-clocks")
    run(today=dt.date(2026, 12, 4), only="drugs-event-clocks")
    waiting.refresh_from_db()
    reviewed.refresh_from_db()
    assert (waiting.late_report, reviewed.late_report) == (False, True)
    entries = AuditEntry.objects.filter(action="drugs.event.late_rechecked")
    assert [(e.object_id, e.changes["late_report"]) for e in entries] == [(str(waiting.pk), [True, False])]


def test_bad_reports_are_refused_and_nothing_written(org):
    actor = supervisor()
    with pytest.raises(ValidationFailed, match="接收日期不能早于获知日期") as exc:
        event(actor=actor, aware_on=dt.date(2026, 9, 25), received_on=dt.date(2026, 9, 24))
    assert exc.value.field == "received_on"
    with pytest.raises(ValidationFailed, match="严重程度"):
        event(actor=actor, severity="grave")
    assert not AdverseEvent.objects.exists()


def test_assessment_is_done_once_and_only_in_the_district(org):
    from jianguan.core.tests.factories import staff

    e = event(actor=supervisor())
    other = staff("yp_wd", "410403", ["drug_supervisor"], name="卫东区药品监管员")
    with pytest.raises(ValidationFailed, match="不在本单位办理范围内"):
        services.event_assess(actor=other, event=e, assessment="无关")
    mine = staff("yp_xh", "410402", ["drug_supervisor"], name="新华区药品监管员")
    with pytest.raises(ValidationFailed, match="审核评价意见"):
        services.event_assess(actor=mine, event=e, assessment=" ")
    done = services.event_assess(actor=mine, event=e, assessment="很可能有关", on=dt.date(2026, 9, 29))
    again = services.event_assess(actor=mine, event=e, assessment="改了", on=dt.date(2026, 10, 9))
    assert (again.status, again.assessment, again.assessed_on) == (EventStatus.ASSESSED, "很可能有关",
                                                                   dt.date(2026, 9, 29))
    assert done.assessed_by == mine
    assert AuditEntry.objects.filter(action="drugs.event.assessed").count() == 1
