"""Instant information: the 20-working-day clock, the order to publish, listing after the order, cure."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError
from jianguan.core.sweep import run
from jianguan.credit import services
from jianguan.credit.models import Ground, InstantInfo, ListEntry

from .factories import EntityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def info(org):
    return services.instant_info_record(actor="t", entity=EntityFactory(), kind=InstantInfo.Kind.EQUITY,
                                        content="股权转让", arose_on=dt.date(2026, 9, 24))


def test_the_clock_is_twenty_working_days(info):
    # The 7th working day is 10/12 (docs/domain §2: National Day 10/1–10/7 off, 10/10 worked); the 20th is 10/29.
    assert info.due_on == dt.date(2026, 10, 29)


def test_an_order_before_the_clock_runs_out_is_refused(info):
    with pytest.raises(DomainError, match="期限未届满"):
        services.instant_info_order(actor="t", info=info, today=dt.date(2026, 10, 29))


def test_unpublished_after_the_ordered_period_is_listed_and_publishing_cures(info):
    info = services.instant_info_order(actor="t", info=info, today=dt.date(2026, 10, 30))
    assert info.order_due_on == dt.date(2026, 11, 9)
    assert run(today=dt.date(2026, 11, 9), only="credit-instant-info-listing")[0].counts["listed"] == 0
    assert run(today=dt.date(2026, 11, 10), only="credit-instant-info-listing")[0].counts["listed"] == 1
    entry = ListEntry.objects.get()
    assert entry.ground == Ground.INSTANT_NOT_PUBLISHED and entry.instant_info == info
    assert run(today=dt.date(2026, 11, 11), only="credit-instant-info-listing")[0].counts["listed"] == 0
    services.instant_info_publish(actor="t", info=info, today=dt.date(2026, 11, 12))
    entry.refresh_from_db()
    assert entry.status == "removed" and entry.removal_reason == "已履行即时信息公示义务"
