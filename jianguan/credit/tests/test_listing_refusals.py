"""Listing and removal refuse what the rules forbid, naming the rule, and change nothing."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import AuditEntry
from jianguan.credit import services
from jianguan.credit.models import Ground, ListEntry, ListKind, Notice

from .factories import EntityFactory, report

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 8, 3)


def _state():
    return ListEntry.objects.count(), Notice.objects.count(), AuditEntry.objects.count()


def test_listing_decision_gets_a_district_document_number_and_a_notice(org):
    entity = EntityFactory()
    entry = services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="实地核查无法联系",
                                today=TODAY)
    assert entry.decision_no == "新市监异〔2026〕1号"
    assert entry.deciding_unit.code == "410402"
    assert entry.listing_due_on == dt.date(2026, 8, 17)  # 10 working days after the ground arose (not counted)
    assert Notice.objects.get(list_entry=entry).kind == Notice.Kind.LISTED
    assert AuditEntry.objects.filter(action="credit.list.entered", object_id=str(entry.pk)).exists()


def test_listing_an_entity_already_listed_on_the_same_ground_is_refused(org):
    entity = EntityFactory()
    services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系", today=TODAY)
    before = _state()
    with pytest.raises(DomainError, match="同一事由不能重复列入") as exc:
        services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="再次", today=TODAY)
    assert exc.value.code == "already_listed"
    assert _state() == before


def test_the_same_entity_may_be_listed_on_another_ground(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系", today=TODAY)
    services.list_enter(actor="t", entity=entity, ground=Ground.REPORT_NOT_FILED, facts="未报", today=TODAY)
    assert ListEntry.objects.filter(entity=entity, status="active").count() == 2


def test_removing_an_entity_that_is_not_listed_is_refused(org):
    entity = EntityFactory()
    before = _state()
    with pytest.raises(TransitionNotAllowed, match="未因「通过登记的住所或者经营场所无法联系」列入经营异常名录，不能移出"):
        services.list_remove(actor="t", entity=entity, list_kind=ListKind.ABNORMAL, ground=Ground.UNREACHABLE,
                             reason="已联系", today=TODAY)
    assert _state() == before


def test_removing_twice_is_refused_the_second_time(org):
    entity = EntityFactory()
    services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系", today=TODAY)
    entry = services.list_remove(actor="t", entity=entity, list_kind=ListKind.ABNORMAL, ground=Ground.UNREACHABLE,
                                 reason="经核查住所可以联系", today=TODAY)
    assert entry.removal_no == "新市监异〔2026〕2号"
    with pytest.raises(TransitionNotAllowed):
        services.list_remove(actor="t", entity=entity, list_kind=ListKind.ABNORMAL, ground=Ground.UNREACHABLE,
                             reason="再次", today=TODAY)


def test_a_ground_that_is_not_one_of_the_four_is_refused(org):
    with pytest.raises(ValidationFailed, match="四项事由"):
        services.list_enter(actor="t", entity=EntityFactory(), ground=Ground.FAIR_COMPETITION, facts="x", today=TODAY)
    assert not ListEntry.objects.exists()


def test_an_entity_that_filed_cannot_be_listed_for_not_filing(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    report(entity, 2025)
    with pytest.raises(DomainError, match="已报送2025年度报告"):
        services.list_enter(actor="t", entity=entity, ground=Ground.REPORT_NOT_FILED, facts="未报", today=TODAY)


def test_removal_for_not_filing_needs_the_report_filed_first(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    services.list_enter(actor="t", entity=entity, ground=Ground.REPORT_NOT_FILED, facts="未报", today=TODAY)
    with pytest.raises(DomainError, match="尚未补报2025年度报告"):
        services.list_remove(actor="t", entity=entity, list_kind=ListKind.ABNORMAL,
                             ground=Ground.REPORT_NOT_FILED, reason="申请移出", today=TODAY)
    assert ListEntry.objects.get().status == "active"
