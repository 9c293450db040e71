"""A unit with too few eligible inspectors gets no partial team: its drawn entities are listed as unassigned and no
result can be recorded for them, nor for an entity that was not drawn."""

import json

import pytest

from jianguan.core.errors import DomainError
from jianguan.inspections import services

from . import factories


def test_a_unit_with_one_inspector_leaves_its_entities_unassigned(xh):
    factories.inspector("lonely", unit="41040202")
    alone = factories.entities(3, unit="41040202", risk="D")
    plan = factories.plan(xh["head"], quota_overrides={"A": 0, "B": 0, "C": 0, "D": 13})
    batch = factories.batch(xh["head"], plan)
    assert sorted(batch.unassigned) == sorted(e.uscc for e in alone)
    assert any(u["unit"] == "41040202" and u["inspectors"] == 1 for u in batch.inspector_report["short_units"])
    bundle = json.loads(batch.bundle)
    for selected in bundle["selected"]:
        assert len(selected["inspectors"]) in (0, 2)  # never a partial team
    assert not batch.tasks.filter(entity__in=alone).exists()
    with pytest.raises(DomainError, match="未分配检查组") as refused:
        services.task_for_entity(batch=batch, uscc=alone[0].uscc)
    assert refused.value.code == "not_assigned"


def test_a_result_for_an_entity_not_drawn_is_refused(xh):
    plan = factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0})
    batch = factories.batch(xh["head"], plan)
    drawn = batch.tasks.get().entity
    other = next(e for e in xh["entities"] if e != drawn)
    assert services.task_for_entity(batch=batch, uscc=drawn.uscc.lower()).entity == drawn
    with pytest.raises(DomainError, match="未在.*中被抽中") as refused:
        services.task_for_entity(batch=batch, uscc=other.uscc)
    assert refused.value.code == "not_drawn"


def test_the_api_refuses_a_result_for_an_entity_not_drawn(xh, login):
    plan = factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0})
    batch = factories.batch(xh["head"], plan)
    other = next(e for e in xh["entities"] if e != batch.tasks.get().entity)
    item = plan.items.get()
    response = login(xh["head"]).post(
        f"/api/v1/inspections/batches/{batch.pk}/results",
        content_type="application/json",
        data={
            "uscc": other.uscc,
            "inspected_on": "2026-01-05",
            "results": [{"item": item.pk, "category": "no_problem"}],
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_drawn"
