""" "Unreachable" proposes an abnormal-list listing that a credit officer accepts (credit lists it) or rejects with a
reason; results enter the credit record and the risk indicator."""

import pytest
from django.utils import timezone

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.tests.factories import staff
from jianguan.credit.timeline import events_for
from jianguan.inspections import integrations, services
from jianguan.inspections.models import ListingProposal

from . import factories


@pytest.fixture
def proposal(xh):
    batch = factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0}))
    factories.conclude(batch.tasks.get(), "unreachable")
    return ListingProposal.objects.get()


def test_a_credit_officer_accepts_and_credit_lists_the_entity(proposal, org):
    officer = staff("xy_t", "410400XY", ["credit_officer"])
    accepted = services.proposal_accept(actor=officer, proposal=proposal)
    assert accepted.status == ListingProposal.Status.ACCEPTED
    entry = proposal.entity.list_entries.get()
    assert entry.ground == "unreachable" and accepted.credit_reference
    assert services.proposal_accept(actor=officer, proposal=proposal).status == ListingProposal.Status.ACCEPTED
    with pytest.raises(TransitionNotAllowed):
        services.proposal_reject(actor=officer, proposal=proposal, note="x")


def test_a_rejection_needs_a_reason(proposal, org):
    officer = staff("xy_t", "410400XY", ["credit_officer"])
    with pytest.raises(ValidationFailed, match="理由"):
        services.proposal_reject(actor=officer, proposal=proposal, note="")
    assert services.proposal_reject(actor=officer, proposal=proposal, note="复核已联系上").status == "rejected"


def test_the_officer_decides_from_the_list_page(proposal, org, login):
    from jianguan.core.tests.xlsx import rows

    officer = staff("xy_t", "410400XY", ["credit_officer"])
    client = login(officer)
    body = client.get("/workbench/inspections/proposals/").content.decode()
    assert proposal.entity.name in body and 'data-testid="list-total">1<' in body and "发现最早的在前" in body
    got = rows(client.get("/workbench/inspections/proposals/", {"export": "xlsx", "q": proposal.entity.uscc}))
    assert got[0][:3] == ("市场主体", "统一社会信用代码", "单位") and got[1][1] == proposal.entity.uscc
    client.post(f"/workbench/inspections/proposals/{proposal.pk}/accept/", {"note": "同意"})
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_results_enter_the_credit_record_and_the_risk_indicator(proposal, xh):
    events = [e for e in events_for(proposal.entity, xh["head"]) if e.source == "inspections"]
    assert len(events) == 1 and "无法联系" in events[0].detail and not events[0].public
    from jianguan.credit.risk import Context

    sql, params = integrations.problems_indicator(Context(on=timezone.localdate(), points=15, closed_year=2025))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    assert rows == [(proposal.entity_id, 15, "1 次")]
