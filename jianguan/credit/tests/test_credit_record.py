"""The credit record: events from every provider, filtered to what the viewer may see."""

import datetime as dt

import pytest

from jianguan.credit import risk, services, timeline
from jianguan.credit.models import Ground

from .factories import EntityFactory, LicenceFactory, enterprise_account, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity(org):
    e = EntityFactory(established_on=dt.date(2018, 1, 1))
    report(e, 2024)
    LicenceFactory(entity=e)
    services.serious_propose(actor="t", entity=e, ground=Ground.FAIR_COMPETITION, facts="虚假宣传",
                             penalty_ref="新市监罚〔2026〕1号", today=dt.date(2026, 5, 1))
    services.list_enter(actor="t", entity=e, ground=Ground.UNREACHABLE, facts="无法联系", today=dt.date(2026, 5, 2))
    risk.recompute(on=dt.date(2026, 5, 3))
    return e


def test_staff_see_every_event_newest_first(entity, station_inspector):
    events = timeline.events_for(entity, station_inspector)
    titles = [e.title for e in events]
    assert {"报送2024年度报告", "取得食品经营许可证", "拟列入严重违法失信名单", "列入经营异常名录"} <= set(titles)
    assert any(t.startswith("信用风险分类") for t in titles)
    assert [e.on for e in events] == sorted((e.on for e in events), reverse=True)


def test_the_public_and_the_enterprise_see_only_public_events(entity):
    for viewer in (None, enterprise_account(entity)):
        titles = [e.title for e in timeline.events_for(entity, viewer)]
        assert "列入经营异常名录" in titles
        assert "拟列入严重违法失信名单" not in titles
        assert not any(t.startswith("信用风险分类") for t in titles)


def test_another_module_adds_its_events(entity):
    def penalties(ent, viewer):
        yield timeline.Event(dt.date(2026, 4, 1), "行政处罚", "新市监罚〔2026〕1号", public=True)

    timeline.register(penalties)
    try:
        assert "新市监罚〔2026〕1号" in [e.title for e in timeline.events_for(entity, None)]
    finally:
        timeline.PROVIDERS.remove(penalties)
