"""The seeder: the same seed and day on the same database give the same rows; every code is a valid USCC,
unique, and never one a later registration would be given; the mix looks like Pingdingshan."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from jianguan.registry import seeding, services, uscc
from jianguan.registry.models import Entity, EntityKind, Licence

from .spreadsheets import snapshot

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def _licences():
    return sorted(Licence.objects.values_list("entity__uscc", "kind_id", "number", "issued_on", "valid_until"))


def test_the_same_seed_gives_the_same_entities_and_licences(org):
    with transaction.atomic():
        seeding.seed_entities(300, seed=11, today=TODAY)
        first, first_licences = snapshot(), _licences()
        transaction.set_rollback(True)
    assert not Entity.objects.exists()
    seeding.seed_entities(300, seed=11, today=TODAY)
    assert snapshot() == first and _licences() == first_licences
    assert len(first) == 300


def test_a_different_seed_gives_different_entities(org):
    with transaction.atomic():
        seeding.seed_entities(50, seed=1, today=TODAY)
        names = set(Entity.objects.values_list("name", flat=True))
        transaction.set_rollback(True)
    seeding.seed_entities(50, seed=2, today=TODAY)
    assert set(Entity.objects.values_list("name", flat=True)) != names


def test_every_seeded_code_is_valid_unique_and_matches_its_kind(org):
    result = seeding.seed_entities(500, seed=3, today=TODAY)
    assert result.entities == 500 and seeding.seeded_count() == 500
    rows = list(Entity.objects.values_list("uscc", "kind", "division_id", "established_on", "uscc_problem"))
    assert len({r[0] for r in rows}) == 500
    for code, kind, division, established, problem in rows:
        assert uscc.is_valid(code), (code, uscc.invalid_reason(code))
        assert problem == ""
        assert code[1] == {"individual": "2", "cooperative": "3"}.get(kind, "1")
        assert code[2:8] == division
        assert dt.date(1990, 1, 1) <= established <= TODAY


def test_the_mix_has_individual_businesses_most_and_every_district(org):
    seeding.seed_entities(1000, seed=4, today=TODAY)
    kinds = Counter(Entity.objects.values_list("kind", flat=True))
    assert kinds[EntityKind.INDIVIDUAL] > kinds[EntityKind.LLC] > kinds[EntityKind.COOPERATIVE] > 0
    districts = set(Entity.objects.values_list("division_id", flat=True))
    assert districts == {code for code, *_ in seeding.DISTRICTS}
    assert Licence.objects.exists()


def test_a_registration_after_seeding_gets_a_fresh_code(org):
    seeding.seed_entities(200, seed=5, today=TODAY)
    seeded = set(Entity.objects.values_list("uscc", flat=True))
    for kind in (EntityKind.LLC, EntityKind.INDIVIDUAL, EntityKind.COOPERATIVE):
        code = services.new_code(division_code="410402", kind=kind)
        assert code not in seeded and uscc.is_valid(code)


def test_a_large_seed_rebuilds_the_indexes_it_dropped(org, monkeypatch):
    """Large runs drop the loaded tables' indexes (but the keys' and the unique codes') and foreign keys and put them
    back at the end, the same (PostgreSQL only; on SQLite nothing is dropped)."""
    from django.db import connection

    def indexes():
        if connection.vendor != "postgresql":
            return set()
        tables = ["registry_entity", "registry_entitychange", "registry_licence"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
            found = set(cursor.fetchall())
            cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid::regclass::text = ANY(%s)", [tables])
            return found | set(cursor.fetchall())

    before = indexes()
    monkeypatch.setattr(seeding, "REBUILD_INDEXES_FROM", 50)
    rebuilt = []
    build = seeding._create_indexes
    monkeypatch.setattr(seeding, "_create_indexes", lambda found: (rebuilt.extend(n for n, _d in found), build(found)))
    result = seeding.seed_entities(60, seed=6, today=TODAY)
    assert result.entities == 60 and Licence.objects.filter(entity__in=Entity.objects.all()).exists()
    assert indexes() == before  # every index and constraint back, defined as it was
    if connection.vendor == "postgresql":
        # dropped for the load: the search indexes and the lists' B-trees; kept: keys and unique codes/numbers
        assert set(rebuilt) >= {"entity_name_trgm", "entity_address_trgm", "entity_unit_name",
                                "licence_status_until_entity", "registry_en_entity__378509_idx"}
        assert not set(rebuilt) & {"registry_entity_pkey", "registry_entity_uscc_key", "licence_kind_number_unique"}
        assert any(name.startswith("registry_licence_entity_id") and name.endswith("_fk_registry_entity_id")
                   for name in rebuilt)  # the foreign keys too, checked again when added back
        assert result.index_seconds > 0
