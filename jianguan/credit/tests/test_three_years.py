"""Three years on the abnormal list: a public reminder 60 days before, then a serious-list proposal."""

import datetime as dt

import pytest

from jianguan.core.sweep import run
from jianguan.credit import services
from jianguan.credit.models import EntryStatus, Ground, ListEntry, ListKind, Notice

from .factories import EntityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(org):
    entity = EntityFactory()
    return services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系",
                               today=dt.date(2023, 9, 4))


def _only(day):
    return run(today=day, only="credit-abnormal-three-years")[0].counts


def test_no_reminder_earlier_than_60_days_before_three_years(listed):
    assert _only(dt.date(2026, 7, 5)) == {"reminded": 0, "proposed": 0}


def test_public_reminder_60_days_before_and_only_once(listed):
    assert _only(dt.date(2026, 7, 6)) == {"reminded": 1, "proposed": 0}  # 2026-09-04 minus 60 days
    notice = Notice.objects.get(kind=Notice.Kind.SERIOUS_REMINDER)
    assert notice.is_public and "2026年09月04日届满3年" in notice.body
    assert _only(dt.date(2026, 7, 7)) == {"reminded": 0, "proposed": 0}


def test_the_proposal_comes_the_day_after_the_third_anniversary(listed):
    # Listed 2023-09-04: three years run to the end of 2026-09-04 (Civil Code art. 202) — still listed that day.
    assert _only(dt.date(2026, 9, 4)) == {"reminded": 1, "proposed": 0}
    counts = _only(dt.date(2026, 9, 5))
    assert counts == {"reminded": 0, "proposed": 1}
    proposal = ListEntry.objects.get(list_kind=ListKind.SERIOUS)
    assert proposal.status == EntryStatus.PROPOSED and proposal.ground == Ground.ABNORMAL_THREE_YEARS
    assert proposal.source_entry == listed
    assert _only(dt.date(2026, 9, 6)) == {"reminded": 0, "proposed": 0}


def test_a_cured_entity_is_not_proposed(listed):
    services.list_remove(actor="t", entity=listed.entity, list_kind=ListKind.ABNORMAL, ground=Ground.UNREACHABLE,
                         reason="经核查住所可以联系", today=dt.date(2026, 8, 1))
    assert _only(dt.date(2026, 9, 5)) == {"reminded": 0, "proposed": 0}


def test_approving_the_proposal_moves_the_entity_from_the_abnormal_list(listed):
    _only(dt.date(2026, 9, 5))
    proposal = ListEntry.objects.get(list_kind=ListKind.SERIOUS)
    services.serious_approve(actor="t", entry=proposal, today=dt.date(2026, 9, 10))
    listed.refresh_from_db()
    assert listed.status == EntryStatus.REMOVED and "严重违法失信名单" in listed.removal_reason
