"""Progress steps: the pure step builder, and where a case, a complaint (refused: stopped at 受理) and a start-up
application stand, shown on their pages."""

import datetime as dt

import pytest

from jianguan.core.steps import progress


def test_steps_before_are_done_the_step_at_is_current_and_a_stop_ends_the_row():
    assert [(s.label, s.state) for s in progress(["甲", "乙", "丙"], 1)] == [
        ("甲", "done"), ("乙", "current"), ("丙", "todo")]
    assert [s.state for s in progress(["甲", "乙", "丙"], 3)] == ["done", "done", "done"]
    assert [(s.label, s.state) for s in progress(["甲", "乙", "丙"], 1, stopped="不予受理")] == [
        ("甲", "done"), ("不予受理", "stopped")]


@pytest.mark.django_db
def test_the_case_and_complaint_pages_show_their_steps(org, client, district_officer):
    from jianguan.complaints import services as complaint_services
    from jianguan.complaints.tests.factories import complaint, handler
    from jianguan.enforcement.tests.factories import filed_case, lead, officer

    on = dt.date(2026, 10, 12)
    case = filed_case(actor=district_officer, officers=[district_officer, officer("xh_o2")], on=on,
                      the_lead=lead(actor=district_officer, discovered_on=on - dt.timedelta(days=1)))
    client.force_login(district_officer)
    body = client.get(f"/workbench/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="steps"' in body
    assert body.index('class="step-done"') < body.index('aria-current="step"') < body.index('class="step-todo"')
    assert "调查取证" in body.split('aria-current="step"')[1][:400]
    c, _ = complaint(entity=None)
    h = handler()
    complaint_services.complaint_refuse(actor=h, complaint=c, reason="no_demand")
    client.force_login(h)
    body = client.get(f"/workbench/complaints/{c.number}/").content.decode()
    assert 'class="step-stopped"' in body and "不予受理" in body and 'class="step-todo"' not in body


def test_a_start_up_application_stands_at_its_state():
    from types import SimpleNamespace

    from jianguan.startup.models import Application
    from jianguan.startup.selectors import application_steps

    app = SimpleNamespace(kind=Application.Kind.ESTABLISH, state=Application.State.IN_REVIEW)
    assert [(s.label, s.state) for s in application_steps(app)] == [("填报", "done"), ("审核", "current"),
                                                                       ("核准", "todo")]
    app = SimpleNamespace(kind=Application.Kind.SIMPLE_DEREGISTER, state=Application.State.REJECTED)
    assert [s.state for s in application_steps(app)][-1] == "stopped"
    app = SimpleNamespace(kind=Application.Kind.ESTABLISH, state=Application.State.RETURNED)
    assert application_steps(app)[0].note == "退回修改"
