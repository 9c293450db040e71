"""`jianguan risk recompute --engine dask` (#23): the entities scored on a Dask cluster (two worker processes, Parquet
parts cut between entities) leave exactly the tables the database's set-based path leaves — classes, scores, reasons
(stored text included), history and the removal of an entity no longer active — and a second run writes nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from jianguan.core.models import AuditEntry
from jianguan.credit import risk, services
from jianguan.credit.models import EntityRisk, EntityRiskHistory, Ground
from jianguan.credit.risk_dask import Classifier
from jianguan.inspections.draw_dask import connect
from jianguan.registry.models import Entity

from .factories import ZERO, EntityFactory, LicenceFactory, report

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 8, 3)


@pytest.fixture(scope="module")
def client():
    dask_client, cluster = connect(workers=2)
    yield dask_client
    dask_client.close()
    cluster.close()


@pytest.fixture
def entities(org):
    clean = EntityFactory(established_on=dt.date(2018, 1, 1))
    report(clean, 2025)
    EntityFactory(established_on=dt.date(2026, 3, 1))  # new: 成立不满一年
    food = EntityFactory(established_on=dt.date(2018, 1, 1))
    report(food, 2025, **ZERO)
    LicenceFactory(entity=food)
    late = EntityFactory(established_on=dt.date(2018, 1, 1), address=" 新华区中兴路8号")
    report(late, 2025, filed_on=dt.date(2026, 7, 20), late=True)
    listed = EntityFactory(established_on=dt.date(2018, 1, 1), address="新华区 中兴路8号")
    services.list_enter(actor="t", entity=listed, ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
    for address in ("新华区中兴路8号", "新华区中兴路 8号", "新华区中兴路8号　"):
        report(EntityFactory(established_on=dt.date(2018, 1, 1), address=address), 2025)
    gone = EntityFactory(established_on=dt.date(2018, 1, 1))
    return {"clean": clean, "food": food, "late": late, "listed": listed, "gone": gone}


def tables():
    with connection.cursor() as cur:  # the stored text of reasons, as the database holds it
        cur.execute("SELECT entity_id, risk_class, score, CAST(reasons AS TEXT) FROM credit_entityrisk ORDER BY 1")
        rows = cur.fetchall()
    history = list(EntityRiskHistory.objects.order_by("entity_id", "id").values_list(
        "entity_id", "risk_class", "previous_class", "score", "reasons", "classified_on"))
    return rows, history


def test_dask_scoring_leaves_the_tables_of_the_sql_path(entities, client):
    risk.recompute(on=ON)
    Entity.objects.filter(pk=entities["gone"].pk).update(status="deregistered")  # its class must be removed
    LicenceFactory(entity=entities["late"], number="JY14104020999991")  # 逾期补报 10 + 一址多照 10 + 15: B → C
    with transaction.atomic():
        saved = transaction.savepoint()
        by_sql = risk.recompute(on=ON)
        expected = tables()
        transaction.savepoint_rollback(saved)
    classifier = Classifier(client, part_rows=2)
    by_dask = risk.recompute(on=ON, classify=classifier)
    assert tables() == expected
    assert by_dask.as_counts() == by_sql.as_counts() == {"classified": 8, "updated": 1, "class_changed": 1,
                                                         "dropped": 1}
    assert classifier.parts >= 4  # entities with two reasons are never cut between parts
    food = EntityRisk.objects.get(entity=entities["food"])
    assert food.reasons_text == "C: 年报财务数据全为零 2025 年度 +15; 持有高风险许可 食品经营许可证 +15"
    assert EntityRisk.objects.get(entity=entities["listed"]).reasons_text == (
        "D: 列入经营异常名录 +30; 未按时报送年度报告 2025 年度 +20; 一址多照 共 5 户 +10")

    out = io.StringIO()
    call_command("risk", "recompute", "--engine", "dask", "--scheduler", client.scheduler.address,
                 "--on", ON.isoformat(), stdout=out)
    assert "信用风险分类（dask，2026-08-03）：classified=8，updated=0，class_changed=0，dropped=0" in out.getvalue()
    entry = AuditEntry.objects.filter(action="credit.risk.recomputed").latest("id")
    assert entry.changes["engine"] == [None, "dask"] and entry.actor_label == "jianguan risk recompute"
    assert tables() == expected
