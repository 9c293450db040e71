"""Quotas are ceil(ratio × stratum size) in exact decimals; defaults come from the rules; a quota above the pool
is refused with the stratum named."""

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.inspections import queries, services
from jianguan.inspections.models import InspectionPlan

from . import factories


def test_quota_is_the_ceiling_in_exact_decimals():
    plan = InspectionPlan(ratios={"A": "0.03", "B": "0.01", "C": "0.1", "D": "1"})
    assert plan.quota("A", 100) == 3  # 0.03 × 100 in binary floating point is 3.0000000000000004
    assert plan.quota("A", 101) == 4
    assert plan.quota("B", 1) == 1
    assert plan.quota("C", 0) == 0
    assert plan.quota("D", 7) == 7


def test_default_ratios_come_from_the_domain_reference(xh):
    plan = factories.plan(xh["head"])
    assert plan.ratios == {"A": "0.01", "B": "0.03", "C": "0.10", "D": "0.30"}
    assert plan.team_size == 2
    summary = {s["name"]: s["quota"] for s in queries.strata_summary(plan, {"A": 0, "B": 10, "C": 0, "D": 10})}
    assert summary == {"A": 0, "B": 1, "C": 0, "D": 3}


def test_an_entity_without_a_risk_class_counts_as_b(xh):
    factories.entities(3)  # no EntityRisk row
    pool = queries.build_pool(factories.plan(xh["head"]), factories.timezone.localdate(), with_inspectors=False)
    assert pool.sizes == {"A": 0, "B": 13, "C": 0, "D": 10}


def test_a_quota_above_the_pool_is_refused(xh):
    plan = factories.plan(xh["head"], quota_overrides={"D": 11})
    batch = services.batch_create(actor=xh["head"], plan=plan, beacon=factories.BEACON)
    with pytest.raises(ValidationFailed, match="D 类指定抽取数 11 超过该类对象数 10"):
        services.batch_freeze(actor=xh["head"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == "draft" and batch.commitment == ""


def test_a_ratio_above_one_hundred_percent_is_refused(xh):
    with pytest.raises(ValidationFailed, match="0 到 100%"):
        factories.plan(xh["head"], ratios={"A": "1.5", "B": "0.03", "C": "0.1", "D": "0.3"})
