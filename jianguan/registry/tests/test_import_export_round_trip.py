"""An exported file imports back unchanged, as CSV and as Excel — including the awkward values: a name that
starts like a formula, a business scope over several lines, fractional capital, no capital, a closed entity."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.registry import importexport, seeding
from jianguan.registry.models import Entity, EntityChange, EntityStatus, Licence

from .factories import EntityFactory
from .spreadsheets import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(org):
    seeding.seed_entities(120, seed=7, today=dt.date(2026, 11, 20))
    EntityFactory(name="=HYPERLINK(\"x\")测试有限公司", business_scope="第一行\n第二行，含“引号”,逗号",
                  registered_capital=Decimal("12.3456"))
    EntityFactory(name="-减号开头的名称有限公司", registered_capital=None, phone="")
    EntityFactory(status=EntityStatus.REVOKED, status_changed_on=dt.date(2024, 3, 1))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_leaves_every_entity_unchanged(registry, tmp_path, fmt):
    before = snapshot()
    path = tmp_path / f"entities.{fmt}"
    count = importexport.export_entities(Entity.objects.all(), path, fmt)
    assert count == len(before) == 123
    Licence.objects.all().delete()
    Entity.objects.all().delete()

    result = importexport.import_entities(path)

    assert result.ok, [str(p) for p in result.problems[:5]]
    assert result.created == 123 and result.written
    assert snapshot() == before
    assert EntityChange.objects.filter(kind=EntityChange.Kind.IMPORTED).count() == 123


def test_csv_export_of_an_imported_file_is_byte_identical(registry, tmp_path):
    first = tmp_path / "first.csv"
    importexport.export_entities(Entity.objects.all(), first, "csv")
    Licence.objects.all().delete()
    Entity.objects.all().delete()
    assert importexport.import_entities(first).ok
    second = tmp_path / "second.csv"
    importexport.export_entities(Entity.objects.all(), second, "csv")
    assert second.read_bytes() == first.read_bytes()


def test_reimporting_an_export_with_update_changes_nothing(registry, tmp_path):
    path = tmp_path / "entities.xlsx"
    importexport.export_entities(Entity.objects.all(), path, "xlsx")
    before = snapshot()
    result = importexport.import_entities(path, update=True)
    assert result.ok and result.unchanged == 123 and result.updated == 0 and result.created == 0
    assert snapshot() == before
