"""风险分类's list of one class, highest score first, is read from an index in that order (credit 0007, #23): at
10,000,000 entities, with two million in class D after the July listing, sorting all of them for the first page
took 2.0-2.5 s for every login."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jianguan.core.tests.plans import page_query, plan_without_sorting
from jianguan.credit.models import EntityRisk

from .factories import EntityFactory, credit_officer

PG = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db


@pytest.fixture
def class_d(org):
    for score in (95, 80, 80, 72):
        EntityRisk.objects.create(entity=EntityFactory(unit=org["41040201"]), risk_class="D", score=score,
                                  reasons=[{"code": "abnormal", "label": "列入经营异常名录", "points": score}])
    EntityRisk.objects.create(entity=EntityFactory(unit=org["41040201"]), risk_class="A", score=5, reasons=[])


def test_the_class_and_score_order_has_its_index():
    with connection.cursor() as cur:
        index = connection.introspection.get_constraints(cur, "credit_entityrisk")["credit_risk_class_score"]
    assert index["columns"] == ["risk_class", "score", "entity_id"]
    if PG:  # in the order core.lists writes the default sort: highest score first, then the newest key
        assert index["orders"] == ["ASC", "DESC", "DESC"]


def test_the_page_lists_the_class_highest_score_first(class_d, client):
    client.force_login(credit_officer("risk_page"))
    response = client.get(reverse("credit:home"), {"class": "D"})
    assert response.status_code == 200
    assert [r.score for r in response.context["page"].object_list] == [95, 80, 80, 72]


@pytest.mark.skipif(not PG, reason="the plan is PostgreSQL's; SQLite holds a city")
def test_the_first_page_is_read_in_index_order_not_sorted(class_d, client):
    """The page's own query, with sorting priced out of reach: if the index gives the list's order the plan has no
    Sort node and reads credit_risk_class_score (an index in another order would leave a Sort)."""
    client.force_login(credit_officer("risk_plan"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("credit:home"), {"class": "D"}).status_code == 200
    plan = plan_without_sorting(page_query(ctx.captured_queries, 'SELECT "credit_entityrisk"."entity_id"'))
    assert "credit_risk_class_score" in plan and "Sort" not in plan, plan
