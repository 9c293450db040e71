"""一户一档: the entity's staff page carries its food records (annual grade and gradings, designations, 三小
registrations) for a food supervisor, in a number of queries that does not grow with rows; a registrar sees none."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.tests.factories import staff
from jianguan.food import services

from .factories import county_clerk, small
from .test_grading_checklist_score_grade_and_annual import ALL_YES, caterer

pytestmark = pytest.mark.django_db


def test_food_panel_on_the_entity_page(org, client):
    clerk = county_clerk()
    shop = caterer()
    services.grading_record(actor=clerk, entity=shop, inspected_on=dt.date(2026, 11, 2), answers=ALL_YES)
    services.designation_apply(actor=clerk, entity=shop, kind="bright_kitchen", applied_on=dt.date(2026, 11, 3))
    reg = small(actor=clerk, entity=shop)
    url = f"/workbench/registry/entities/{shop.uscc}/"
    client.force_login(clerk)
    client.get(url)  # the content types are cached on the first page
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert 'data-testid="entity-food"' in body and 'href="#dossier-food"' in body
    assert 'data-testid="entity-food-annual">A级<' in body and "2026-11-02" in body and "优秀（大笑）" in body
    assert "明厨亮灶</a> · 待评审" in body and reg.number in body
    for day in (3, 4):
        services.grading_record(actor=clerk, entity=shop, inspected_on=dt.date(2026, 11, day), answers=ALL_YES)
    small(actor=clerk, entity=shop)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "2026-11-04" in body and len(many.captured_queries) == len(few.captured_queries)
    client.force_login(staff("xh_dj", "410402", ["registrar"]))
    assert 'data-testid="entity-food"' not in client.get(url).content.decode()
