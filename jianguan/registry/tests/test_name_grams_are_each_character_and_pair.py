"""``jianguan_name_grams`` (PostgreSQL; registry 0013) gives each character of a name and each pair of neighbours —
exactly the set 0004's version gave, so the index built with that one stays right — and the two-character search
that reads it still finds what a plain ``LIKE`` finds."""

import pytest
from django.db import connection

from jianguan.registry import selectors
from jianguan.registry.models import Entity
from jianguan.registry.tests.factories import EntityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.skipif("connection.vendor != 'postgresql'")]

NAMES = ["", "鑫", "平顶山", "平顶山平安药房", "新华区𠮷祥便利店", "ABC商贸（平顶山）有限公司", "a a"]


def _expected(name: str) -> set[str]:
    return set(name) | {name[i:i + 2] for i in range(len(name) - 1)}


@pytest.mark.parametrize("name", NAMES)
def test_the_grams_of_a_name_are_its_characters_and_pairs(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT jianguan_name_grams(%s), jianguan_name_grams(NULL)", [name])
        grams, of_null = cursor.fetchone()
    assert set(grams) == _expected(name) and of_null is None


def test_a_two_character_search_finds_what_like_finds(org, monkeypatch):
    monkeypatch.setattr(selectors, "COMMON_GRAM_SHARE", 2.0)  # no gram is common here: the grams condition always
    for name in ("平顶山平安药房", "卫东区安平超市", "湛河区平价粮店", "石龙区顺达五金"):
        EntityFactory(name=name, unit=org["41040201"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_entity")
    selectors._gram_stats.clear()
    for fragment in ("平安", "安平", "平", "五金", "药"):
        qs = selectors.name_contains(Entity.objects.all(), fragment)
        assert "jianguan_name_grams" in str(qs.query)
        found = set(qs.values_list("name", flat=True))
        assert found == {n for n in Entity.objects.values_list("name", flat=True) if fragment in n}, fragment
