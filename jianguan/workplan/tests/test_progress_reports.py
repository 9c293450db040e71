"""A unit reports progress; the office accepts (figures and milestones take effect) or returns it (with a reason,
and the author is told). Double clicks change nothing twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.complaints.tests.factories import EXE, PNG, upload
from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import AuditEntry
from jianguan.workplan import services
from jianguan.workplan.models import Milestone, Notice, ProgressReport, Target, Task

from .factories import dept_head, office, plan, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org):
    p = plan()
    head = dept_head()
    t = task(p, lead_person=head, targets=[("走访企业", Target.Kind.NUMBER, "100", ""),
                                         ("年报公示率", Target.Kind.PERCENT, "90", "credit.annual_report_rate")])
    return p, t, head, office()


def test_lead_unit_reports_and_office_acceptance_sets_figures_and_closes_milestone(setup):
    _p, t, head, duban = setup
    reported, live = t.targets.order_by("seq")
    m = t.milestones.get()
    r = services.report_submit(actor=head, task=t, text="已走访企业120家", progress=60, milestone=m,
                               completes_milestone=True, values={str(reported.pk): "120"},
                               files=[upload("照片.png", PNG)], on=dt.date(2026, 9, 28))
    assert r.status == ProgressReport.Status.SUBMITTED
    assert r.files.get().original_name == "照片.png"
    reported.refresh_from_db()
    assert reported.reported_value is None  # nothing counts before the office accepts

    services.report_review(actor=duban, report=r, accept=True)
    reported.refresh_from_db()
    m.refresh_from_db()
    t.refresh_from_db()
    assert reported.reported_value == Decimal("120") and reported.reported_on == dt.date(2026, 9, 28)
    assert reported.met(reported.reported_value) is True
    assert m.status == Milestone.Status.DONE and m.done_on == dt.date(2026, 9, 28)
    assert t.progress == 60 and t.status == Task.Status.ONGOING
    assert set(AuditEntry.objects.filter(object_type="workplan.progressreport").values_list("action", flat=True)) == {
        "workplan.report.submitted", "workplan.report.accepted"}


def test_task_is_done_when_last_milestone_and_full_progress_are_accepted(setup):
    _p, t, head, duban = setup
    r = services.report_submit(actor=head, task=t, text="全面完成", progress=100, milestone=t.milestones.get(),
                               completes_milestone=True, on=dt.date(2026, 9, 29))
    services.report_review(actor=duban, report=r, accept=True)
    t.refresh_from_db()
    assert t.status == Task.Status.DONE and t.done_on == dt.date(2026, 9, 29) and not t.late


def test_a_live_target_cannot_be_typed_in(setup):
    _p, t, head, _duban = setup
    live = t.targets.get(metric="credit.annual_report_rate")
    with pytest.raises(ValidationFailed) as exc:
        services.report_submit(actor=head, task=t, text="x", progress=10, values={str(live.pk): "99"})
    assert "实时统计" in exc.value.message


def test_a_figure_that_is_not_a_number_is_refused_naming_the_target(setup):
    _p, t, head, _duban = setup
    reported = t.targets.get(metric="")
    with pytest.raises(ValidationFailed) as exc:
        services.report_submit(actor=head, task=t, text="x", progress=10, values={str(reported.pk): "很多"})
    assert "走访企业" in exc.value.message and "不是数字" in exc.value.message
    assert not ProgressReport.objects.exists()


def test_a_disguised_executable_is_refused_and_nothing_is_stored(setup):
    _p, t, head, _duban = setup
    with pytest.raises(ValidationFailed) as exc:
        services.report_submit(actor=head, task=t, text="见附件", progress=10, files=[upload("佐证.png", EXE)])
    assert "佐证.png" in exc.value.message
    assert not ProgressReport.objects.exists()


def test_another_unit_cannot_report(setup, district_officer):
    _p, t, _head, _duban = setup
    with pytest.raises(DomainError):
        services.report_submit(actor=district_officer, task=t, text="x", progress=10)


def test_co_operating_unit_may_report(setup):
    _p, t, _head, _duban = setup
    t.co_units.add(t.lead_unit.parent.children.get(code="410400XY"))
    xy = dept_head("xy_head_t", "410400XY")
    r = services.report_submit(actor=xy, task=t, text="配合完成", progress=30)
    assert r.unit.code == "410400XY"


def test_double_submission_with_one_form_token_makes_one_report(setup):
    _p, t, head, _duban = setup
    key = "a" * 32
    first = services.report_submit(actor=head, task=t, text="x", progress=10, idempotency_key=key)
    second = services.report_submit(actor=head, task=t, text="x", progress=10, idempotency_key=key)
    assert first.pk == second.pk and ProgressReport.objects.count() == 1


def test_return_needs_a_reason_and_tells_the_author(setup):
    _p, t, head, duban = setup
    r = services.report_submit(actor=head, task=t, text="x", progress=10)
    with pytest.raises(ValidationFailed):
        services.report_review(actor=duban, report=r, accept=False, note="")
    services.report_review(actor=duban, report=r, accept=False, note="请补充佐证材料")
    n = Notice.objects.get(recipient=head)
    assert n.kind == Notice.Kind.RETURNED and "请补充佐证材料" in n.message


def test_double_click_on_accept_is_harmless_and_reversal_is_refused(setup):
    _p, t, head, duban = setup
    r = services.report_submit(actor=head, task=t, text="x", progress=40)
    services.report_review(actor=duban, report=r, accept=True)
    services.report_review(actor=duban, report=r, accept=True)
    assert AuditEntry.objects.filter(action="workplan.report.accepted").count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.report_review(actor=duban, report=r, accept=False, note="改主意")
