"""Food sampling runs on the shared sampling flow as the sector ``food``: its objection period is 7 working days
from receipt (rule ``food.sampling_objection_days``) and its 核查处置 period comes from its own rule. Its published
results are named as food sampling wherever the public sees them — never as 产品质量监督抽查."""

import datetime as dt
import json

import pytest

from jianguan.sampling import sectors, services
from jianguan.sampling.tests.factories import TODAY, at_lab, drawn_plan, supervisor, values

pytestmark = pytest.mark.django_db


def test_food_sector_is_registered_with_its_rules():
    food = sectors.get("food")
    assert (food.label, food.objection_in_working_days) == ("食品安全监督抽检", True)
    # Friday 4 December 2026 (not counted) + 7 working days: 7, 8, 9, 10, 11, 14, 15 December
    assert food.objection_deadline(dt.date(2026, 12, 4)) == dt.date(2026, 12, 15)
    assert food.rectification_deadline(dt.date(2026, 12, 4)) == dt.date(2027, 3, 4)  # 90 days


def test_a_food_sample_served_before_national_day_can_be_objected_to_until_12_october(org):
    user = supervisor()
    plan = drawn_plan(user, sector="food", code="SPCJ-F-1")
    sample = services.result_record(actor=user, sample=at_lab(user, plan.samples.order_by("id").first()),
                                    values=values(plan.standard, 过滤效率=("80", "%")), lab="中心", report_no="R",
                                    tested_on=dt.date(2026, 9, 20), today=TODAY)
    sample = services.result_served(actor=user, sample=sample, served_on=dt.date(2026, 9, 24), today=TODAY)
    # served Thursday 9/24 (not counted); 9/25–9/27 Mid-Autumn holiday; working days 28, 29, 30 September (3);
    # National Day holiday 1–7 October; 8, 9 October (5), Saturday 10 October an adjusted working day (6), 12 October (7)
    assert sample.objection_deadline == dt.date(2026, 10, 12)
    with pytest.raises(services.ValidationFailed) as exc:
        services.objection_file(actor=user, sample=sample, on=dt.date(2026, 10, 13), today=TODAY)
    assert "食品安全监督抽检" in exc.value.message


def test_published_food_results_are_named_food_sampling_in_the_public_record_and_on_the_portal(org, client):
    from jianguan.portal import records

    user = supervisor()
    # its own title: the product plan below draws from the same producers, so one of them may carry both results
    food = drawn_plan(user, sector="food", code="SPCJ-F-2", title="2026年食品安全监督抽检（口罩原料）")
    product = drawn_plan(user, sector="product", code="ZLCC-T-2")
    for plan in (food, product):
        for s in plan.samples.order_by("id"):
            services.result_record(actor=user, sample=at_lab(user, s), values=values(plan.standard), lab="中心",
                                   report_no=f"R{s.pk}", tested_on=dt.date(2026, 9, 20), today=TODAY)
        services.plan_publish(actor=user, plan=plan, on=TODAY)

    producer = food.samples.order_by("id").first().entity
    events = json.loads(records.get(producer.uscc)[0])["other_events"]
    assert [e["category"] for e in events if e["title"] == food.title] == ["食品安全监督抽检"]
    other = product.samples.order_by("id").first().entity
    events = json.loads(records.get(other.uscc)[0])["other_events"]
    assert "产品质量监督抽查" in [e["category"] for e in events]

    everything = client.get("/sampling/").content.decode()
    assert "食品安全监督抽检" in everything and "产品质量监督抽查" in everything
    only_food = client.get("/sampling/?sector=food").content.decode()
    assert "/sampling/SPCJ-F-2/" in only_food and "/sampling/ZLCC-T-2/" not in only_food
    assert "<h1 class=\"h4 mb-3\">食品安全监督抽检结果</h1>" in only_food
    assert client.get("/sampling/?sector=nonsense").status_code == 200  # an unknown sector shows them all
    assert "食品安全监督抽检" in client.get("/sampling/SPCJ-F-2/").content.decode()
    assert "/sampling/?sector=food" in client.get("/food/").content.decode()
