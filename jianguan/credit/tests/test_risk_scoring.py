"""Risk classes: transparent points per indicator, classes by thresholds (rules), history only on change,
set-based recomputation equal to the per-entity one, indicators registered by other apps."""

import datetime as dt

import pytest
from django.db.models import CharField, IntegerField, Value

from jianguan.core.models import RuleValue
from jianguan.credit import risk, services
from jianguan.credit.models import EntityRisk, EntityRiskHistory, Ground
from jianguan.registry.models import Entity

from .factories import ZERO, EntityFactory, LicenceFactory, report

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 8, 3)


def text(entity) -> str:
    return EntityRisk.objects.get(entity=entity).reasons_text


@pytest.fixture
def entities(org):
    clean = EntityFactory(established_on=dt.date(2018, 1, 1))
    report(clean, 2025)
    newcomer = EntityFactory(established_on=dt.date(2026, 3, 1))
    food = EntityFactory(established_on=dt.date(2018, 1, 1))
    report(food, 2025, **ZERO)
    LicenceFactory(entity=food)
    late = EntityFactory(established_on=dt.date(2018, 1, 1))
    report(late, 2025, filed_on=dt.date(2026, 7, 20), late=True)
    return {"clean": clean, "newcomer": newcomer, "food": food, "late": late}


def test_each_indicator_shows_its_points(entities):
    risk.recompute(on=ON)
    assert text(entities["clean"]) == "A: 无风险计分项"
    assert text(entities["newcomer"]) == "B: 成立不满一年 +10"
    assert text(entities["food"]) == "C: 年报财务数据全为零 2025 年度 +15; 持有高风险许可 食品经营许可证 +15"
    assert text(entities["late"]) == "B: 逾期补报年度报告 2025 年度 +10"


def test_listing_and_missing_report_make_a_high_risk_entity(entities):
    missing = EntityFactory(established_on=dt.date(2018, 1, 1))
    services.list_enter(actor="t", entity=missing, ground=Ground.REPORT_NOT_FILED, facts="未报", today=ON)
    risk.recompute(on=ON)
    risk_row = EntityRisk.objects.get(entity=missing)
    assert (risk_row.risk_class, risk_row.score) == ("D", 50)
    assert [r["code"] for r in risk_row.reasons] == ["abnormal_list", "report_missing"]


def test_many_entities_at_one_address(org):
    crowd = [EntityFactory(established_on=dt.date(2018, 1, 1), address=a) for a in
             ["新华区中兴路8号", "新华区 中兴路8号", "新华区中兴路 8号", " 新华区中兴路8号", "新华区中兴路8号　"]]
    for e in crowd:
        report(e, 2025)
    risk.recompute(on=ON)
    assert text(crowd[1]) == "B: 一址多照 共 5 户 +10"
    RuleValue.objects.create(key="credit.risk.shared_address_min", value=6, effective_from=dt.date(2026, 1, 1))
    risk.recompute(on=ON)
    assert text(crowd[1]) == "A: 无风险计分项"


def test_weights_and_thresholds_are_rules_with_an_effective_date(entities):
    risk.recompute(on=ON)
    weights = dict(risk.weights(ON), high_risk_licence=40)
    RuleValue.objects.create(key="credit.risk.weights", value=weights, effective_from=dt.date(2026, 8, 1))
    RuleValue.objects.create(key="credit.risk.thresholds", value={"B": 5, "C": 10, "D": 55},
                             effective_from=dt.date(2026, 8, 1))
    risk.recompute(on=dt.date(2026, 7, 31))
    assert EntityRisk.objects.get(entity=entities["food"]).score == 30
    risk.recompute(on=ON)
    food = EntityRisk.objects.get(entity=entities["food"])
    assert (food.score, food.risk_class) == (55, "D")
    assert EntityRisk.objects.get(entity=entities["newcomer"]).risk_class == "C"


def test_history_is_written_only_when_the_class_changes(entities):
    first = risk.recompute(on=ON)
    assert first.class_changed == 4 and EntityRiskHistory.objects.count() == 4
    second = risk.recompute(on=ON)
    assert (second.written, second.class_changed) == (0, 0)
    assert EntityRiskHistory.objects.count() == 4
    LicenceFactory(entity=entities["late"], number="JY14104020999991")  # 10 + 15: B → B, score changes only
    third = risk.recompute(on=ON)
    assert (third.written, third.class_changed) == (1, 0)
    services.list_enter(actor="t", entity=entities["late"], ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
    risk.recompute(on=ON)
    last = EntityRiskHistory.objects.filter(entity=entities["late"]).order_by("-id").first()
    assert (last.previous_class, last.risk_class, last.score) == ("B", "D", 55)


def test_set_based_recompute_equals_the_per_entity_loop(entities):
    extra = EntityFactory(established_on=dt.date(2018, 1, 1), address=entities["clean"].address)
    services.list_enter(actor="t", entity=extra, ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
    risk.recompute(on=ON)
    together = {r.entity_id: (r.risk_class, r.score, r.reasons)
                for r in EntityRisk.objects.all()}
    EntityRisk.objects.all().delete()
    risk.recompute_each(Entity.objects.values_list("id", flat=True), on=ON)
    one_by_one = {r.entity_id: (r.risk_class, r.score, r.reasons) for r in EntityRisk.objects.all()}
    assert together == one_by_one and len(together) == 5


def test_an_event_recomputes_the_entity_after_commit(entities, django_capture_on_commit_callbacks):
    risk.recompute(on=ON)
    with django_capture_on_commit_callbacks(execute=True):
        services.list_enter(actor="t", entity=entities["clean"], ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
    assert text(entities["clean"]) == "C: 列入经营异常名录 +30"


def test_a_deregistered_entity_leaves_the_classification(entities):
    risk.recompute(on=ON)
    Entity.objects.filter(pk=entities["clean"].pk).update(status="deregistered")
    assert risk.recompute(on=ON).removed == 1
    assert not EntityRisk.objects.filter(entity=entities["clean"]).exists()


def test_another_app_registers_an_indicator_as_a_queryset(entities):
    def named_trading(ctx):
        return (Entity.objects.filter(name__contains="商贸", established_on__lt=dt.date(2019, 1, 1))
                .annotate(p=Value(ctx.points, output_field=IntegerField()), d=Value("3 次", output_field=CharField()))
                .values_list("id", "p", "d"))

    RuleValue.objects.create(key="credit.risk.weights", value=dict(risk.weights(ON), penalties_3y=25),
                             effective_from=dt.date(2026, 1, 1))
    previous = risk.INDICATORS.get("penalties_3y")
    risk.register_indicator("penalties_3y", "近三年行政处罚", named_trading)
    try:
        risk.recompute(on=ON)
    finally:
        if previous is None:
            del risk.INDICATORS["penalties_3y"]
        else:
            risk.INDICATORS["penalties_3y"] = previous
    assert text(entities["clean"]) == "B: 近三年行政处罚 3 次 +25"
