"""食品安全示范创建 indicators are read from the data: 明厨亮灶 coverage among active caterers, 核查处置 closed within
their deadline; the creation page sets each beside its target (rule) for the scope and each county in it."""

import datetime as dt

import pytest

from jianguan.core.models import OrgUnit
from jianguan.core.scope import scope_for
from jianguan.food import metrics as food_metrics
from jianguan.food import services
from jianguan.food.models import Disposal
from jianguan.workplan import metrics

from .factories import county_clerk, supervisor
from .test_designations_review_expiry_public import BRIGHT
from .test_grading_checklist_score_grade_and_annual import caterer

pytestmark = pytest.mark.django_db


def test_indicators_and_the_creation_page(org, client):
    city = supervisor()
    a, b = caterer(), caterer(name="平顶山市乙饭店有限公司")
    weidong = caterer(name="卫东区丙饭店有限公司", unit=OrgUnit.objects.get(code="41040301"))
    d = services.designation_apply(actor=city, entity=a, kind="bright_kitchen", applied_on=dt.date(2026, 3, 1))
    services.designation_review(actor=city, designation=d, met=BRIGHT, on=dt.date(2026, 3, 10))
    ctx = metrics.Context(scope=scope_for(city), year=2026, today=dt.date(2026, 12, 4))
    r = food_metrics.bright_kitchen_rate(ctx)
    assert (r.numerator, r.denominator) == (1, 3)
    common = {"source": "complaint", "product": "p", "problem": "q", "opened_on": dt.date(2026, 1, 5)}
    from jianguan.complaints.tests.factories import complaint

    for n, (entity, due, closed) in enumerate([(a, dt.date(2026, 4, 5), dt.date(2026, 4, 1)),
                                               (b, dt.date(2026, 5, 5), dt.date(2026, 5, 20)),
                                               (weidong, dt.date(2026, 6, 5), None),
                                               (b, dt.date(2027, 2, 1), None)]):  # not yet due: not counted
        Disposal.objects.create(number=f"T{n}", complaint=complaint(entity=entity)[0], entity=entity,
                                unit_id=entity.unit_id, due_on=due, closed_on=closed,
                                status="closed" if closed else "open", **common)
    r = food_metrics.disposals_on_time(ctx)
    assert (r.numerator, r.denominator) == (1, 3)
    client.force_login(county_clerk())
    body = client.get("/workbench/food/creation/?year=2026").content.decode()
    assert 'data-testid="creation-indicators"' in body and "新华" in body and "卫东" not in body
    assert "目标 ≥ 80%" in body and "50%" in body and "未达标" in body  # 明厨亮灶 1 of 新华's 2 caterers
