"""At a province's size (10,000,000 entities) the dashboard's refresh counted the register once for the city and once
for each district, per panel: 162 s. Its entity, risk and key-figure panels now read the per-unit counts of
``core.aggregates`` — counted now while that is quick, and once it is slow read from what the daily sweep stored,
cut to the reader's scope. Either way the panel shows the same figures."""

import datetime as dt

import pytest

from jianguan.core import sweep
from jianguan.core.models import Aggregate, RuleValue
from jianguan.core.scope import EVERYTHING
from jianguan.credit import risk
from jianguan.dashboard import panels
from jianguan.registry.tests.factories import EntityFactory
from jianguan.workplan.metrics import scope_of_unit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 8, 3)


@pytest.fixture
def register(org):
    made = [EntityFactory(established_on=dt.date(2026, 3, 5)), EntityFactory(established_on=dt.date(2019, 1, 1)),
            EntityFactory(unit=org["41040301"], established_on=dt.date(2026, 7, 9)),
            EntityFactory(unit=org["41040301"], established_on=dt.date(2025, 11, 30), kind="individual")]
    risk.recompute(on=TODAY)
    return made


def figures(scope) -> dict:
    found = {}
    for key in ("entities", "risk", "kpis"):
        panel = next(p for p in panels.ordered() if p.key == key)
        found[key] = panel.fn(scope, TODAY)
    return found


def test_stored_counts_give_the_figures_a_live_count_gives_for_every_scope(register, org):
    scopes = [EVERYTHING, scope_of_unit(org["410402"]), scope_of_unit(org["410403"])]
    live = [figures(s) for s in scopes]
    assert live[0]["entities"]["total"] == 4 and live[1]["entities"]["total"] == 2
    assert live[0]["entities"]["new_this_year"] == 2 and live[2]["entities"]["new_this_year"] == 1
    assert [c["value"] for c in live[0]["risk"]["classes"]] and sum(c["value"] for c in live[0]["risk"]["classes"]) == 4
    assert not Aggregate.objects.exists()

    RuleValue.objects.create(key="core.aggregate_live_ms", value=0, effective_from=dt.date(2000, 1, 1))
    [outcome] = sweep.run(today=TODAY, only="aggregates-refresh")
    assert outcome.ok
    assert {"registry.active", "credit.risk_classes", f"dashboard.established:2025-09-01:{TODAY}",
            "food.caterers_graded:2026", f"food.caterers_bright:{TODAY}", "credit.filing:2025"} <= set(
        Aggregate.objects.values_list("key", flat=True))
    assert [figures(s) for s in scopes] == live

    # what the panels read now is the stored count: an entity registered after it shows at the next refresh
    EntityFactory(established_on=dt.date(2026, 8, 1))
    assert figures(EVERYTHING)["entities"]["total"] == 4
    sweep.run(today=TODAY, only="aggregates-refresh")
    assert figures(EVERYTHING)["entities"]["total"] == 5
