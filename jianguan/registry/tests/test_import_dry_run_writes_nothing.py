"""``dry_run`` validates the whole file exactly as a real import would and writes nothing: no entity, no history,
no audit entry, no report of bad rows is missing."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.registry import importexport
from jianguan.registry.models import Entity, EntityChange

from .spreadsheets import row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_valid_file_in_a_dry_run_is_checked_and_not_written(org, tmp_path, writer):
    path = writer(tmp_path / f"ok.{writer.__name__.split('_')[1]}", [row(i) for i in range(1, 21)])
    audits = AuditEntry.objects.count()
    result = importexport.import_entities(path, dry_run=True)
    assert result.ok and result.rows == 20 and result.created == 0 and not result.written
    assert "校验通过，可以导入" in result.summary()
    assert not Entity.objects.exists() and not EntityChange.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_a_dry_run_reports_the_same_problems_as_a_real_import(org, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [row(1), row(2, industry="99"), row(3, capital="-2")])
    dry = importexport.import_entities(path, dry_run=True)
    real = importexport.import_entities(path)
    assert [str(p) for p in dry.problems] == [str(p) for p in real.problems]
    assert dry.exit_code == real.exit_code == 1
    assert not Entity.objects.exists()


def test_a_dry_run_with_skip_invalid_still_writes_nothing(org, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [row(1), row(2, industry="99")])
    result = importexport.import_entities(path, dry_run=True, skip_invalid=True)
    assert result.invalid_rows == 1 and not result.written
    assert not Entity.objects.exists()
