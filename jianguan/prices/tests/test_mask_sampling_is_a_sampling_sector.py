"""Mask and protective-clothing quality sampling runs on the shared sampling flow as the sector 防疫用品质量抽检: its
categories and test items come from the reference data, its plans draw like any other, and the objection period is
15 days from receipt (产品质量法 第十五条), a last day on a rest day moving to the next working day (民法典 第二百零三条)."""

import datetime as dt

import pytest

from jianguan.core.models import OrgUnit
from jianguan.registry.tests.factories import EntityFactory
from jianguan.sampling import sectors, services
from jianguan.sampling.models import ProductCategory
from jianguan.sampling.tests.factories import supervisor

pytestmark = pytest.mark.django_db


def test_the_sector_and_its_categories_are_registered(org):
    from jianguan.sampling.credit_hooks import sector_label

    sector = sectors.get("epidemic")
    assert sector.label == "防疫用品质量抽检"
    assert sector_label("epidemic") == "防疫用品质量抽检"  # the category of its results in the public record
    assert sector.objection_deadline(dt.date(2026, 9, 24)) == dt.date(2026, 10, 9)
    assert sector.objection_deadline(dt.date(2026, 9, 16)) == dt.date(2026, 10, 8)  # 10/1 is National Day
    surgical = ProductCategory.objects.get(code="FY-KZ-WK", sector="epidemic")
    std = surgical.standards.get()
    assert std.code == "YY 0469-2011" and [(i.name, i.unit) for i in std.items.all()] == [
        ("细菌过滤效率", "%"), ("颗粒过滤效率", "%"), ("压力差", "Pa")]


def test_a_mask_plan_draws_producers_and_a_result_is_judged_against_the_limits(org):
    actor = supervisor()
    category = ProductCategory.objects.get(code="FY-KZ-WK")
    std = category.standards.get()
    from jianguan.registry.models import Industry

    textile = Industry.objects.get(code="17")
    for _ in range(3):
        EntityFactory(unit=OrgUnit.objects.get(code="41040201"), industry=textile)
    plan = services.plan_create(actor=actor, sector="epidemic", year=2026, code="FYCC-T-1",
                                title="2026年医用外科口罩质量抽检", category=category, standard=std,
                                unit=actor.profile.unit, quotas={"410402": 2})
    services.plan_freeze(actor=actor, plan=plan, beacon="福利彩票3D 2026年第300期开奖号码")
    plan = services.plan_draw(actor=actor, plan=plan, randomness="385")
    assert plan.sector == "epidemic" and plan.samples.count() == 2
