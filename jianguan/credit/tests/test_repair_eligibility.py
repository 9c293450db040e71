"""Credit repair: penalty publication may end early after 6 months (1 year for food, drugs, special equipment)."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError, TransitionNotAllowed
from jianguan.credit import services
from jianguan.credit.models import EntryStatus, Ground, Notice, RepairApplication, RepairKind, RepairStatus

from .factories import EntityFactory, report

pytestmark = pytest.mark.django_db
PUBLISHED = dt.date(2025, 1, 15)


def _apply(entity, sector, today):
    return services.repair_apply(actor="t", entity=entity, kind=RepairKind.PENALTY_PUBLICATION,
                                 penalty_ref="新市监罚〔2025〕1号", penalty_sector=sector,
                                 penalty_published_on=PUBLISHED, statement="已履行处罚决定", today=today)


@pytest.mark.parametrize("sector", ["other"])
def test_general_penalties_after_six_months(org, sector):
    entity = EntityFactory()
    # Published 2025-01-15: six months run to the end of 2025-07-15; full from 2025-07-16 (Civil Code art. 202).
    with pytest.raises(DomainError, match="一般领域行政处罚信息公示满6个月后方可申请信用修复（2025年07月16日起可申请）"):
        _apply(entity, sector, dt.date(2025, 7, 15))
    assert not RepairApplication.objects.exists()
    assert _apply(entity, sector, dt.date(2025, 7, 16)).status == RepairStatus.PENDING


@pytest.mark.parametrize("sector", ["food", "drug", "equipment"])
def test_food_drug_and_equipment_penalties_after_one_year(org, sector):
    entity = EntityFactory()
    with pytest.raises(DomainError, match="食品、药品、特种设备领域行政处罚信息公示满12个月后方可申请"):
        _apply(entity, sector, dt.date(2026, 1, 15))
    assert _apply(entity, sector, dt.date(2026, 1, 16)).status == RepairStatus.PENDING


def test_a_duplicate_pending_application_is_refused(org):
    entity = EntityFactory()
    _apply(entity, "other", dt.date(2025, 8, 1))
    with pytest.raises(DomainError, match="不能重复申请"):
        _apply(entity, "other", dt.date(2025, 8, 2))


def test_a_decision_gets_a_number_and_a_notice_and_cannot_be_changed(org):
    app = _apply(EntityFactory(), "other", dt.date(2025, 8, 1))
    app = services.repair_decide(actor="t", application=app, approve=False, reason="未履行处罚决定",
                                 today=dt.date(2025, 8, 5))
    assert app.status == RepairStatus.REJECTED and app.decision_no == "新市监修〔2025〕1号"
    assert Notice.objects.get(repair=app).kind == Notice.Kind.REPAIR_DECISION
    with pytest.raises(TransitionNotAllowed, match="已不予修复"):
        services.repair_decide(actor="t", application=app, approve=True, today=dt.date(2025, 8, 6))


def test_abnormal_list_repair_before_the_cause_is_cured_is_refused(org):
    entity = EntityFactory(established_on=dt.date(2020, 1, 1))
    entry = services.list_enter(actor="t", entity=entity, ground=Ground.REPORT_NOT_FILED, facts="未报",
                                report_year=2024, today=dt.date(2025, 7, 1))
    with pytest.raises(DomainError, match="尚未补报2024年度报告"):
        services.repair_apply(actor="t", entity=entity, kind=RepairKind.LIST_REMOVAL, list_entry=entry,
                              statement="申请移出", today=dt.date(2025, 7, 2))
    report(entity, 2024, filed_on=dt.date(2025, 7, 3), late=True)
    app = services.repair_apply(actor="t", entity=entity, kind=RepairKind.LIST_REMOVAL, list_entry=entry,
                                statement="已补报", today=dt.date(2025, 7, 4))
    services.repair_decide(actor="t", application=app, approve=True, today=dt.date(2025, 7, 8))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED
