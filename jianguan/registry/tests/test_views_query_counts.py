"""The list page and the entity page cost a fixed number of queries, however many rows, licences and history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.registry import services
from jianguan.registry.models import Entity

from .factories import EntityChangeFactory, EntityFactory, LicenceFactory, LicenceKindFactory, registrar

pytestmark = pytest.mark.django_db

LIST_MAX = 15
ENTITY_MAX = 17


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


#: A name search on PostgreSQL reads its page in up to three steps (registry.selectors._rows_by_id): a second walk,
#: then the indexes inside a savepoint with the planner settings set and restored — five statements more at most,
#: fixed whatever the number of rows; which steps run depends on where the matches lie, not on how many rows exist.
SEARCH_STEPS_MAX = 5


def test_list_page_queries_do_not_grow_with_rows(login, org, django_assert_max_num_queries):
    client = login(registrar())
    EntityFactory.create_batch(55)  # more than a page, as below: the total is then the planner's estimate (one query)
    url = "/workbench/registry/?unit=410402&industry=F"
    client.get(url)
    few = queries(client, url)
    EntityFactory.create_batch(60)
    many = queries(client, url)
    assert few == many
    with django_assert_max_num_queries(LIST_MAX + (connection.vendor == "postgresql")):  # + the estimate's EXPLAIN
        client.get(url)


def test_a_searched_list_page_stays_within_its_bound(login, org, django_assert_max_num_queries):
    client = login(registrar())
    EntityFactory.create_batch(3)
    url = "/workbench/registry/?q=测试&unit=410402&industry=F"
    client.get(url)  # warm: the grams' statistics, read per process
    with django_assert_max_num_queries(LIST_MAX + SEARCH_STEPS_MAX):
        client.get(url)
    EntityFactory.create_batch(60)
    with django_assert_max_num_queries(LIST_MAX + SEARCH_STEPS_MAX):
        client.get(url)


def test_entity_page_queries_do_not_grow_with_licences_or_history(login, org, django_assert_max_num_queries):
    user = registrar()
    client = login(user)
    entity = EntityFactory()
    LicenceFactory(entity=entity)
    EntityChangeFactory(entity=entity)
    url = f"/workbench/registry/entities/{entity.uscc}/"
    client.get(url)
    few = queries(client, url)
    LicenceKindFactory(code="drug_retail", name="药品经营许可证", number_format="")
    for i in range(12):
        LicenceFactory(entity=entity)
        LicenceFactory(entity=entity, kind_id="drug_retail", number=f"豫AA{i:07d}")
        EntityChangeFactory(
            entity=entity,
            changes={
                "unit": [entity.unit_id, entity.unit.parent_id],
                "industry": ["52", "52"],
                "division": ["410402", "410402"],
            },
        )
    services.entity_set_status(actor=user, entity=Entity.objects.get(pk=entity.pk), status="revoked", reason="测试")
    many = queries(client, url)
    assert many <= few + 3  # unit, division and industry names in the history: three lookups, once each
    with django_assert_max_num_queries(ENTITY_MAX):
        client.get(url)


def test_api_search_queries_do_not_grow_with_rows(login, org, django_assert_max_num_queries):
    client = login(registrar())
    EntityFactory.create_batch(3)
    client.get("/api/v1/registry/entities")
    few = queries(client, "/api/v1/registry/entities?limit=200")
    EntityFactory.create_batch(40)
    assert queries(client, "/api/v1/registry/entities?limit=200") == few
