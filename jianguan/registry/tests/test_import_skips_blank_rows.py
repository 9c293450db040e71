"""Blank rows inside the data (a common sight in hand-kept sheets) are skipped and listed, never errors, and the
row numbers of the rows after them stay those Excel shows."""

import pytest

from jianguan.registry import importexport
from jianguan.registry.models import Entity

from .spreadsheets import row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_blank_rows_are_skipped_and_listed(org, tmp_path, writer):
    path = writer(tmp_path / f"blank.{writer.__name__.split('_')[1]}", [row(1), None, None, row(2), None, row(3), None])
    result = importexport.import_entities(path)
    assert result.ok and result.created == 3
    assert result.skipped_blank == [3, 4, 6]  # the trailing blank row is not worth a mention
    assert "跳过空行 3 行" in result.summary()
    assert Entity.objects.count() == 3


def test_row_numbers_after_blank_rows_match_the_sheet(org, tmp_path):
    path = write_xlsx(tmp_path / "blank.xlsx", [row(1), None, row(2, capital="-1")])
    result = importexport.import_entities(path)
    assert result.exit_code == 1 and result.problems[0].row == 4
    assert not Entity.objects.exists()
