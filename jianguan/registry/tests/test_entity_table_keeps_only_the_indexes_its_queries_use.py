"""The entity table carries no index that no query uses (registry 0011, #23): at 10,000,000 entities each one is
hundreds of megabytes and a write per row. The lookup by code still goes through the unique index."""

import pytest
from django.db import connection

from jianguan.registry.models import Entity

from .factories import EntityFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the pattern-ops copies exist on PostgreSQL only"),
]


def indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'registry_entity'")
        return dict(cursor.fetchall())


def test_no_prefix_pattern_copies_and_no_single_column_key_indexes_covered_by_composites():
    found = indexes()
    assert not [name for name, definition in found.items() if "pattern_ops" in definition]
    single = {name for name, definition in found.items()
              if definition.endswith("(unit_id)") or definition.endswith("(division_id)")}
    assert not single
    # what the queries do use is still there
    assert {"entity_unit_status", "entity_unit_name", "entity_div_industry", "registry_entity_uscc_key",
            "entity_name_trgm", "entity_name_grams"} <= set(found)


def test_the_lookup_by_code_uses_the_unique_index(org):
    # Enough rows over several pages, and statistics, that the plan is the planner's real choice: on one row with no
    # statistics a whole-table walk of the primary key costs the same as the unique index and either may be taken.
    Entity.objects.bulk_create(EntityFactory.build_batch(400))
    entity = Entity.objects.order_by("pk")[200]
    sql, params = Entity.objects.filter(uscc=entity.uscc).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_entity")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_entity_uscc_key" in plan
