"""The serious illegal and dishonest list: proposal after a heavy penalty, approval, term, early removal."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.sweep import run
from jianguan.credit import services
from jianguan.credit.models import EntryStatus, Ground, ListEntry, ListKind, RepairKind

from .factories import EntityFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 3)


@pytest.fixture
def proposal(org):
    return services.serious_propose(actor="t", entity=EntityFactory(), ground=Ground.FOOD_DRUG_SAFETY,
                                    facts="生产不符合食品安全标准的食品", penalty_ref="新市监罚〔2025〕3号", today=DAY)


def test_a_proposal_needs_a_heavy_penalty(org):
    with pytest.raises(ValidationFailed, match="较重行政处罚"):
        services.serious_propose(actor="t", entity=EntityFactory(), ground=Ground.FOOD_DRUG_SAFETY, facts="x",
                                 today=DAY)


def test_a_proposal_is_not_a_listing_until_approved(proposal):
    assert proposal.status == EntryStatus.PROPOSED and proposal.decision_no == "" and proposal.listed_on is None


def test_approval_lists_for_three_years_with_a_decision_number(proposal):
    entry = services.serious_approve(actor="t", entry=proposal, today=dt.date(2025, 3, 10))
    assert entry.status == EntryStatus.ACTIVE
    assert entry.decision_no == "新市监严〔2025〕1号"
    assert entry.term_ends_on == dt.date(2028, 3, 10)
    again = services.serious_approve(actor="t", entry=proposal, today=dt.date(2025, 3, 11))  # second click
    assert again.decision_no == "新市监严〔2025〕1号"


def test_a_second_proposal_on_the_same_ground_is_refused(proposal):
    with pytest.raises(DomainError, match="同一事由不能重复列入"):
        services.serious_propose(actor="t", entity=proposal.entity, ground=Ground.FOOD_DRUG_SAFETY, facts="再次",
                                 penalty_ref="新市监罚〔2025〕9号", today=DAY)


def test_a_rejected_proposal_cannot_be_approved(proposal):
    services.serious_reject(actor="t", entry=proposal, reason="陈述申辩理由成立", today=DAY)
    with pytest.raises(TransitionNotAllowed, match="不予列入"):
        services.serious_approve(actor="t", entry=proposal, today=DAY)


def test_the_term_end_removes_the_entity_the_day_after_the_third_anniversary(proposal):
    # Listed 2025-03-10 for 3 years: the term ends at the end of 2028-03-10 (Civil Code art. 202).
    services.serious_approve(actor="t", entry=proposal, today=dt.date(2025, 3, 10))
    assert run(today=dt.date(2028, 3, 10), only="credit-serious-term-end")[0].counts == {"removed": 0}
    assert ListEntry.objects.get(pk=proposal.pk).status == EntryStatus.ACTIVE
    assert run(today=dt.date(2028, 3, 11), only="credit-serious-term-end")[0].counts == {"removed": 1}
    entry = ListEntry.objects.get(pk=proposal.pk)
    assert entry.status == EntryStatus.REMOVED and "届满" in entry.removal_reason
    assert entry.removed_on == dt.date(2028, 3, 11)
    assert run(today=dt.date(2028, 3, 12), only="credit-serious-term-end")[0].counts == {"removed": 0}


def test_early_removal_only_after_one_year_on_application(proposal):
    entry = services.serious_approve(actor="t", entry=proposal, today=dt.date(2025, 3, 10))
    # 满1年: the year runs to the end of 2026-03-10; the first day it is full is 2026-03-11.
    with pytest.raises(DomainError, match="满1年后方可申请提前移出（2026年03月11日起可申请）"):
        services.repair_apply(actor="t", entity=entry.entity, kind=RepairKind.LIST_REMOVAL, list_entry=entry,
                              statement="已整改", today=dt.date(2026, 3, 10))
    app = services.repair_apply(actor="t", entity=entry.entity, kind=RepairKind.LIST_REMOVAL, list_entry=entry,
                                statement="已整改", today=dt.date(2026, 3, 11))
    services.repair_decide(actor="t", application=app, approve=True, today=dt.date(2026, 3, 20))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED and entry.removed_on == dt.date(2026, 3, 20)


def test_a_serious_listing_cannot_be_removed_directly(proposal):
    entry = services.serious_approve(actor="t", entry=proposal, today=DAY)
    with pytest.raises(TransitionNotAllowed, match="信用修复申请或期限届满"):
        services.list_remove(actor="t", entity=entry.entity, list_kind=ListKind.SERIOUS,
                             ground=Ground.FOOD_DRUG_SAFETY, reason="x", today=DAY)
